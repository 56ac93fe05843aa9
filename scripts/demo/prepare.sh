# Sourced by scripts/develop and scripts/e2e: prepare_demo DIR writes the demo configuration into DIR.
prepare_demo() {
  local dir="$1"
  mkdir -p "$dir/custom_components"
  cp "$ROOT/scripts/demo/configuration.yaml" "$dir/configuration.yaml"
  [ -f "$dir/automations.yaml" ] || echo "[]" > "$dir/automations.yaml"
  ln -sfn "$ROOT/custom_components/backward_walking" "$dir/custom_components/backward_walking"
  python "$ROOT/scripts/demo/seed.py" "$dir"
  # Home Assistant's camera helpers log an error at start without libturbojpeg (a Debian package).
  if ! ldconfig -p 2>/dev/null | grep -q libturbojpeg && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    { apt-get install -y -qq libturbojpeg0 || { apt-get update -qq && apt-get install -y -qq libturbojpeg0; }; } >/dev/null 2>&1 \
      || echo "(libturbojpeg0 could not be installed; Home Assistant will log one harmless error)"
  fi
}
