#!/usr/bin/env bash
# The overloaded-runner proof (issue 12): the sample gate against a baseline recorded on a quiet machine, run again
# while busy loops occupy every core, on unchanged code and with the sample's injected regression.
#
#   1. Record the baseline (machine quiet: check the load first):
#        dotnet build samples/Lyra.Core.Benchmarks -t:PerfBaseline -tl:off -p:PerfGateBaselineFile=$DATA/baseline.json
#   2. Start one busy loop per core (nproc, or --hogs K), each a background `sh` loop whose pid is kept in $DATA/hogs.pid;
#      they are stopped by pid when the script ends, however it ends (trap).
#   3. --runs N (default 10) gate runs of unchanged code against that baseline under the load:
#        dotnet build samples/Lyra.Core.Benchmarks -t:PerfGate -tl:off -p:PerfGateConfirmRegressions=false \
#          -p:PerfGateBaselineFile=$DATA/baseline.json -p:PerfGateReportDirectory=$TMP/reports-<label>/ \
#          -p:PerfGateHistoryFile=$TMP/history.jsonl
#   4. --injected M (default 2) gate runs with -p:LyraInjectRegression=true under the same load (the evaluator's cache
#      never hits, so CacheBenchmarks.CacheHit does ~28× the work): the regressed benchmark must still be reported.
#   5. Stop the loops, rebuild the sample without the injected regression, and print the summary.
# Per run, $DATA keeps <label>-gate.txt (its LPG lines), <label>-report.json (its perf-report.json) and a line in
# runs.tsv (label, injected, UTC start, wall seconds, load average before, gate exit, LPG0107 present, CacheHit
# reported as error/warning/no, error count). The proof: every unchanged run exits 0; every injected run reports
# CacheHit (as an error when it moved clearly more than the rest of the suite).
#
# Usage: build/collect-loaded-runs.sh --data DIR [--runs 10] [--injected 2] [--hogs $(nproc)] [--launches N]
#          [--extra "-p:Name=Value …"] [--tmp DIR] [--skip-record]
# Runs from the repository root. Record on a quiet machine; nothing else heavy should run meanwhile.
set -uo pipefail

runs=10 injected=2 hogs="$(nproc)" launches="" extra="" skip_record=false
data="" tmp="${TMPDIR:-/tmp}/lyra-loaded-runs"
while [ $# -gt 0 ]; do
  case "$1" in
    --data) data="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --injected) injected="$2"; shift 2 ;;
    --hogs) hogs="$2"; shift 2 ;;
    --launches) launches="$2"; shift 2 ;;
    --extra) extra="$2"; shift 2 ;;
    --tmp) tmp="$2"; shift 2 ;;
    --skip-record) skip_record=true; shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
[ -n "$data" ] || { echo "--data DIR is required" >&2; exit 2; }

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
project=samples/Lyra.Core.Benchmarks
mkdir -p "$data" "$tmp"
data="$(cd "$data" && pwd)"
baseline="$data/baseline.json"
tsv="$data/runs.tsv"
[ -n "$launches" ] && extra="-p:PerfGateLaunches=$launches $extra"
[ -f "$tsv" ] || printf 'label\tinjected\tstart_utc\twall_s\tload_before\tgate_exit\tmachine_shift\tcachehit\terrors\n' > "$tsv"

