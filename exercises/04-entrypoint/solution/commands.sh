#!/bin/sh
docker build -t greet .
docker run --rm greet          # Hello, world!
docker run --rm greet Ada      # Hello, Ada!
