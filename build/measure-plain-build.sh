#!/usr/bin/env bash
# What importing Lyra.Perf.Sdk costs a plain `dotnet build` (issue 11: goal < 2 % on a no-op incremental build).
#
# Packs the SDK into a private feed, writes two identical one-file console apps with a BenchmarkDotNet class — one
# with the <Sdk Name="Lyra.Perf.Sdk" /> line, one with a plain BenchmarkDotNet PackageReference instead (so only the
# SDK's own targets differ) — builds each once, then times PAIRS interleaved pairs of no-op incremental builds
# (`dotnet build --no-restore`, order alternating within the pairs so drift hits both alike) and prints each median
# and the difference in %.
#
# Usage: build/measure-plain-build.sh [PAIRS=8]     (from the repository root; on a quiet machine)
set -euo pipefail

pairs="${1:-8}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/lyra-plain-build.XXXXXX")"
version="1.0.0-plain.$(date -u +%Y%m%d%H%M%S)"
trap 'rm -rf "$work"' EXIT
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet pack "$root/Lyra.Perf.Sdk/Lyra.Perf.Sdk.csproj" -c Release -o "$work/feed" -p:LyraPerfVersion="$version" -tl:off -nologo -v:q >/dev/null
cat > "$work/nuget.config" <<XML
<configuration>
  <config><add key="globalPackagesFolder" value="$work/packages" /></config>
  <fallbackPackageFolders><add key="user" value="$HOME/.nuget/packages" /></fallbackPackageFolders>
  <packageSources><add key="lyra-plain-build" value="$work/feed" /></packageSources>
</configuration>
XML
echo '<Project />' > "$work/Directory.Build.props"
echo '<Project />' > "$work/Directory.Build.targets"
echo '<Project />' > "$work/Directory.Packages.props"

for kind in with without; do
  mkdir -p "$work/$kind"
  if [ "$kind" = with ]; then
    reference="<Sdk Name=\"Lyra.Perf.Sdk\" Version=\"$version\" />"
    packages=""
  else
    reference=""
    packages='<ItemGroup><PackageReference Include="BenchmarkDotNet" Version="0.15.8" /></ItemGroup>'
  fi
  cat > "$work/$kind/App.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  $reference
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
  </PropertyGroup>
  $packages
</Project>
XML
  cat > "$work/$kind/Bench.cs" <<'CS'
using BenchmarkDotNet.Attributes;

public class Bench
{
    [Benchmark]
    public int Sum() => Enumerable.Range(0, 100).Sum();
}
CS
  if [ "$kind" = without ]; then
    echo 'BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Bench).Assembly).Run(args);' > "$work/$kind/Program.cs"
  fi
  dotnet build "$work/$kind" -tl:off -nologo -v:q >/dev/null
done

# One no-op build; prints its wall time in milliseconds.
time_build() {
  local start end
  start=$(date +%s%N)
  dotnet build "$work/$1" --no-restore -tl:off -nologo -v:q >/dev/null
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}

with=() without=()
for ((i = 0; i < pairs; i++)); do
  if (( i % 2 == 0 )); then
    with+=("$(time_build with)"); without+=("$(time_build without)")
  else
    without+=("$(time_build without)"); with+=("$(time_build with)")
  fi
done

median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
m_with=$(median "${with[@]}")
m_without=$(median "${without[@]}")
echo "no-op build, median of $pairs: with the SDK ${m_with} ms, without ${m_without} ms"
awk -v a="$m_with" -v b="$m_without" 'BEGIN { printf "difference: %+.1f %%\n", (a / b - 1) * 100 }'
