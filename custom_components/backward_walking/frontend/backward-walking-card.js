/*
 * backward-walking-card: one walker's session, path safety and progress on a Home Assistant dashboard.
 * Plain JavaScript modules (no build step). Every text that comes from an entity is put in with
 * textContent, never as HTML, so states and names cannot inject markup.
 */
// Siblings are loaded with this file's version (?v=…), so a new release never mixes with a cached file.
const sibling = (name) => import(new URL(`./${name}${new URL(import.meta.url).search}`, import.meta.url).href);
const [time, words, { STYLE }, { drawRing, el, navigate }, { BackwardWalkingCardEditor, loadHaForm }] =
  await Promise.all(["card-time.js", "card-words.js", "card-style.js", "card-dom.js", "card-editor.js"].map(sibling));
const { calendarDay, clock, numeric, secondsLeft, waitSeconds, weekOf } = time;
const { DOMAIN, REFUSAL_SHOWN_MS, blockedBy, checkInCause, contactsLine, countdownLine, label,
  loadLabels, reasonLines, refusalText } = words;

const KEYS = [
  "session_state", "current_phase", "elapsed", "remaining", "progress", "session_energy",
  "today_minutes", "today_backward_minutes", "week_minutes", "current_streak", "path", "path_hazard",
  "check_in", "next_reminder", "suggested_duration", "suggested_speed", "duration", "coach",
];
// Built-in programs that walk in one direction only: their "phase" is the whole session.
const ONE_DIRECTION = ["backward_only"];
const NONE = "—";
const NOT_WALKING = ["idle", "completed", "stopped"];
const SETTINGS = `/config/integrations/integration/${DOMAIN}`;
// A refusal is taken back when the state changes, but is read for at least this long.
const REFUSAL_READ_MS = 2000;

class BackwardWalkingCard extends HTMLElement {
  static getStubConfig(hass) {
    const entity = Object.values(hass.entities || {}).find((e) => e.platform === DOMAIN && e.device_id);
    return { device_id: entity ? entity.device_id : "" };
  }

  static async getConfigElement() {
    await loadHaForm();
    return document.createElement("backward-walking-card-editor");
  }

  setConfig(config) {
    this._config = { ...config };
    if (!this.shadowRoot) this.attachShadow({ mode: "open" });
    this._signature = null;
    this._render();
  }

  set hass(hass) {
    this._hass = hass;
    loadLabels(this, hass, () => this._redraw());
    this._render();
  }

  getCardSize() {
    return 6;
  }

  connectedCallback() {
    this._timer = setInterval(() => this._tick(), 1000);
  }

  disconnectedCallback() {
    clearInterval(this._timer);
  }

  /** Every second: count the clocks, and take back a refusal that is no longer true. */
  _tick() {
    const refusal = this._refusal;
    const age = refusal ? Date.now() - refusal.at : 0;
    if (refusal && (age >= REFUSAL_SHOWN_MS || (age >= REFUSAL_READ_MS && refusal.moment !== this._moment))) {
      this._refusal = undefined;
      this._redraw();
      return;
    }
    for (const update of this._live || []) update();
  }

  _redraw() {
    this._signature = null;
    this._render();
  }

  _t(key, values) {
    return label(this._hass, key, values);
  }

  /** An entity's state as Home Assistant shows it (translated, with its unit); "—" without it. */
  _shown(entity) {
    return entity ? this._hass.formatEntityState(entity) : NONE;
  }

  _entities() {
    const hass = this._hass;
    let device = this._config.device_id;
    const ours = Object.values(hass.entities || {}).filter((e) => e.platform === DOMAIN);
    if (!device && ours.length) device = ours.find((e) => e.device_id).device_id;
    const found = {};
    for (const entry of ours) {
      if (entry.device_id === device && entry.translation_key) found[entry.translation_key] = entry.entity_id;
    }
    return { device, found };
  }

  _state(found, key) {
    const id = found[key];
    return id ? this._hass.states[id] : undefined;
  }

