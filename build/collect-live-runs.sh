#!/usr/bin/env bash
# Collects live gate runs of the sample suite for the verdict-quality evaluation (issue 3, "live").
#
# Each run i is one gate-equivalent run of samples/Lyra.Core.Benchmarks:
#   dotnet build samples/Lyra.Core.Benchmarks -t:PerfGate -tl:off -p:PerfGateConfirmRegressions=false \
#     -p:PerfGateLaunches=$LAUNCHES -p:PerfGateArtifactsDirectory=$TMP/run-<label>/ \
#     -p:PerfGateReportDirectory=$TMP/reports-<label>/ -p:PerfGateHistoryFile=$TMP/history.jsonl
# (slowed runs with LYRA_CORE_SLOWDOWN=$FACTOR in the environment), then its raw BenchmarkDotNet results are converted
# into the compact baseline format (every launch's samples and allocations kept) in compare-only mode:
#   dotnet build samples/Lyra.Core.Benchmarks -t:PerfBaseline -tl:off -p:PerfGateResults=$TMP/run-<label>/ \
#     -p:PerfGateBaselineFile=$DATA/<label>.json
# and the gate's own report (its verdicts against the committed baseline) is kept as $DATA/<label>-report.json.
# Unchanged (u01, u02, …) and slowed (s01, s02, …) runs are interleaved u01 s01 u02 s02 … so machine drift hits both
# alike; once the slowed runs are done the remaining unchanged runs follow. One line per run goes to $DATA/runs.tsv
# (label, factor, launches, UTC start, wall seconds of the gate run and of the conversion, load average before the
# run, gate exit code, SHA-256 prefix of the task and engine assemblies used). $DATA is a working folder (outside the
# repository or ignored); the evaluation reads the dataset as one archive, eval/data/<name of $DATA>.tar.gz, packed by
# eval/pack-data.sh. With --commit, that archive is re-packed and committed after every run, so nothing is lost if the
# session stops. Replay: dotnet run --project eval/Lyra.Perf.Evaluation -c Release -- --live eval/data/<name>.tar.gz docs/verdict-quality.md
#
# Usage: build/collect-live-runs.sh --data DIR [--unchanged 20] [--slowed 10] [--factor 1.25] [--launches 5]
#          [--first-u 1] [--first-s 1] [--prefix-u u] [--prefix-s s] [--extra "-p:Name=Value …"] [--tmp DIR] [--commit]
# Runs from the repository root. Do not run other heavy jobs meanwhile: the machine's noise is what is measured.
set -uo pipefail

unchanged=20 slowed=10 factor=1.25 launches=5 first_u=1 first_s=1 prefix_u=u prefix_s=s extra="" commit=false
data="" tmp="${TMPDIR:-/tmp}/lyra-live-runs"
while [ $# -gt 0 ]; do
  case "$1" in
    --data) data="$2"; shift 2 ;;
    --unchanged) unchanged="$2"; shift 2 ;;
    --slowed) slowed="$2"; shift 2 ;;
    --factor) factor="$2"; shift 2 ;;
    --launches) launches="$2"; shift 2 ;;
    --first-u) first_u="$2"; shift 2 ;;
    --first-s) first_s="$2"; shift 2 ;;
    --prefix-u) prefix_u="$2"; shift 2 ;;
    --prefix-s) prefix_s="$2"; shift 2 ;;
    --extra) extra="$2"; shift 2 ;;
    --tmp) tmp="$2"; shift 2 ;;
    --commit) commit=true; shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
[ -n "$data" ] || { echo "--data DIR is required" >&2; exit 2; }

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
project=samples/Lyra.Core.Benchmarks
mkdir -p "$data" "$tmp"
data="$(cd "$data" && pwd)"
tsv="$data/runs.tsv"
[ -f "$tsv" ] || printf 'label\tfactor\tlaunches\tstart_utc\tgate_wall_s\tconvert_wall_s\tload_before\tgate_exit\ttasks_sha\tengine_sha\textra\n' > "$tsv"

sha() { [ -f "$1" ] && sha256sum "$1" | cut -c1-12 || echo "-"; }

commit_data() {
  $commit || return 0
  local archive="$root/eval/data/$(basename "$data").tar.gz"
  "$root/eval/pack-data.sh" "$data" "$archive" > /dev/null || { echo "warning: could not pack $data" >&2; return 0; }
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    if [ -e "$root/.git/index.lock" ]; then sleep 3; continue; fi
    git add -- "$archive" && git commit -q -m "$1" -- "$archive" && return 0
    sleep 3
  done
  echo "warning: could not commit $1" >&2
}

run_one() { # label factor
  local label="$1" f="$2" load start t0 t1 t2 rc
  load="$(uptime | sed 's/.*load average: //')"
  start="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  rm -rf "$tmp/run-$label" "$tmp/reports-$label"
  echo "== $label (factor $f, $launches launches) start $start, load $load"
  t0=$(date +%s.%N)
  # shellcheck disable=SC2086
  LYRA_CORE_SLOWDOWN="$f" dotnet build "$project" -t:PerfGate -tl:off -p:PerfGateConfirmRegressions=false \
    -p:PerfGateLaunches="$launches" -p:PerfGateArtifactsDirectory="$tmp/run-$label/" \
    -p:PerfGateReportDirectory="$tmp/reports-$label/" -p:PerfGateHistoryFile="$tmp/history.jsonl" $extra \
    > "$tmp/gate-$label.log" 2>&1
  rc=$?
  t1=$(date +%s.%N)
  # shellcheck disable=SC2086
  dotnet build "$project" -t:PerfBaseline -tl:off -p:PerfGateResults="$tmp/run-$label/" \
    -p:PerfGateBaselineFile="$data/$label.json" $extra > "$tmp/convert-$label.log" 2>&1 \
    || echo "warning: conversion of $label failed (see $tmp/convert-$label.log)" >&2
  t2=$(date +%s.%N)
  [ -f "$tmp/reports-$label/perf-report.json" ] && cp "$tmp/reports-$label/perf-report.json" "$data/$label-report.json"
  grep -E "(error|warning) LPG" "$tmp/gate-$label.log" | sed 's/ \[[^]]*\]$//' | sort -u > "$data/$label-gate.txt" || true
  printf '%s\t%s\t%s\t%s\t%.1f\t%.1f\t%s\t%s\t%s\t%s\t%s\n' "$label" "$f" "$launches" "$start" \
    "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)" "$load" "$rc" \
    "$(sha Lyra.Perf.Tasks/bin/Release/net10.0/Lyra.Perf.Tasks.dll)" \
    "$(sha Lyra.Perf.Tasks/bin/Release/net10.0/Lyra.Perf.Engine.dll)" "$extra" >> "$tsv"
  echo "   gate exit $rc, $(echo "$t1 - $t0" | bc | cut -d. -f1) s + convert $(echo "$t2 - $t1" | bc | cut -d. -f1) s"
  rm -rf "$tmp/run-$label" "$tmp/reports-$label"
  commit_data "Live gate run $label of the sample suite (factor $f, $launches launches)"
}

u=$first_u s=$first_s
last_u=$((first_u + unchanged - 1)) last_s=$((first_s + slowed - 1))
while [ "$u" -le "$last_u" ] || [ "$s" -le "$last_s" ]; do
  if [ "$u" -le "$last_u" ]; then run_one "$(printf '%s%02d' "$prefix_u" "$u")" 1; u=$((u + 1)); fi
  if [ "$s" -le "$last_s" ]; then run_one "$(printf '%s%02d' "$prefix_s" "$s")" "$factor"; s=$((s + 1)); fi
done
echo "done: $tsv"
