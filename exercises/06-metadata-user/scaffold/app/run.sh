#!/bin/sh
# Records a visit in ./data (relative to the working directory) and says who and where it runs.
set -e
mkdir -p data
echo "visit $(date +%s)" >> data/visits.log
echo "user=$(id -u) dir=$(pwd) visits=$(wc -l < data/visits.log)"
