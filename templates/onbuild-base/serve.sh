#!/bin/sh
# The team's one way to run a web app: busybox httpd on $PORT, serving /app/www, request log on
# stdout, and a clean exit on SIGTERM. httpd as PID 1 would ignore SIGTERM (PID 1 has no default
# signal handlers), so `docker stop` would wait and kill it (exit 137); this wrapper forwards it.
set -eu

httpd -f -vv -p "${PORT:-8080}" -h /app/www 2>&1 &
child=$!

trap 'kill -TERM "$child" 2>/dev/null; wait "$child" || true; exit 0' TERM INT
echo "${APP_NAME:-app} listening on port ${PORT:-8080}"
wait "$child"
