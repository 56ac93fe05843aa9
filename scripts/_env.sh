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

# install_requirements FILE: pip install -r FILE unless this exact FILE (and requirements.txt) is in.
install_requirements() {
  local file="$1" stamp="$VENV/.installed-$1" wanted
  wanted="$(cat "$ROOT/requirements.txt" "$ROOT/$file" | sha256sum | cut -d' ' -f1)"
  [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ] && return 0
  echo "Installing $file into .venv (the first run takes a few minutes)..."
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$ROOT/$file" 2>&1 \
    | grep -v "^WARNING: Location" || true
  "$VENV/bin/python" -c 'import homeassistant, pytest_homeassistant_custom_component' \
    || { echo "Installing $file failed." >&2; exit 1; }
  echo "$wanted" > "$stamp"
}

# ensure_venv [extra requirement files...]: .venv with the test requirements plus any extras.
ensure_venv() {
  if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import sys; assert sys.version_info[:2] == (3, 13)' 2>/dev/null; then
    rm -rf "$VENV"
    "$(find_python)" -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
  fi
  local file
  for file in requirements_test.txt "$@"; do install_requirements "$file"; done
  export PATH="$VENV/bin:$PATH"
}
