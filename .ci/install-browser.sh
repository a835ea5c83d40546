#!/usr/bin/env bash
# What the browser test of the reviewers' page needs (tests/service/test_service_browser.py):
# Debian's chromium (playwright drives /usr/bin/chromium; its own browser download cannot work offline)
# and the playwright Python package. Safe to run twice.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-browser: no apt-get here; install chromium at /usr/bin/chromium yourself" >&2
    exit 1
  fi
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -q
  # fonts-noto-core: Vietnamese letters in screenshots
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q chromium fonts-noto-core
fi

PYTHON=".venv/bin/python"
if [ ! -x "$PYTHON" ]; then PYTHON="python3"; fi
"$PYTHON" -m pip install --quiet "playwright>=1.45"
echo "install-browser: $(/usr/bin/chromium --version 2>/dev/null || echo chromium) with playwright $("$PYTHON" -c 'import importlib.metadata as m; print(m.version("playwright"))')"
