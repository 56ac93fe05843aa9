# Shared set-up for the project's scripts (sourced, not run): finds Python 3.13, creates .venv and
# installs the pinned requirements. Quick when nothing changed: a stamp of the requirement files
# decides whether pip runs at all.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
cd "$ROOT"

find_python() {
  local candidate
  for candidate in "$(command -v python3.13 2>/dev/null || true)" \
    "$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")"/versions/3.13*/bin/python3.13; do
    if [ -n "$candidate" ] && [ -x "$candidate" ] && "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 13)' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  echo "Python 3.13 not found: install it (e.g. 'pyenv install 3.13') and run again." >&2
  return 1
}

ensure_venv() {
  if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import sys; assert sys.version_info[:2] == (3, 13)' 2>/dev/null; then
    rm -rf "$VENV"
    "$(find_python)" -m venv "$VENV"
  fi
  local stamp="$VENV/.requirements.sha256" wanted
  wanted="$(cat "$ROOT"/requirements*.txt | sha256sum | cut -d' ' -f1)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    echo "Installing pinned requirements into .venv (first run takes a few minutes)..."
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$ROOT/requirements_test.txt" 2>&1 \
      | grep -v "^WARNING: Location" || true
    "$VENV/bin/python" -c 'import homeassistant, pytest_homeassistant_custom_component' \
      || { echo "Installing the requirements failed." >&2; exit 1; }
    echo "$wanted" > "$stamp"
  fi
  export PATH="$VENV/bin:$PATH"
}
