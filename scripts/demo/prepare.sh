# Sourced by scripts/develop and scripts/e2e: writing the demo configuration, and starting and stopping
# the Home Assistant that runs it.

# prepare_demo DIR [PORT [HA]]: write the demo configuration into DIR for Home Assistant HA ("pinned",
# the default: .venv's release; "latest": the newest, through ha-latest) listening on PORT (default
# 8123). Run it before every start, as scripts/develop does: what the UI changed is kept.
prepare_demo() {
  local dir="$1" port="${2:-8123}" ha="${3:-pinned}"
  mkdir -p "$dir/custom_components"
  cp "$ROOT/scripts/demo/configuration.yaml" "$dir/configuration.yaml"
  [ -f "$dir/automations.yaml" ] || echo "[]" > "$dir/automations.yaml"
  ln -sfn "$ROOT/custom_components/backward_walking" "$dir/custom_components/backward_walking"
  # The demo's speaker and text-to-speech voice (they keep what they were asked to say).
  ln -sfn "$ROOT/scripts/demo/demo_speaker" "$dir/custom_components/demo_speaker"
  python "$ROOT/scripts/demo/seed.py" "$dir" --port "$port"
  # seed.py puts the port into .storage/http, where Home Assistant keeps its last working HTTP settings
  # and from which the newest release takes them. The newest release would ask in the UI to confirm a
  # port set in YAML ("Confirm new HTTP server configuration") and go back to 8123 after 5 minutes
  # without an answer; 2025.4 reads the port only from YAML.
  if [ "$port" != 8123 ] && [ "$ha" = pinned ]; then
    printf '\nhttp:\n  server_port: %s\n' "$port" >> "$dir/configuration.yaml"
  fi
  # Assist's text-to-speech needs ffmpeg (Home Assistant logs an error at start without it).
  if ! command -v ffmpeg >/dev/null && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    { apt-get install -y -qq --no-install-recommends ffmpeg || { apt-get update -qq && apt-get install -y -qq --no-install-recommends ffmpeg; }; } >/dev/null 2>&1 \
      || echo "(ffmpeg could not be installed; Home Assistant will log that it is missing)"
  fi
  # Home Assistant's camera helpers log an error at start without libturbojpeg (a Debian package).
  if ! ldconfig -p 2>/dev/null | grep -q libturbojpeg && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    { apt-get install -y -qq libturbojpeg0 || { apt-get update -qq && apt-get install -y -qq libturbojpeg0; }; } >/dev/null 2>&1 \
      || echo "(libturbojpeg0 could not be installed; Home Assistant will log one harmless error)"
  fi
  # The demo voice is a text-to-speech entity: tts depends on ffmpeg, which logs an error without it.
  if ! command -v ffmpeg >/dev/null && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    { apt-get install -y -qq ffmpeg || { apt-get update -qq && apt-get install -y -qq ffmpeg; }; } >/dev/null 2>&1 \
      || echo "(ffmpeg could not be installed; Home Assistant will log an error when it starts)"
  fi
}

# start_demo_hass DIR HA LOG: start Home Assistant HA on DIR in the background, its output into LOG
# ("-" for the terminal). Sets HASS_PID; setup_demo.py stops waiting for it once that process is gone.
# HA_LATEST is the command that runs the newest release (default ../shared/tools/ha-latest).
start_demo_hass() {
  local dir="$1" ha="$2" log="$3" cmd
  if [ "$ha" = latest ]; then
    read -r -a cmd <<< "${HA_LATEST:-$ROOT/../shared/tools/ha-latest}"
    cmd+=(--hass "$dir")
  else
    cmd=(hass --config "$dir")
  fi
  # 9>&-: Home Assistant does not keep scripts/e2e's lock on ha-latest.
  if [ "$log" = - ]; then "${cmd[@]}" 9>&- & else "${cmd[@]}" > "$log" 2>&1 9>&- & fi
  HASS_PID=$!
  export DEMO_HASS_PID="$HASS_PID"
}

# stop_demo_hass: stop the Home Assistant started last and wait until it is gone. It is asked over its
# API, as Settings → System → Stop does: ha-latest then ends as after any stop of its hass and unmounts
# what it mounted (a signal to ha-latest can end it before that). A signal only when that fails.
stop_demo_hass() {
  [ -n "${HASS_PID:-}" ] || return 0
  if kill -0 "$HASS_PID" 2>/dev/null && python "$ROOT/scripts/demo/setup_demo.py" --stop; then
    local tries=0
    while kill -0 "$HASS_PID" 2>/dev/null && [ "$tries" -lt 600 ]; do
      sleep 0.1
      tries=$((tries + 1))
    done
  fi
  kill -TERM "$HASS_PID" 2>/dev/null || true
  wait "$HASS_PID" 2>/dev/null || true
  HASS_PID=
}
