#!/usr/bin/env bash
# In-process A/B probe (issue 13): both builds of the sample benchmarks loaded side by side in one process (one
# AssemblyLoadContext per side), iterations alternated A B B A … (interleaved) and in blocks (blocked), on equal
# machine time; see eval/Lyra.Perf.AbProbe. Research code: measures what in-process alternation buys against the
# gate's process alternation (build/collect-ab-runs.sh).
#
#   eval/ab-probe.sh prepare --dir DIR [--ref HEAD] [--variants "base unchanged slow10 slow25"]
#       Per variant: `git archive` of REF into DIR/src/<variant> (your working tree is never touched), the change
#       planted, built in Release; DIR/<variant> links to its bin/Release/net10.0.
#         base       REF as it is (side B of every run)
#         unchanged  a comment-only change to a benchmark source file
#         slow10     samples/Lyra.Core/Slowdown.cs compiled with Factor = 1.10 (as collect-ab-runs.sh plants it)
#         slow25     the same with 1.25
#   eval/ab-probe.sh run --dir DIR --variant V --out FILE.tsv [probe run options: --budget 180 --filter GLOB …]
#       One probe run: A = DIR/V, B = DIR/base.
#   eval/ab-probe.sh series --dir DIR --data OUT [--runs 3] [--variants "unchanged slow10 slow25"] [probe run options]
#       RUNS rounds of every variant (variants alternate within a round), then the analysis of all runs.
#   eval/ab-probe.sh analyse FILE.tsv… [--threshold 5] [--suite-seconds 60] [--out SUMMARY.tsv]
#   eval/ab-probe.sh selftest --dir DIR [--seconds 24]      checks that can fail (see the probe's SelfTest.cs)
set -uo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
probe_dll="$repo/eval/Lyra.Perf.AbProbe/bin/Release/net10.0/Lyra.Perf.AbProbe.dll"
cmd="${1:-}"; [ $# -gt 0 ] && shift

build_probe() {
  dotnet build "$repo/eval/Lyra.Perf.AbProbe" -c Release -nologo -tl:off -v:q > /tmp/ab-probe-build.log 2>&1 \
    || { tail -20 /tmp/ab-probe-build.log >&2; echo "building the probe failed" >&2; exit 1; }
}
probe() { DOTNET_CLI_TELEMETRY_OPTOUT=1 dotnet "$probe_dll" "$@"; }

plant() { # variant source-dir
  case "$1" in
    base) ;;
    unchanged) printf '\n// A comment-only change (ab-probe.sh).\n' >> "$2/samples/Lyra.Core.Benchmarks/CacheBenchmarks.cs" ;;
    slow10|slow25)
      local factor=1.10; [ "$1" = slow25 ] && factor=1.25
      sed -i "s|Factor = Read(Environment.GetEnvironmentVariable(VariableName));|Factor = $factor; // planted by ab-probe.sh|" "$2/samples/Lyra.Core/Slowdown.cs"
      grep -q "Factor = $factor;" "$2/samples/Lyra.Core/Slowdown.cs" || { echo "could not plant $1 (Slowdown.cs changed?)" >&2; exit 1; } ;;
    *) echo "unknown variant $1 (base unchanged slow10 slow25)" >&2; exit 2 ;;
  esac
}

