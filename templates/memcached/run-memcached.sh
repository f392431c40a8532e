#!/bin/sh
# Turn the environment into memcached flags, then exec so memcached is PID 1 and receives
# SIGTERM from `docker stop` itself (memcached exits cleanly on it).
# -vv logs every client command; 2>&1 puts memcached's log on stdout, the twelve-factor log stream.
exec memcached \
  --port="${PORT:-11211}" \
  --memory-limit="${MEMCACHED_MEMORY_MB:-64}" \
  --conn-limit="${MEMCACHED_MAX_CONNECTIONS:-1024}" \
  -vv 2>&1
