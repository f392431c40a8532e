#!/bin/sh
# The app itself: its answer depends on config from the environment (factor III), never on a file.
printf 'Content-Type: text/plain\r\n\r\n'
printf '%s\n' "${GREETING:-hello}"
