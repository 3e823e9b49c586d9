#!/usr/bin/env bash
# Create .venv with Python 3.10 and install the pinned packages (requirements.txt).
# Idempotent: does nothing when .venv already matches requirements.txt; when the
# requirements change, installs into the existing .venv (created only when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

find_python() {
  for candidate in "${PYTHON310:-}" python3.10 \
      "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.10*/bin/python3.10 \
      /usr/local/bin/python3.10 /usr/bin/python3.10; do
    [ -n "$candidate" ] || continue
    if "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then
      command -v "$candidate" || echo "$candidate"
      return 0
    fi
  done
  return 1
}

stamp=".venv/.installed-$(sha256sum requirements.txt | cut -c1-16)"
if [ -f "$stamp" ]; then
  exit 0
fi
if ! .venv/bin/python -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then
  python=$(find_python) || {
    echo "Python 3.10 is needed (rasa 3.6 does not run on 3.11+). Install it, or set PYTHON310=/path/to/python3.10." >&2
    exit 1
  }
  echo "==> creating .venv with $python"
  rm -rf .venv
  "$python" -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check "pip<24"
fi
echo "==> installing pinned packages (a few minutes the first time)"
.venv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
.venv/bin/pip check
touch "$stamp"
echo "==> .venv ready"
