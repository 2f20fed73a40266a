#!/usr/bin/env bash
# Builds NornicDB (pinned in tools/nornicdb/go.mod) from the Go module proxy
# once, caches the binary, and prints its path. The tests start it as a
# stand-in for Neo4j (see internal/nornic).
#
#   NORNICDB_BIN=$(./scripts/nornicdb.sh)
set -euo pipefail
cd "$(dirname "$0")/../tools/nornicdb"
export PATH="$PATH:/usr/local/go/bin"

version=$(go list -m -f '{{.Version}}' github.com/orneryd/nornicdb)
cache="${VJKG_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/vjkg}/nornicdb-$version"
bin="$cache/nornicdb"
if [ ! -x "$bin" ]; then
  mkdir -p "$cache"
  echo "building NornicDB $version into $cache (a few minutes, once)" >&2
  # noui: no web UI build; CGO_ENABLED=0: no llama library. -mod=mod lets the
  # build fetch what go.sum pins.
  CGO_ENABLED=0 go build -mod=mod -tags noui -o "$bin.tmp" github.com/orneryd/nornicdb/cmd/nornicdb >&2
  mv "$bin.tmp" "$bin"
fi
echo "$bin"
