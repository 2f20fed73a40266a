#!/usr/bin/env bash
# The benchmark at scale, end to end, on the embedded store:
#
#   ./scripts/bench.sh SIZE [RELATIONSHIPS]     (RELATIONSHIPS: 5 × SIZE by default)
#
# generates a synthetic graph of SIZE entities (vjkg generate), builds the
# server, imports the graph into a fresh data directory (time, records/s,
# peak memory), starts the server on a free port of 127.0.0.1 (time to
# ready, resident memory), sends a seeded query mix with concurrent clients
# (tools/loadgen: p50/p99 and req/s per query kind), times NetworkX's
# shortest paths on the same pairs, and prints one markdown table.
#
# Environment: BENCH_DURATION per query kind (10s) and BENCH_MIN_REQUESTS
# (20: a slow kind runs until it has that many answers), BENCH_CLIENTS (4),
# BENCH_SEED (1), BENCH_PAIRS (1000), BENCH_REQUEST_TIMEOUT in seconds (the
# server's -request-timeout, 10 as by default: raise it to measure queries
# that take longer rather than fail on TIMEOUT), BENCH_KEEP=1 keeps the
# temporary directory. Needs Go and Debian's /usr/bin/python3 with python3-networkx
# (scripts/test.sh installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
export HOME="${HOME:-/root}"

size="${1:-}"
if ! [[ "$size" =~ ^[0-9]+$ ]] || [ $# -gt 2 ]; then
  echo "usage: $0 SIZE [RELATIONSHIPS]" >&2; exit 2
fi
relationships="${2:-$((5 * size))}"
duration="${BENCH_DURATION:-10s}"
min_requests="${BENCH_MIN_REQUESTS:-20}"
clients="${BENCH_CLIENTS:-4}"
seed="${BENCH_SEED:-1}"
pairs="${BENCH_PAIRS:-1000}"
request_timeout="${BENCH_REQUEST_TIMEOUT:-10}"
[[ "$request_timeout" =~ ^[0-9]+$ ]] || { echo "BENCH_REQUEST_TIMEOUT is a number of seconds" >&2; exit 2; }
python=/usr/bin/python3
"$python" -c 'import networkx' 2>/dev/null ||
  { echo "$python cannot import networkx: install python3-networkx (scripts/test.sh does)" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vjkg-bench.XXXXXX")
server_pid=""
child=""
cleanup() {
  status=$?
  for pid in $child $server_pid; do
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  if [ "${BENCH_KEEP:-}" = 1 ]; then
    echo "kept $tmp" >&2
  else
    rm -rf "$tmp"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

step() { printf '\n== %s\n' "$*" >&2; }
# run runs a long step in the background and waits for it: bash runs a trap
# only between foreground commands, so an interrupt would otherwise wait for
# the step to end before cleaning up.
run() { "$@" & child=$!; wait "$child"; }
results="$tmp/results"
graph="$tmp/graph"

# A release build: optimised, without the race detector; plain flags, so that
# it reuses what go vet and go build have compiled already.
step "build the server and the load generator"
go build -o "$tmp/vjkg" .
go build -o "$tmp/loadgen" ./tools/loadgen
loadgen="$tmp/loadgen"

step "generate $size entities, $relationships relationships (seed $seed)"
run "$loadgen" measure -results "$results" -name generate -- \
  "$tmp/vjkg" generate -entities "$size" -relationships "$relationships" -seed "$seed" -out "$graph"
sources=$(($(wc -l < "$graph/sources.csv") - 1))
echo "graph $size $relationships" >> "$results"
echo "records $((sources + size + relationships))" >> "$results"
echo "request_timeout $request_timeout" >> "$results"

step "import into a fresh embedded store"
run "$loadgen" measure -results "$results" -name import -- \
  "$tmp/vjkg" import -seed=false -data-dir "$tmp/data" "$graph/sources.csv" "$graph/nodes.csv" "$graph/edges.csv"

step "start the server"
since=$(date +%s%N)
"$tmp/vjkg" -host 127.0.0.1 -port 0 -data-dir "$tmp/data" -seed=false -request-timeout "${request_timeout}s" \
  2> "$tmp/server.log" &
server_pid=$!
url=$("$loadgen" ready -results "$results" -log "$tmp/server.log" -pid "$server_pid" -since "$since")
echo "ready at $url" >&2
"$loadgen" mem -results "$results" -name ready -pid "$server_pid"

step "load: $clients clients, $duration per query kind, requests time out after ${request_timeout}s"
run "$loadgen" load -results "$results" -url "$url" -nodes "$graph/nodes.csv" -seed "$seed" \
  -clients "$clients" -duration "$duration" -min-requests "$min_requests" -pairs "$pairs" -pairs-out "$tmp/pairs" -timeout "$((request_timeout + 30))s"
"$loadgen" mem -results "$results" -name after -pid "$server_pid"
kill "$server_pid"
wait "$server_pid" || { echo "the server did not shut down cleanly; its log:" >&2; tail -20 "$tmp/server.log" >&2; exit 1; }
server_pid=""

step "NetworkX on the same pairs (the server is stopped)"
run "$python" tools/loadgen/nx_paths.py "$graph/nodes.csv" "$graph/edges.csv" "$tmp/pairs" "$results"

step "results: $(go version | cut -d' ' -f3), $(nproc) cores, $(date -u +%Y-%m-%d)"
"$loadgen" report -results "$results"
