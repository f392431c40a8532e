#!/bin/sh
# Placeholder page of the base image; an app built FROM it brings its own www/.
printf 'Content-Type: text/plain\r\n\r\n'
printf '%s: built on the team base image. Add a www/ folder and build FROM this image.\n' "${APP_NAME:-app}"
