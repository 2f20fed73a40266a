#!/usr/bin/env bash
# The project's test command: formatting, vet, generated code, and the whole
# test suite with the race detector. Run from anywhere: ./scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
export HOME="${HOME:-/root}"  # go needs a cache directory

step() { printf '\n== %s\n' "$*"; }

step "gofmt"
unformatted=$(gofmt -l $(find . -name '*.go' -not -path './node_modules/*'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

step "go vet"
go vet ./...

step "generated GraphQL code matches schema.graphqls"
generated="graph/generated.go graph/model/models_gen.go graph/schema.resolvers.go"
before=$(cat $generated | sha256sum)
go generate ./...
if [ "$before" != "$(cat $generated | sha256sum)" ]; then
  echo "go generate changed the generated code: run it and commit the result"; exit 1
fi

step "what the tests use beyond Go, installed explicitly"
# Every Debian package the tests need, and why. --no-install-recommends keeps
# installs small and predictable, so nothing may be left to a Recommends:
# each package whose code the tests run is named here.
debian_packages=(
  python3          # Debian's interpreter, /usr/bin/python3 (not a pyenv one)
  python3-networkx # export/ and measure/ read our files with NetworkX
  python3-numpy    # NetworkX's pagerank (measure/) needs it
  python3-scipy    # NetworkX's pagerank (measure/) needs it
  chromium         # explorer/: the explorer in a headless browser
  fonts-noto-cjk   # explorer/: Japanese names render in screenshots
  ca-certificates  # npm and the Go module proxy over HTTPS
)
command -v npm >/dev/null 2>&1 || debian_packages+=(nodejs npm) # tools/cypherlint
# Python modules the checkers import, each with the package above that has it.
declare -A python_module_package=(
  [networkx]=python3-networkx [numpy]=python3-numpy [scipy]=python3-scipy
)
missing=()
for pkg in "${debian_packages[@]}"; do
  dpkg -s "$pkg" 2>/dev/null | grep -q '^Status: install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Nothing may rely on what only one machine has: every module a Python checker
# imports must be the standard library's or one installed above, and each of
# those must import.
python=/usr/bin/python3
imports=$(grep -rhoE '^\s*(import|from) [A-Za-z_][A-Za-z0-9_]*' --include='*.py' . | awk '{print $2}' | sort -u)
for module in $imports; do
  if "$python" -c "import sys; sys.exit(0 if '$module' in sys.stdlib_module_names else 1)"; then
    continue
  fi
  if [ -z "${python_module_package[$module]:-}" ]; then
    echo "a Python checker imports '$module', which scripts/test.sh does not install: add its Debian package"; exit 1
  fi
done
for module in "${!python_module_package[@]}"; do
  "$python" -c "import $module" || { echo "$python cannot import $module (package ${python_module_package[$module]})"; exit 1; }
done
"$python" -c "import networkx as nx; nx.pagerank(nx.DiGraph([(1, 2)]))" ||
  { echo "NetworkX is installed but cannot compute PageRank"; exit 1; }
[ -x /usr/bin/chromium ] || { echo "/usr/bin/chromium is missing"; exit 1; }
node --version >/dev/null || { echo "node is missing"; exit 1; }
export VJKG_PYTHON="$python" VJKG_REQUIRE_NETWORKX=1 VJKG_REQUIRE_BROWSER=1

step "Neo4j's Cypher front end (npm, pinned by tools/cypherlint/package-lock.json)"
(cd tools/cypherlint && npm ci --no-audit --no-fund --loglevel=error)
export VJKG_REQUIRE_CYPHERLINT=1

step "NornicDB, the Bolt server standing in for Neo4j (pinned by tools/nornicdb/go.mod)"
NORNICDB_BIN=$(./scripts/nornicdb.sh)
export NORNICDB_BIN VJKG_REQUIRE_NEO4J=1
echo "$NORNICDB_BIN"

step "tests (race detector on)"
go test -race -count=1 ./...

step "benchmark command at a small size (scripts/bench.sh 2000, 1 s per query kind)"
# Keeps the benchmark working: it fails on any GraphQL error, a server that
# does not start, or a missing tool.
BENCH_DURATION=1s ./scripts/bench.sh 2000