case "$cmd" in
  prepare)
    dir="" ref="HEAD" variants="base unchanged slow10 slow25"
    while [ $# -gt 0 ]; do
      case "$1" in
        --dir) dir="$2"; shift 2 ;; --ref) ref="$2"; shift 2 ;; --variants) variants="$2"; shift 2 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
      esac
    done
    [ -n "$dir" ] || { echo "--dir DIR is required" >&2; exit 2; }
    mkdir -p "$dir/src"; dir="$(cd "$dir" && pwd)"
    sha="$(git -C "$repo" rev-parse --verify "$ref^{commit}")" || exit 2
    echo "$sha $(git -C "$repo" log -1 --format=%s "$sha")" > "$dir/ref.txt"
    # The sides use this checkout's tasks, as the gate's own base build does (the sides do not build theirs).
    tasks="$repo/Lyra.Perf.Tasks/bin/Release/net10.0/Lyra.Perf.Tasks.dll"
    dotnet build "$repo/Lyra.Perf.Tasks" -c Release -f net10.0 -nologo -tl:off -v:q > "$dir/build-tasks.log" 2>&1 \
      || { tail -20 "$dir/build-tasks.log" >&2; echo "building the tasks failed" >&2; exit 1; }
    for v in $variants; do
      src="$dir/src/$v"
      rm -rf "$src"; mkdir -p "$src"
      git -C "$repo" archive --format=tar "$sha" | tar -x -C "$src" || exit 1
      plant "$v" "$src"
      # _PerfGateBaseSide: build the sample without its from-source task project (as the gate's own base build does).
      echo "building $v ($sha) …"
      (cd "$src" && dotnet build samples/Lyra.Core.Benchmarks -c Release -nologo -tl:off -v:q -p:_PerfGateBaseSide=true "-p:LyraPerfTasksAssembly=$tasks") > "$dir/build-$v.log" 2>&1 \
        || { grep -E "error|warning" "$dir/build-$v.log" | head -20 >&2; echo "build of $v failed (log: $dir/build-$v.log)" >&2; exit 1; }
      ln -sfn "$src/samples/Lyra.Core.Benchmarks/bin/Release/net10.0" "$dir/$v"
    done
    build_probe
    echo "sides ready in $dir: $(cd "$dir" && ls -d $variants | tr '\n' ' ')"
    ;;
  run)
    dir="" variant="" out="" rest=()
    while [ $# -gt 0 ]; do
      case "$1" in
        --dir) dir="$2"; shift 2 ;; --variant) variant="$2"; shift 2 ;; --out) out="$2"; shift 2 ;;
        *) rest+=("$1"); shift ;;
      esac
    done
    [ -n "$dir" ] && [ -n "$variant" ] && [ -n "$out" ] || { echo "--dir, --variant and --out are required" >&2; exit 2; }
    [ -f "$probe_dll" ] || build_probe
    probe run --a "$dir/$variant" --b "$dir/base" --out "$out" --static Lyra.Core.Slowdown.Factor "${rest[@]}"
    ;;
  series)
    dir="" data="" runs=3 variants="unchanged slow10 slow25" rest=()
    while [ $# -gt 0 ]; do
      case "$1" in
        --dir) dir="$2"; shift 2 ;; --data) data="$2"; shift 2 ;; --runs) runs="$2"; shift 2 ;; --variants) variants="$2"; shift 2 ;;
        *) rest+=("$1"); shift ;;
      esac
    done
    [ -n "$dir" ] && [ -n "$data" ] || { echo "--dir and --data are required" >&2; exit 2; }
    mkdir -p "$data"; [ -f "$probe_dll" ] || build_probe
    cp "$dir/ref.txt" "$data/ref.txt" 2>/dev/null
    for i in $(seq -w 1 "$runs"); do
      for v in $variants; do
        echo "== $v run $i ($(date -u +%T), load $(cut -d' ' -f1 /proc/loadavg))"
        probe run --a "$dir/$v" --b "$dir/base" --out "$data/$v-$i.tsv" --static Lyra.Core.Slowdown.Factor "${rest[@]}" > "$data/$v-$i.log" 2>&1 \
          || { tail -5 "$data/$v-$i.log"; echo "run $v-$i failed or had failing benchmarks (log: $data/$v-$i.log)"; }
      done
    done
    for v in $variants; do
      probe analyse "$data"/"$v"-*.tsv --out "$data/summary-$v.tsv" > "$data/summary-$v.txt"
      echo "== $v"; sed -n '/^Per run and scheme/,$p' "$data/summary-$v.txt"
    done
    ;;
  analyse|analyze)
    [ -f "$probe_dll" ] || build_probe
    probe analyse "$@"
    ;;
  selftest)
    dir="" rest=()
    while [ $# -gt 0 ]; do
      case "$1" in --dir) dir="$2"; shift 2 ;; *) rest+=("$1"); shift ;; esac
    done
    [ -f "$probe_dll" ] || build_probe
    if [ -n "$dir" ]; then probe selftest --base "$dir/base" --slow "$dir/slow25" --same "$dir/unchanged" "${rest[@]}"
    else probe selftest "${rest[@]}"; fi
    ;;
  *) sed -n '2,22p' "$0"; exit 2 ;;
esac
