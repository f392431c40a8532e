#!/bin/sh
# The reference solution: what to type.
docker rm -f dk-hello 2>/dev/null
docker run --name dk-hello busybox:latest echo {{token}}
docker ps -a --filter name=dk-hello
docker logs dk-hello
