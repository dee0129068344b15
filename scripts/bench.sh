#!/usr/bin/env bash
# Runs the benchmarks against the release build and prints the figures docs/benchmarks.md quotes.
# Usage: make bench                 (builds release with --static-swift-stdlib, then runs everything)
#        scripts/bench.sh [NAME...]  (an existing release build; NAME: startup, or a PieBench
#                                     benchmark: policy sandbox grep sse agent session coldstart rss cancel
#                                     automations webhook)
# Every result line starts with its area and a colon, so `scripts/bench.sh | grep '^sse:'` works.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$PWD/.build/release
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for tool in "$bin/pie" "$bin/PieBench"; do
    [[ -x $tool ]] || { echo "bench: $tool is missing; run: make bench (or make release)" >&2; exit 2; }
done

startup=1
names=()
if (($#)); then
    startup=0
    for name in "$@"; do
        if [[ $name == startup ]]; then startup=1; else names+=("$name"); fi
    done
fi

echo "machine: $(nproc) cores, $(uname -r), $(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1-3 /proc/loadavg)"

if ((startup)); then
    if command -v hyperfine >/dev/null; then
        # -N: no intermediate shell, so the figure is pie's own start-up; /bin/true is the floor
        # of fork+exec on this machine at this moment.
        (cd "$work" && hyperfine -N --warmup 10 --runs 200 --export-json "$work/startup.json" \
            /bin/true "$bin/pie --version" "$bin/pie --print-tool-policy" >/dev/null)
        python3 - "$work/startup.json" <<'PY'
import json, statistics, sys
for r in json.load(open(sys.argv[1]))["results"]:
    times = sorted(r["times"])
    p90 = times[int(len(times) * 0.9)]
    name = r["command"].split("/")[-1]
    print(f'startup: {name}: median {r["median"]*1000:.2f} ms, p90 {p90*1000:.2f} ms, mean {r["mean"]*1000:.2f} ms ± {r["stddev"]*1000:.2f} (n={len(times)})')
PY
    else
        echo "startup: hyperfine not installed (BENCH=1 scripts/install-deps.sh)"
    fi
fi

if (($# && ${#names[@]} == 0)); then exit 0; fi
(cd "$work" && "$bin/PieBench" "${names[@]}")
