#!/bin/sh
echo "Hello from the team image: ${GREETING:-nobody set GREETING}"
