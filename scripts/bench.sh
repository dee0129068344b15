#!/usr/bin/env bash
# Runs every benchmark against the release build and prints the figures docs/benchmarks.md quotes.
# Usage: make bench   (builds release with --static-swift-stdlib first)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.build/release
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== machine"
echo "$(nproc) cores, $(uname -r), $(date -u +%Y-%m-%d)"

echo "== start-up (hyperfine, release, --static-swift-stdlib)"
( cd "$work" && hyperfine -N --warmup 10 --runs 200 --export-json "$work/startup.json" \
    "$OLDPWD/$bin/pie --version" "$OLDPWD/$bin/pie --print-tool-policy" >/dev/null )
python3 - "$work/startup.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f'{r["command"].split("/")[-1]}: median {r["median"]*1000:.2f} ms, mean {r["mean"]*1000:.2f} ms ± {r["stddev"]*1000:.2f}')
PY

echo "== in-process benchmarks"
( cd "$work" && "$OLDPWD/$bin/PieBench" "$@" )
