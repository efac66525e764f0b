#!/usr/bin/env bash
# How long headless Chromium takes to open the HTML report of a large suite, against a trivial page.
#   build/measure-html-render.sh [benchmarks] [pairs]      (defaults: 1000 benchmarks, 9 interleaved pairs)
# Builds the engine benchmarks (Release), writes the compare-only gate's reports over the synthetic suite (1,000-run
# history), then times `chromium --headless --dump-dom` (load, parse, style, layout, our script) on the report and on a
# one-line page, alternately, and prints the report's size and the medians and ranges of both. The difference is the
# report's own cost. On a busy machine compare the ratio, not the absolute times.
# With puppeteer-core installed (npm install --prefix /tmp/pptr puppeteer-core; PUPPETEER_DIR=/tmp/pptr) it also prints
# Chromium's own task, layout, style and script durations for the report (page.metrics()).
set -euo pipefail
cd "$(dirname "$0")/.."
benchmarks=${1:-1000}
pairs=${2:-9}
chromium=${LYRA_CHROMIUM:-/usr/bin/chromium}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dotnet build tests/Lyra.Perf.Engine.Benchmarks -c Release -v q -nologo >/dev/null
dotnet tests/Lyra.Perf.Engine.Benchmarks/bin/Release/net10.0/Lyra.Perf.Engine.Benchmarks.dll --report "$work/reports" "$benchmarks"
report="$work/reports/perf-report.html"
echo '<!DOCTYPE html><html><body><p>x</p></body></html>' > "$work/trivial.html"
echo "perf-report.html: $(stat -c %s "$report") bytes for $benchmarks benchmarks"

open_ms() {
  local start end
  start=$(date +%s%N)
  "$chromium" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$work/profile-$RANDOM$RANDOM" --dump-dom "file://$1" >/dev/null 2>&1
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}

report_times=(); trivial_times=()
for ((i = 0; i < pairs; i++)); do
  if ((i % 2 == 0)); then
    trivial_times+=("$(open_ms "$work/trivial.html")"); report_times+=("$(open_ms "$report")")
  else
    report_times+=("$(open_ms "$report")"); trivial_times+=("$(open_ms "$work/trivial.html")")
  fi
done

stats() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "median %d ms (%d-%d ms, n=%d)", m, v[1], v[NR], NR }'; }
echo "trivial page: $(stats "${trivial_times[@]}")"
echo "report:       $(stats "${report_times[@]}")"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

if [ -n "${PUPPETEER_DIR:-}" ] && [ -d "$PUPPETEER_DIR/node_modules/puppeteer-core" ]; then
  NODE_PATH="$PUPPETEER_DIR/node_modules" node - "$chromium" "$report" <<'EOF'
const puppeteer = require('puppeteer-core');
(async () => {
  const [chromium, page] = process.argv.slice(2);
  const browser = await puppeteer.launch({ executablePath: chromium, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  const tab = await browser.newPage();
  const start = Date.now();
  await tab.goto('file://' + page, { waitUntil: 'load' });
  const wall = Date.now() - start;
  const m = await tab.metrics();
  const nav = await tab.evaluate(() => { const t = performance.getEntriesByType('navigation')[0]; return { domContentLoaded: t.domContentLoadedEventEnd, load: t.loadEventEnd }; });
  const ms = s => Math.round(s * 1000);
  console.log(`puppeteer: goto ${wall} ms; navigation: DOMContentLoaded ${Math.round(nav.domContentLoaded)} ms, load ${Math.round(nav.load)} ms; ` +
    `task ${ms(m.TaskDuration)} ms, layout ${ms(m.LayoutDuration)} ms, style ${ms(m.RecalcStyleDuration)} ms, script ${ms(m.ScriptDuration)} ms; ${m.Nodes} DOM nodes`);
  await browser.close();
})().catch(e => { console.error(e); process.exit(1); });
EOF
fi