  /**
   * What the user may do: admins everything; anyone else as the integration answers for this walker
   * (a read-only wall tablet may pause and ask for help only). Until the answer is there, only what
   * everyone may.
   */
  _rights(device) {
    const user = this._hass.user;
    if (!user) return { control: false };
    if (user.is_admin) return { control: true };
    const asked = `${user.id}|${device}`;
    if (this._rightsAsked !== asked) {
      this._rightsAsked = asked;
      this._control = false;
      if (typeof this._hass.callWS === "function") {
        this._hass.callWS({ type: `${DOMAIN}/rights`, device_id: device }).then((answer) => {
          if (this._rightsAsked !== asked) return;
          this._control = Boolean(answer && answer.control);
          this._redraw();
        }, () => {});
      }
    }
    return { control: this._control };
  }

  /** Run a button's action; a refusal comes back as data and is shown here, once, in words. */
  async _act(action, device, helpOffered) {
    this._refusal = undefined;
    let answer;
    try {
      answer = await this._hass.callWS({ type: `${DOMAIN}/act`, device_id: device, action });
    } catch (err) {
      answer = { refused: "failed", values: {} };
    }
    if (answer && answer.refused) {
      const session = this._state(this._entities().found, "session_state");
      const text = refusalText(this._hass, (key, values) => this._t(key, values), answer, session, helpOffered);
      this._refusal = { text, at: Date.now(), moment: this._moment };
    }
    this._redraw();
  }

