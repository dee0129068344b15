#!/usr/bin/env bash
# Installs the Debian packages pie builds and tests against, only when one is missing.
# Swift packages come through SwiftPM (Package.swift); nothing else is fetched.
set -euo pipefail

packages=(bubblewrap libseccomp-dev libcurl4-openssl-dev libssl-dev libsqlite3-dev libedit-dev libpq-dev postgresql pkg-config tmux python3 tzdata curl openssl)
if [[ "${BENCH:-}" == "1" ]]; then
  packages+=(hyperfine ripgrep)
fi

# Test oracles from PyPI, pinned: croniter is the reference the cron property test compares
# against (Tests/PieAutomationsTests/CronOracleTests.swift); jsonschema judges the same random
# (schema, instance) pairs as PieJSON's JSONSchema (Tests/PieJSONTests/Schema/JSONSchemaOracleTests.swift),
# and pydantic writes the schemas MCP servers send (PydanticSchemaTests.swift); mcp-server-time is
# the official reference MCP server, and mcp the official Python SDK the MCP tests' own servers are
# built on (Tests/PieMCPTests) and whose streamable HTTP server the HTTP transport is tested
# against (Tests/PieMCPHTTPTests). Installed for the python3 on PATH, which is the one the tests
# run, in one pip call so its resolver sees every pin at once.
python_oracles=(croniter==7.0.0 jsonschema==4.26.0 pydantic==2.13.4 mcp==2.3.0 mcp-server-time==2026.10.19)
install_python_oracles() {
  local requirement name version
  local wanted=()
  for requirement in "${python_oracles[@]}"; do
    name=${requirement%%==*}
    version=${requirement##*==}
    if ! python3 -c "import importlib.metadata as m, sys; sys.exit(m.version('$name') != '$version')" 2>/dev/null; then
      wanted+=("$requirement")
    fi
  done
  [[ ${#wanted[@]} -eq 0 ]] && return 0
  echo "installing python test oracles: ${wanted[*]}"
  # Debian's own python3 refuses pip installs into the system (PEP 668) unless told.
  python3 -m pip install --quiet --disable-pip-version-check "${python_oracles[@]}" 2>/dev/null \
    || python3 -m pip install --quiet --disable-pip-version-check --user --break-system-packages "${python_oracles[@]}"
}

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if [[ ${#missing[@]} -eq 0 ]]; then
  install_python_oracles
  exit 0
fi

echo "installing: ${missing[*]}"
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "error: need root or sudo to apt-get install ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
install_python_oracles
