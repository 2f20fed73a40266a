#!/usr/bin/env bash
# Soak test (not run in CI): builds the server and keeps it under mixed load
# for a while — ordinary readers, a writer, network measures, and two hostile
# clients sending the cases of issue 7 (fragment chains, aliases, duplicate
# fields, large documents, whole-graph exports, oversized bodies, bad paths,
# anonymous mutations, clients that hang up) — and reports, every interval,
# the server's resident memory and what each client got. It fails when any
# client got an answer it should not have.
#
#   ./scripts/soak.sh            # 30 minutes
#   ./scripts/soak.sh 5m         # any Go duration
#   ENTITIES=20000 INTERVAL=1m ./scripts/soak.sh 2h
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
export HOME="${HOME:-/root}"

duration="${1:-30m}"
bin="$(mktemp -d)/vjkg"
trap 'rm -rf "$(dirname "$bin")"' EXIT
go build -o "$bin" .
nice -n 10 go run ./scripts/hostile soak -bin "$bin" -duration "$duration" \
  -interval "${INTERVAL:-30s}" -entities "${ENTITIES:-5000}" -readers "${READERS:-4}"