  _render() {
    if (!this._hass || !this._config || !this.shadowRoot) return;
    const hass = this._hass;
    const { device, found } = this._entities();
    const states = KEYS.map((key) => this._state(found, key));
    const get = (key) => this._state(found, key);
    const path = get("path");
    const reasons = path && Array.isArray(path.attributes.reasons) ? path.attributes.reasons : [];
    const checkIn = get("check_in");
    // The sensors the card names or reads: the reasons' and the fall sensors of a check-in.
    const named = [...reasons.map((r) => r.entity_id), ...((checkIn && checkIn.attributes.fall_sensors) || [])];
    const rights = device ? this._rights(device) : { control: false };
    const mayReadHistory = this._mayReadHistory(found);
    const session = get("session_state");
    this._moment = JSON.stringify([session && session.state, session && session.attributes.pause_reason,
      path && path.state, path && path.attributes.verdict, checkIn && checkIn.state]);
    const signature = JSON.stringify([device, this._refusal && this._refusal.at, hass.language,
      mayReadHistory, rights.control, hass.user && hass.user.is_admin,
      ...states.map((s) => s && [s.state, s.attributes]),
      ...named.map((id) => hass.states[id] && [hass.states[id].state, hass.states[id].attributes.friendly_name])]);
    // Home Assistant renews localize first and the format functions a moment later (computed
    // asynchronously from it): both must be the ones shown, or the states stay untranslated.
    const texts = [hass.localize, hass.formatEntityState];
    if (signature === this._signature && texts.every((t, i) => t === (this._texts || [])[i])) return;
    this._texts = texts;
    this._signature = signature;
    this._live = [];
    const root = this.shadowRoot;
    root.replaceChildren(el("style", { text: STYLE }));
    const card = el("ha-card");
    root.append(card);
    if (!device || !session) {
      card.append(el("div", { class: "content", text: this._t("pick") }));
      return;
    }
    const t = (key, values) => this._t(key, values);
    // A node whose text (or drawing) follows the clock: set now, and every second while `counting`.
    const live = (node, update, counting) => {
      update(node, Date.now());
      if (counting) this._live.push(() => update(node, Date.now()));
      return node;
    };
    const stateName = session.state;
    const running = stateName === "running";
    const walking = running || stateName === "paused";
    const name = (hass.devices && hass.devices[device] && hass.devices[device].name) || "";

    const header = el("div", { class: "header" },
      el("div", { class: "name", text: name }),
      el("div", { class: `state state-${stateName}`, "data-testid": "state", text: this._shown(session) }));
    if (stateName === "paused" && session.attributes.pause_reason) {
      header.append(el("div", { class: "reason", "data-testid": "pause-reason",
        text: hass.formatEntityAttributeValue(session, "pause_reason") }));
    }
    card.append(header);

    const awaiting = checkIn && checkIn.state === "awaiting_response";
    const escalated = checkIn && checkIn.state === "escalated";
    if (awaiting || escalated) card.append(this._checkInBox(checkIn, escalated, live));

    const verdict = path ? path.attributes.verdict || (path.state === "on" ? "unsafe" : "clear") : "unsafe";
    const verdictText = path ? hass.formatEntityAttributeValue(path, "verdict", verdict) : verdict;
    const safety = el("div", { class: `path path-${verdict}`, "data-testid": "path" },
      el("span", { class: "dot" }), el("span", { text: `${t("path")}: ${verdictText}` }));
    if (reasons.length) {
      const list = el("ul", { class: "reasons", "data-testid": "reasons" });
      for (const line of reasonLines(hass, t, reasons, get("path_hazard"))) {
        list.append(live(el("li"), (node, now) => { node.textContent = line.text(now); }, line.live));
      }
      safety.append(list);
    }
    card.append(safety);

    // Timer-style: the integration writes the session's end (ends_at) and the phase's end
    // (phase_ends_at) at each transition, and the minute figures on the minute; the card counts
    // the seconds from them itself.
    const attrs = session.attributes;
    const targetS = numeric(attrs.target_minutes) * 60;
    const writtenLeftS = numeric(get("remaining") && get("remaining").state) * 60;
    const leftS = () => {
      const counted = secondsLeft(running, attrs.ends_at, attrs.remaining_seconds,
        Number.isFinite(writtenLeftS) ? writtenLeftS : targetS, Date.now());
      return Number.isFinite(counted) ? counted : writtenLeftS;
    };
    const writtenElapsedS = numeric(get("elapsed") && get("elapsed").state) * 60;
    const elapsedS = () => Number.isFinite(targetS) && Number.isFinite(leftS()) ? targetS - leftS() : writtenElapsedS;
    const timeText = (nodeAttrs, seconds, suffix = "") =>
      live(el("div", nodeAttrs), (node) => { node.textContent = clock(seconds() / 60) + suffix; }, running);
    const ring = el("div", { class: "ring" });
    let inner;
    if (walking) {
      const progress = () => (targetS > 0 && Number.isFinite(elapsedS())
        ? 100 * elapsedS() / targetS : numeric(get("progress") && get("progress").state));
      ring.append(live(el("div", { class: "ring-bar" }), (node) => drawRing(node, progress()), running));
      inner = el("div", { class: "ring-text" },
        timeText({ class: "big", "data-testid": "elapsed" }, elapsedS),
        timeText({ class: "small", "data-testid": "remaining" }, leftS, ` ${t("left")}`));
    } else {
      // No session in progress: the length the next one will have (the coach's suggestion while on).
      const bar = el("div", { class: "ring-bar" });
      drawRing(bar, 0);
      ring.append(bar);
      const coachOn = get("coach") && get("coach").state === "on";
      const suggested = coachOn && get("suggested_duration") ? numeric(get("suggested_duration").state) : NaN;
      const useCoach = Number.isFinite(suggested);
      const target = get("duration") ? numeric(get("duration").state) : NaN;
      inner = el("div", { class: "ring-text", "data-testid": "session-length" },
        el("div", { class: "big", "data-testid": "elapsed", text: clock(useCoach ? suggested : target) }),
        el("div", { class: "small", text: t(useCoach ? "suggested" : "length") }));
    }
    ring.append(inner);
    const phaseBox = el("div", { class: "phase" });
    const phase = get("current_phase");
    // Whether the program changes direction: from the phase's program_directions attribute where the
    // integration gives it, else from the built-in programs.
    const directions = phase && Array.isArray(phase.attributes.program_directions)
      ? phase.attributes.program_directions : undefined;
    const hasPhases = directions ? directions.length > 1 : !ONE_DIRECTION.includes(attrs.program);
    if (walking && hasPhases && phase && !["unknown", "unavailable"].includes(phase.state)) {
      const phaseLeftS = () => secondsLeft(running, phase.attributes.phase_ends_at,
        phase.attributes.phase_remaining_seconds, leftS(), Date.now());
      phaseBox.append(el("div", { class: `direction dir-${phase.state}`, "data-testid": "phase", text: this._shown(phase) }));
      if (Number.isFinite(phaseLeftS())) {
        phaseBox.append(timeText({ class: "small", "data-testid": "phase-left" }, phaseLeftS, ` ${t("left")}`));
      }
    }
    card.append(el("div", { class: "middle" }, ring, phaseBox));

    this._controls(card, { device, stateName, awaiting, escalated, control: rights.control, path, reasons, live });

    const stats = el("div", { class: "stats" });
    const stat = (key, value) => stats.append(el("div", { class: "stat" },
      el("div", { class: "small", text: t(key) }),
      typeof value === "string" ? el("div", { class: "value", text: value }) : value));
    // Today and this week count on with the session, from the minutes written on its last minute.
    const zone = hass.config && hass.config.time_zone;
    const sessionDay = walking && attrs.started_at ? calendarDay(Date.parse(attrs.started_at), zone) : undefined;
    const gainedS = () => Math.max(0, walking && Number.isFinite(writtenElapsedS) ? elapsedS() - writtenElapsedS : 0);
    const counted = (key, sameSpan) => {
      const written = numeric(get(key) && get(key).state) * 60;
      if (!Number.isFinite(written)) return NONE;
      return live(el("div", { class: "value", "data-testid": key }), (node, now) => {
        const today = calendarDay(now, zone);
        const extra = sessionDay && sameSpan(sessionDay, today) ? gainedS() : 0;
        node.textContent = clock((written + extra) / 60);
      }, running);
    };
    stat("today", counted("today_minutes", (day, today) => day === today));
    stat("week", counted("week_minutes", (day, today) => weekOf(day) === weekOf(today)));
    stat("streak", this._shown(get("current_streak")));
    stat("session", this._shown(get("session_energy")));
    const next = get("next_reminder");
    if (next && !["unknown", "unavailable"].includes(next.state)) {
      // Short (weekday and time) where Home Assistant would write the whole date.
      const when = new Date(next.state);
      stat("next", Number.isNaN(when.getTime()) ? NONE :
        when.toLocaleString(hass.language, { weekday: "short", hour: "2-digit", minute: "2-digit" }));
    }
    const suggested = get("suggested_duration");
    if (suggested && !["unknown", "unavailable"].includes(suggested.state)) {
      const speed = get("suggested_speed");
      stat("coach", this._shown(suggested) + (speed ? ` · ${this._shown(speed)}` : ""));
    }
    card.append(stats);
    const entryId = this._entryId(device);
    if (entryId && mayReadHistory) {
      card.append(el("a", { class: "export", href: "#", text: t("export"), onclick: (ev) => {
        ev.preventDefault();
        this._download(entryId);
      } }));
    }
  }

