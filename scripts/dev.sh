#!/usr/bin/env bash
# Installs what is missing, then serves the app with live reload on
# http://127.0.0.1:8080 (PORT overrides the port).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
. scripts/env.sh
exec trunk serve --address 127.0.0.1 --port "${PORT:-8080}" "$@"
