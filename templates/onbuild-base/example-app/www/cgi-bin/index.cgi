#!/bin/sh
# example-app's page: copied into /app/www by team-base's ONBUILD trigger, replacing the placeholder.
printf 'Content-Type: text/plain\r\n\r\n'
printf 'Hello from %s, built FROM team-base.\n' "${APP_NAME:-example-app}"