  /** The check-in or the emergency: what happened, the countdown, and what the alert reached. */
  _checkInBox(checkIn, escalated, live) {
    const t = (key, values) => this._t(key, values);
    const attributes = checkIn.attributes;
    const box = el("div", { class: `alarm alarm-${checkIn.state}`, role: "alert", "data-testid": "check-in" },
      el("div", { class: "alarm-title", text: t(escalated ? "emergency" : "awaiting_response") }));
    const why = checkInCause(this._hass, t, attributes);
    if (why) box.append(el("div", { class: "why", "data-testid": "check-in-why", text: why }));
    if (!escalated) {
      box.append(live(el("div", { class: "countdown", "data-testid": "countdown" }),
        (node, now) => { node.textContent = countdownLine(t, attributes, now); }, true));
      return box;
    }
    const contacts = contactsLine(t, attributes);
    if (contacts) box.append(el("div", { class: "contacts", "data-testid": "contacts", text: contacts }));
    if (attributes.contacts === "none_set_up") {
      if (this._hass.user && this._hass.user.is_admin) {
        box.append(el("div", {}, el("a", { href: SETTINGS, "data-testid": "set-up-contacts", text: t("set_up_contacts"),
          onclick: (ev) => { ev.preventDefault(); navigate(SETTINGS); } })));
      } else {
        box.append(el("div", { "data-testid": "set-up-contacts", text: t("ask_admin") }));
      }
    }
    return box;
  }

