#!/bin/sh
# Copy the site to /tmp (the only place the container writes: it stays stateless), put
# $SITE_TITLE into the pages, then serve them on $PORT with a clean exit on SIGTERM.
# httpd as PID 1 would ignore SIGTERM, so `docker stop` would wait and kill it (exit 137).
set -eu

site=/tmp/site
rm -rf "$site"
cp -R /app/www "$site"
# Escape the characters that sed's replacement gives a meaning to.
title=$(printf '%s' "${SITE_TITLE:-My static site}" | sed -e 's/[\\/&|]/\\&/g')
for page in "$site"/*.html; do
  sed -i "s|__SITE_TITLE__|$title|g" "$page"
done

# -vv logs one line per request to stderr; 2>&1 sends it to stdout, the twelve-factor log stream.
httpd -f -vv -p "${PORT:-8080}" -h "$site" 2>&1 &
child=$!

trap 'kill -TERM "$child" 2>/dev/null; wait "$child" || true; exit 0' TERM INT
echo "serving $site on port ${PORT:-8080}"
wait "$child"
