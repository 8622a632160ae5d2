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
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
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
# The in-process limit, measured in the same run (tools/bench_api_inprocess.py): nelm's
# work for this body (parse, validate, assess, build and encode the answer), median of 500
# after warming up; with one worker per core the server cannot answer more than workers /
# that time. It also times the whole application called without HTTP, for reference.
limit=$(.venv/bin/python tools/bench_api_inprocess.py examples/resectable-pnet.json \
  "$workers" "sqlite:///$work/bench.sqlite" "$token")
# CPU seconds each server process spends during the run (from /proc): with keep-alive
# connections a worker keeps the connections it accepted, so the split shows whether both
# workers worked.
server_pids() { echo "$server"; pgrep -P "$server" || true; for p in $(pgrep -P "$server"); do pgrep -P "$p" || true; done; }
cpu_seconds() { for p in $(server_pids); do awk -v p="$p" '{ print p, ($14 + $15) / 100 }' "/proc/$p/stat" 2>/dev/null || true; done | sort; }
cpu_seconds >"$work/cpu0"
wrk -t1 -c32 -d"${seconds}s" --latency -s "$work/post.lua" \
  "http://127.0.0.1:$port/api/v1/assess" | tee "$work/wrk.txt"
cpu_seconds >"$work/cpu1"
echo "server CPU seconds during the run, per process: $(join "$work/cpu0" "$work/cpu1" | awk '$3 - $2 > 0.05 { printf "%.1f ", $3 - $2 }')(of ${seconds} s)"
achieved=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
answered=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
awk -v a="$achieved" -v l="$limit" 'BEGIN { printf "throughput %.0f req/s = %.0f %% of the in-process limit %.0f req/s\n", a, 100 * a / l, l }'
# The same comparison in CPU time, which other work on the machine disturbs much less:
# the server's CPU per answer against nelm's work per answer (workers / limit).
join "$work/cpu0" "$work/cpu1" | awk -v n="$answered" -v l="$limit" -v w="$workers" '
  { total += $3 - $2 }
  END { per = 1000 * total / n; own = 1000 * w / l
        printf "server CPU per answer %.2f ms, of which nelm'"'"'s work %.2f ms (%.0f %%)\n", per, own, 100 * own / per }'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (before: $load_before)"