  /**
   * Only what the user may do, and Start and Resume only while the path lets them: otherwise
   * disabled, with what they wait for. Need help is there as long as help can still be asked.
   */
  _controls(card, { device, stateName, awaiting, escalated, control, path, reasons, live }) {
    const t = (key, values) => this._t(key, values);
    const open = awaiting || escalated;
    const gate = blockedBy(path, reasons);
    const helpOffered = !escalated;
    const controls = el("div", { class: "controls" });
    const button = (key, action, kind = "", disabled = false) => controls.append(el("button", {
      class: `btn ${kind}`, "data-testid": `btn-${action}`, text: t(key), disabled,
      "aria-disabled": disabled ? "true" : false,
      onclick: () => { if (!disabled) this._act(action, device, helpOffered); } }));
    let waiting; // what the disabled button waits for: [its words, with the seconds to wait]
    if (awaiting && control) button("ok", "acknowledge_check_in", "primary");
    if (escalated && control) button("ack", "acknowledge_emergency", "primary");
    if (NOT_WALKING.includes(stateName) && control && !open) {
      button("start", "start_session", "primary", gate.blocked);
      if (gate.blocked) waiting = ["wait_start", "wait_start_ready"];
    }
    if (stateName === "running") button("pause", "pause_session");
    if (stateName === "paused" && control && !open) {
      button("resume", "resume_session", "primary", gate.blocked);
      if (gate.blocked) waiting = ["wait_resume", "wait_resume_ready"];
    }
    if (["running", "paused"].includes(stateName) && control) button("stop", "stop_session");
    if (helpOffered) button("help", "request_help", "danger");
    card.append(controls);
    if (waiting) {
      card.append(live(el("div", { class: "blocked", "data-testid": "blocked" }), (node, now) => {
        const seconds = gate.clearsAt ? waitSeconds(gate.clearsAt, 600, now) : NaN;
        node.textContent = Number.isFinite(seconds) ? t(waiting[1], { time: `${seconds} s` }) : t(waiting[0]);
      }, Boolean(gate.clearsAt)));
    }
    if (this._refusal) card.append(el("div", { class: "error", role: "alert", "data-testid": "error", text: this._refusal.text }));
  }

  // The history holds health data: the server lets only admins and the user of the walker's person
  // read it, and the card offers the link to the same users.
  _mayReadHistory(found) {
    const user = this._hass.user;
    if (!user) return false;
    if (user.is_admin) return true;
    const session = this._state(found, "session_state");
    const person = session && session.attributes.person;
    const personState = person ? this._hass.states[person] : undefined;
    return Boolean(personState && personState.attributes.user_id === user.id);
  }

  _entryId(device) {
    const dev = this._hass.devices && this._hass.devices[device];
    if (!dev) return undefined;
    return dev.config_entry_id || (dev.config_entries ? dev.config_entries[0] : undefined);
  }

  async _download(entryId) {
    let response;
    try {
      response = await this._hass.fetchWithAuth(`/api/${DOMAIN}/history/${entryId}.csv`);
    } catch (err) {
      response = undefined;
    }
    if (!response || !response.ok) {
      // Never save an error page as the walker's history.
      this._refusal = { text: this._t("export_failed") + (response ? ` (${response.status})` : ""),
        at: Date.now(), moment: this._moment };
      this._redraw();
      return;
    }
    const blob = await response.blob();
    const link = el("a", { href: URL.createObjectURL(blob), download: `backward-walking-${entryId}.csv` });
    link.click();
  }
}

if (!customElements.get("backward-walking-card")) {
  customElements.define("backward-walking-card", BackwardWalkingCard);
  customElements.define("backward-walking-card-editor", BackwardWalkingCardEditor);
  window.customCards = window.customCards || [];
  window.customCards.push({
    type: "backward-walking-card",
    name: "Backward Walking",
    description: "A walker's session, path safety and progress, with big controls.",
    preview: true,
  });
}
