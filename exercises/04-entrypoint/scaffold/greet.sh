#!/bin/sh
# Greets the name given as the first argument.
echo "Hello, $1!"
