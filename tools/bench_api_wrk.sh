#!/usr/bin/env bash
# POST /api/v1/assess under 32 closed-loop clients with wrk (Debian package "wrk"), the
# figures quoted in docs/benchmarks-web.md, beside the in-process limit measured in the same
# run. Loopback only; stops the server it starts.
#
#   tools/bench_api_wrk.sh [SECONDS] [WORKERS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-15}
workers=${2:-2}
command -v wrk >/dev/null || { echo "install wrk: apt-get install wrk" >&2; exit 2; }
work=$(mktemp -d)
port=$(.venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
token=$(.venv/bin/python - "$work" <<'PY'
import secrets, sys
from nelm.store import Store
store = Store(f"sqlite:///{sys.argv[1]}/bench.sqlite")
user = store.create_user("bench", "admin", secrets.token_urlsafe(16))
print(store.create_api_token(user.id, "bench")[1])
store.close()
PY
)
cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
wrk.body = io.open("examples/resectable-pnet.json"):read("*a")
LUA
NELM_DATABASE_URL="sqlite:///$work/bench.sqlite" .venv/bin/nelm serve --host 127.0.0.1 \
  --port "$port" --workers "$workers" >"$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do
  curl -s -o /dev/null "http://127.0.0.1:$port/api/v1/health" && break
  sleep 0.2
done
# The in-process limit, measured in the same run: the work of one request without HTTP
# (parse, validate, assess, encode the answer), median over 500 after warming up; with
# one worker per core, the server cannot answer more than workers / that time.
limit=$(.venv/bin/python - "$workers" <<'PY'
import statistics, sys, time
import orjson
from nelm.case.document import case_from_mapping, load_document_text
from nelm.service import assess_case
body = open("examples/resectable-pnet.json", encoding="utf-8").read()
def one():
    orjson.dumps(assess_case(case_from_mapping(load_document_text(body, source="b"))).to_document())
for _ in range(50):
    one()
timings = []
for _ in range(500):
    started = time.perf_counter(); one(); timings.append(time.perf_counter() - started)
median = statistics.median(timings)
print(f"{int(sys.argv[1]) / median:.0f}")
print(f"in-process: {median * 1000:.2f} ms per request (median of 500), limit "
      f"{int(sys.argv[1]) / median:,.0f} req/s with {sys.argv[1]} workers", file=sys.stderr)
PY
)
wrk -t1 -c32 -d"${seconds}s" --latency -s "$work/post.lua" \
  "http://127.0.0.1:$port/api/v1/assess" | tee "$work/wrk.txt"
achieved=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
awk -v a="$achieved" -v l="$limit" 'BEGIN { printf "throughput %.0f req/s = %.0f %% of the in-process limit %.0f req/s\n", a, 100 * a / l, l }'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
