#!/usr/bin/env bash
# Quick start: installs what is missing, builds, loads demo data on the first start, and serves
# the platform on SQLite at http://localhost:4000.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
DB="${O4O_DATABASE_URL:-sqlite:./data/o4o.db}"
if [ ! -f data/.seeded ] && [[ "$DB" == sqlite:* ]]; then
  build/o4o seed --database "$DB"
  mkdir -p data && touch data/.seeded
fi
echo "==> O4O Platform at http://localhost:${O4O_PORT:-4000}  (Ctrl-C stops it)"
exec build/o4o serve --database "$DB" --web-root web/dist
