#!/usr/bin/env bash
# Packs a dataset folder into one reproducible archive for eval/data/ (sorted names, fixed time and owner, gzip
# without a name or stamp), so re-packing unchanged files gives the same bytes.
# Usage: eval/pack-data.sh DIR [OUT.tar.gz]   (default OUT: eval/data/<name of DIR>.tar.gz)
set -euo pipefail
dir="${1:?usage: eval/pack-data.sh DIR [OUT.tar.gz]}"
dir="$(cd "$dir" && pwd)"
name="$(basename "$dir")"
out="${2:-$(cd "$(dirname "$0")" && pwd)/data/$name.tar.gz}"
mkdir -p "$(dirname "$out")"
tar --sort=name --mtime='2026-01-01 00:00:00Z' --owner=0 --group=0 --numeric-owner --format=posix \
  --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
  -cf - -C "$(dirname "$dir")" "$name" | gzip -9n > "$out.tmp"
mv "$out.tmp" "$out"
echo "$out: $(stat -c %s "$out") bytes"
