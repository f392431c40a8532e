#!/bin/sh
docker build -t workshop/motd:1 .
docker history workshop/motd:1
docker run --rm workshop/motd:1
