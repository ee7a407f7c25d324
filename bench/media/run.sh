#!/usr/bin/env bash
# Media uploads: a 3 MB JPEG, one at a time and 8 at once; the server's memory high-water mark.
set -euo pipefail
cd "$(dirname "$0")/../.."
photo=/tmp/o4o-bench-photo.jpg
if [ ! -f "$photo" ]; then
  cc bench/media/make_photo.c -o /tmp/o4o-make-photo $(pkg-config --cflags --libs vips)
  /tmp/o4o-make-photo "$photo"
fi
node bench/media/upload_bench.mjs "$photo" "${1:-40}"
