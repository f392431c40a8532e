#!/bin/sh
# The port is config too (factor VII): the platform says where to listen.
exec httpd -f -p "${PORT:-8080}" -h /www
