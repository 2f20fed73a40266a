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

step "Debian packages the tests use: NetworkX (reads the exports), Chromium and CJK fonts (the explorer test), Node.js"
wanted=(python3-networkx chromium fonts-noto-cjk)
command -v npm >/dev/null 2>&1 || wanted+=(nodejs npm)
missing=()
for pkg in "${wanted[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
export VJKG_REQUIRE_NETWORKX=1 VJKG_REQUIRE_BROWSER=1

step "Neo4j's Cypher front end (npm, pinned by tools/cypherlint/package-lock.json)"
(cd tools/cypherlint && npm ci --no-audit --no-fund --loglevel=error)
export VJKG_REQUIRE_CYPHERLINT=1

step "NornicDB, the Bolt server standing in for Neo4j (pinned by tools/nornicdb/go.mod)"
NORNICDB_BIN=$(./scripts/nornicdb.sh)
export NORNICDB_BIN VJKG_REQUIRE_NEO4J=1
echo "$NORNICDB_BIN"

step "tests (race detector on)"
go test -race -count=1 ./...
