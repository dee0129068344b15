#!/usr/bin/env bash
# `make demo`: pie's main job with no API key and no network. A recorded model transcript
# (examples/demo-transcript.jsonl) drives pie under the hardened preset on a copy of
# examples/demo-project: the model reads a file, edits it, runs the tests inside bubblewrap +
# seccomp, tries something the policy denies and recovers. Then the audit trail is shown and
# verified, and the recorded session is re-judged under the permissive preset.
# Usage: scripts/demo.sh PATH/TO/pie
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
pie=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
project="$work/demo-project"
cp -R "$repo/examples/demo-project" "$project"
export PIE_DIR="$work/pie-home"
audit="$work/audit.jsonl"
cd "$project"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "the policy: pie --print-tool-policy --tool-policy-preset hardened (excerpt)"
"$pie" --print-tool-policy --tool-policy-preset hardened --allow-command python3 \
  | grep -E '"(preset|bash_profile|os_sandbox_mode|max_file_read_bytes|bash_timeout_ms)"'

say "pie -p '…' --provider replay --tool-policy-preset hardened --allow-command python3"
"$pie" --provider replay --replay "$repo/examples/demo-transcript.jsonl" \
  --tool-policy-preset hardened --allow-command python3 --tool-audit-log "$audit" \
  -p "Add a discount parameter to total() in src/app.py and run the tests."

say "what changed on disk"
diff -u "$repo/examples/demo-project/src/app.py" src/app.py || true

say "pie audit show (denials)"
"$pie" audit show "$audit" --decision deny

say "pie audit verify"
"$pie" audit verify "$audit"

say "tampering with one record, then pie audit verify again"
sed -i '2s/"allow"/"deny"/' "$audit"
if "$pie" audit verify "$audit"; then echo "unexpected: tampering went unnoticed"; exit 1; fi

session=$(ls "$PIE_DIR"/sessions/*/*.jsonl)
say "pie audit replay: the recorded session re-judged under the strict preset without python3"
"$pie" audit replay "$session" --tool-policy-preset strict || true
