#!/bin/sh
# Start busybox httpd in the foreground on $PORT and stop it cleanly on SIGTERM.
# httpd as PID 1 would ignore SIGTERM (PID 1 has no default signal handlers), so `docker stop`
# would wait 10 s and kill it (exit 137). This wrapper traps the signal and forwards it.
set -eu

# -vv logs one line per request to stderr; 2>&1 sends it to stdout, the twelve-factor log stream.
httpd -f -vv -p "${PORT:-8080}" -h /app/www 2>&1 &
child=$!

trap 'kill -TERM "$child" 2>/dev/null; wait "$child" || true; exit 0' TERM INT
echo "listening on port ${PORT:-8080}"
wait "$child"
