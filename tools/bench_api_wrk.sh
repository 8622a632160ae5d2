#!/usr/bin/env bash
# POST /api/v1/assess under 32 closed-loop clients with wrk (Debian package "wrk"), the
# figures quoted in docs/benchmarks-web.md. Loopback only; stops the server it starts.
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
wrk -t1 -c32 -d"${seconds}s" --latency -s "$work/post.lua" "http://127.0.0.1:$port/api/v1/assess"
