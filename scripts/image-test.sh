#!/usr/bin/env bash
# Builds the image (scripts/image-build.sh), runs it with podman, and checks it from outside:
# /healthz, the image's own HEALTHCHECK (o4o healthcheck), real requests through it (the web app,
# the API after `o4o seed`, a login), that it runs as a non-root user under tini, that its data
# stays in the volume across a restart, and that SIGTERM stops it with exit code 0 within 10 s.
# Not part of .ci/run (it takes minutes); prints how long the build took and the image size.
#   O4O_IMAGE_SKIP_BUILD=1   test the o4o:latest already built
set -euo pipefail
cd "$(dirname "$0")/.."

image=o4o:latest
# runc rather than Debian's default crun, which refuses hosts with cgroups in hybrid mode.
podman=(podman)
command -v runc >/dev/null 2>&1 && podman=(podman --runtime runc)
name="o4o-image-test-$$"
volume="o4o-image-test-$$"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
fail() { echo "FAIL: $*" >&2; "${podman[@]}" logs --tail 20 "$name" >&2 2>/dev/null || true; exit 1; }
cleanup() {
  "${podman[@]}" rm -f -t 2 "$name" >/dev/null 2>&1 || true
  "${podman[@]}" volume rm -f "$volume" >/dev/null 2>&1 || true
}
trap cleanup EXIT

build_s="-"
if [ "${O4O_IMAGE_SKIP_BUILD:-0}" != "1" ]; then
  start=$(date +%s)
  bash scripts/image-build.sh
  build_s=$(( $(date +%s) - start ))
fi
size=$("${podman[@]}" image inspect --format '{{.Size}}' "$image")

start_container() {
  # Host networking: the sandboxes this runs in may have no bridge or port forwarding; the port
  # is an O4O_* setting like any other.
  # Limits within the machine's own: podman's defaults (1048576 descriptors) may be more than a
  # sandbox lets a process have.
  "${podman[@]}" run -d --name "$name" --network host -v "$volume:/var/lib/o4o" \
    --ulimit "nofile=$(ulimit -Hn):$(ulimit -Hn)" --ulimit nproc=4096:4096 \
    -e O4O_PORT="$port" -e O4O_HOST=127.0.0.1 -e O4O_RATE_LIMIT_RPS=0 "$image" >/dev/null
  for _ in $(seq 1 100); do
    curl -fsS -m 2 "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  fail "/healthz did not answer within 10 s"
}

echo "==> running $image on 127.0.0.1:$port"
t0=$(date +%s%N)
start_container
echo "    serving after $(( ($(date +%s%N) - t0) / 1000000 )) ms"

url="http://127.0.0.1:$port"
[ "$(curl -fsS "$url/healthz")" = '{"status":"ok"}' ] || fail "/healthz body"
curl -fsS "$url/readyz" >/dev/null || fail "/readyz"
"${podman[@]}" healthcheck run "$name" >/dev/null || fail "the image's HEALTHCHECK (o4o healthcheck) failed"
"${podman[@]}" inspect --format '{{.Config.Healthcheck.Test}}' "$name" | grep -q 'o4o healthcheck' \
  || fail "HEALTHCHECK is not o4o healthcheck"
[ "$("${podman[@]}" exec "$name" id -u)" != "0" ] || fail "runs as root"
"${podman[@]}" exec "$name" cat /proc/1/cmdline | tr '\0' ' ' | grep -q '^/usr/bin/tini' || fail "PID 1 is not tini"
curl -fsS "$url/" | grep -qi '<div id="root"' || fail "the web app's index.html is not served"
curl -fsS "$url/metrics" | grep -q '^http_requests_total' || fail "/metrics"

echo "==> seed and a request through the API"
"${podman[@]}" exec "$name" o4o seed --database sqlite:/var/lib/o4o/o4o.db >/dev/null 2>&1 || fail "o4o seed"
products=$(curl -fsS "$url/api/v1/ecommerce/products")
echo "$products" | python3 -c 'import json,sys; d=json.load(sys.stdin); n=len(d["data"]["items"]); assert n>0, d; print(f"    {n} products")' \
  || fail "no products after seed"
login=$(curl -fsS -H 'content-type: application/json' \
  -d '{"email":"user@o4o.local","password":"o4o-User-2026!"}' "$url/api/v1/auth/login") || fail "login"
token=$(echo "$login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["accessToken"])')
curl -fsS -H "authorization: Bearer $token" "$url/api/v1/auth/me" | grep -q 'user@o4o.local' || fail "/auth/me"

echo "==> SIGTERM, then a restart on the same volume"
t0=$(date +%s%N)
"${podman[@]}" stop -t 15 "$name" >/dev/null
stop_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
code=$("${podman[@]}" inspect --format '{{.State.ExitCode}}' "$name")
[ "$code" = "0" ] || fail "exit code $code after SIGTERM"
[ "$stop_ms" -lt 10000 ] || fail "stopping took $stop_ms ms"
"${podman[@]}" rm "$name" >/dev/null
start_container
curl -fsS -H 'content-type: application/json' -d '{"email":"user@o4o.local","password":"o4o-User-2026!"}' \
  "$url/api/v1/auth/login" >/dev/null || fail "the account did not survive the restart (volume)"

echo "image test: ok (build ${build_s} s, image $(( size / 1000000 )) MB, stop ${stop_ms} ms)"