hog_pids=()
start_hogs() {
  local i
  for i in $(seq 1 "$hogs"); do
    sh -c 'while :; do :; done' &
    hog_pids+=("$!")
  done
  printf '%s\n' "${hog_pids[@]}" > "$data/hogs.pid"
  echo "started $hogs busy loop(s): ${hog_pids[*]}"
}
stop_hogs() {
  local pid
  for pid in "${hog_pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${hog_pids[@]}"; do wait "$pid" 2>/dev/null; done
  [ ${#hog_pids[@]} -gt 0 ] && echo "stopped busy loop(s): ${hog_pids[*]}"
  hog_pids=()
  rm -f "$data/hogs.pid"
}
trap stop_hogs EXIT INT TERM

if ! $skip_record; then
  echo "== recording the baseline (load $(uptime | sed 's/.*load average: //'))"
  rm -f "$baseline"
  # shellcheck disable=SC2086
  dotnet build "$project" -t:PerfBaseline -tl:off -p:PerfGateBaselineFile="$baseline" $extra > "$data/record.log" 2>&1 \
    || { echo "recording failed, see $data/record.log" >&2; exit 1; }
fi
[ -f "$baseline" ] || { echo "no baseline at $baseline" >&2; exit 1; }

run_one() { # label injected(true|false)
  local label="$1" inject="$2" load start t0 t1 rc shift cache errors
  load="$(uptime | sed 's/.*load average: //')"
  start="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  rm -rf "$tmp/reports-$label"
  echo "== $label (injected regression: $inject) start $start, load $load"
  t0=$(date +%s.%N)
  # shellcheck disable=SC2086
  dotnet build "$project" -t:PerfGate -tl:off -p:PerfGateConfirmRegressions=false -p:LyraInjectRegression="$inject" \
    -p:PerfGateBaselineFile="$baseline" -p:PerfGateReportDirectory="$tmp/reports-$label/" \
    -p:PerfGateHistoryFile="$tmp/history.jsonl" $extra > "$tmp/gate-$label.log" 2>&1
  rc=$?
  t1=$(date +%s.%N)
  [ -f "$tmp/reports-$label/perf-report.json" ] && cp "$tmp/reports-$label/perf-report.json" "$data/$label-report.json"
  grep -E "(error|warning) LPG" "$tmp/gate-$label.log" | sed 's/ \[[^]]*\]$//' | sort -u > "$data/$label-gate.txt" || true
  grep -q "LPG0107" "$data/$label-gate.txt" && shift=yes || shift=no
  if grep -q "error LPG0101: [A-Za-z]* time regression in [^ ]*CacheBenchmarks.CacheHit" "$data/$label-gate.txt"; then cache=error
  elif grep -q "warning LPG0101: [A-Za-z]* time regression in [^ ]*CacheBenchmarks.CacheHit" "$data/$label-gate.txt"; then cache=warning
  else cache=no; fi
  errors=$(grep -c " error LPG" "$data/$label-gate.txt")
  printf '%s\t%s\t%s\t%.1f\t%s\t%s\t%s\t%s\t%s\n' "$label" "$inject" "$start" "$(echo "$t1 - $t0" | bc)" "$load" "$rc" "$shift" "$cache" "$errors" >> "$tsv"
  echo "   gate exit $rc, $(echo "$t1 - $t0" | bc | cut -d. -f1) s, LPG0107 $shift, CacheHit $cache, $errors error line(s)"
}

start_hogs
sleep 5 # let the load settle
for i in $(seq 1 "$runs"); do run_one "$(printf 'l%02d' "$i")" false; done
for i in $(seq 1 "$injected"); do run_one "$(printf 'li%02d' "$i")" true; done
stop_hogs

# Leave the sample built without the injected regression.
dotnet build "$project" -tl:off > /dev/null 2>&1 || echo "warning: rebuilding $project failed" >&2

failed=$(awk -F'\t' 'NR > 1 && $2 == "false" && $6 != 0' "$tsv" | wc -l)
total=$(awk -F'\t' 'NR > 1 && $2 == "false"' "$tsv" | wc -l)
caught=$(awk -F'\t' 'NR > 1 && $2 == "true" && $8 != "no"' "$tsv" | wc -l)
inj=$(awk -F'\t' 'NR > 1 && $2 == "true"' "$tsv" | wc -l)
echo "unchanged runs failed: $failed/$total; injected runs reporting CacheHit: $caught/$inj (see $tsv)"
