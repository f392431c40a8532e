#!/bin/sh
# PID 1 has no default signal handlers: httpd as PID 1 ignores SIGTERM and is SIGKILLed after 10 s.
# So the shell stays PID 1, runs httpd as a child, and turns SIGTERM into a clean, quick exit.
httpd -f -p "${PORT:-8080}" -h /www &
httpd_pid=$!
trap 'kill -TERM "$httpd_pid"; wait "$httpd_pid"; exit 0' TERM INT
wait "$httpd_pid"
