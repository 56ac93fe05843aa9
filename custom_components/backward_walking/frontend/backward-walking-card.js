/*
 * backward-walking-card: one walker's session, path safety and progress on a Home Assistant dashboard.
 * Plain JavaScript (no build step). Every text that comes from an entity is put in with textContent,
 * never as HTML, so states and names cannot inject markup.
 */
const DOMAIN = "backward_walking";
const KEYS = [
  "session_state", "current_phase", "elapsed", "remaining", "progress", "session_energy",
  "today_minutes", "today_backward_minutes", "week_minutes", "current_streak", "path", "path_hazard",
  "check_in", "next_reminder", "suggested_duration", "suggested_speed", "duration", "coach",
];
// Built-in programs that walk in one direction only: their "phase" is the whole session.
const ONE_DIRECTION = ["backward_only"];
// State texts come from Home Assistant (hass.formatEntityState / formatEntityAttributeValue, from
// the entities' translations); the card's own labels are in the integration's translations too
// (translations/<language>.json, "common": card_…), loaded with loadBackendTranslation.
const COMMON = `component.${DOMAIN}.common.`;
// Labels the card shares with the phone notifications.
const SHARED = { ok: "action_ok", ack: "action_ack", help: "action_help", awaiting_response: "check_in_title" };
const NONE = "—";

/** The card's label ``key`` in the user's language ("" until the translations are loaded). */
function label(hass, key) {
  return (hass && hass.localize && hass.localize(COMMON + (SHARED[key] || `card_${key}`))) || "";
}

/** Load the labels for the user's language once; ``done`` runs when they are there. */
function loadLabels(element, hass, done) {
  if (element._labelsFor === hass.language || typeof hass.loadBackendTranslation !== "function") return;
  element._labelsFor = hass.language;
  hass.loadBackendTranslation("common", DOMAIN).then(done, () => {});
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "text") node.textContent = value;
    else if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

/** Minutes as m:ss ("8:05"); "—" when not a number. */
function clock(minutes) {
  if (!Number.isFinite(minutes)) return "—";
  const seconds = Math.max(0, Math.round(minutes * 60));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

/** A usable number from an entity's state or attribute, else NaN. */
function numeric(value) {
  return value === null || value === undefined || value === "" ? NaN : Number(value);
}

/** Seconds from `now` (ms) until an ISO moment such as ends_at, else NaN. */
function secondsUntil(iso, now) {
  const at = typeof iso === "string" ? Date.parse(iso) : NaN;
  return Number.isFinite(at) ? (at - now) / 1000 : NaN;
}

/**
 * Seconds left until a moment the integration wrote (ends_at, phase_ends_at): counted by the
 * browser while walking, the frozen `paused` seconds otherwise (NaN when neither is given). Never
 * below 0, and never above `most` (what was left at the last transition), so a wrong browser
 * clock cannot run away.
 */
function secondsLeft(running, iso, paused, most, now) {
  const left = running ? secondsUntil(iso, now) : numeric(paused);
  if (!Number.isFinite(left)) return NaN;
  return Math.max(0, Number.isFinite(most) ? Math.min(left, most) : left);
}

/** The progress ring's drawing for a share of 0–100 %. */
function ringSvg(progress) {
  return `<svg viewBox="0 0 120 120" aria-hidden="true"><circle cx="60" cy="60" r="52" class="track"/>
      ${progress > 0 ? `<circle cx="60" cy="60" r="52" class="bar" style="stroke-dasharray:${(326.7 * progress / 100).toFixed(1)} 326.7"/>` : ""}</svg>`;
}

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
    loadLabels(this, hass, () => {
      this._signature = null;
      this._render();
    });
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

  /** While walking: count the m:ss figures and the ring from the written end moments. */
  _tick() {
    for (const update of this._live || []) update();
  }

  _t(key) {
    return label(this._hass, key);
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

  _call(service, device) {
    this._error = "";
    this._hass.callService(DOMAIN, service, { device_id: device }).catch((err) => {
      // Home Assistant's refusal of a user without control rights comes untranslated
      // ({code: "unauthorized"} or, from an action, {code: "home_assistant_error", message: "Unauthorized"}).
      const refused = err && (err.code === "unauthorized" || err.message === "Unauthorized");
      this._error = refused ? this._t("not_allowed")
        : err && err.message ? err.message : String(err);
      this._signature = null;
      this._render();
    });
  }

  _render() {
    if (!this._hass || !this._config || !this.shadowRoot) return;
    const { device, found } = this._entities();
    const states = KEYS.map((key) => this._state(found, key));
    const mayReadHistory = this._mayReadHistory(found);
    const signature = JSON.stringify([device, this._error, this._hass.language, mayReadHistory,
      ...states.map((s) => s && [s.state, s.attributes])]);
    // Home Assistant renews localize first and the format functions a moment later (computed
    // asynchronously from it): both must be the ones shown, or the states stay untranslated.
    const texts = [this._hass.localize, this._hass.formatEntityState];
    if (signature === this._signature && texts.every((t, i) => t === (this._texts || [])[i])) return;
    this._texts = texts;
    this._signature = signature;
    this._live = [];
    const root = this.shadowRoot;
    root.replaceChildren(el("style", { text: STYLE }));
    const card = el("ha-card");
    root.append(card);
    if (!device || !found.session_state) {
      card.append(el("div", { class: "content", text: this._t("pick") }));
      return;
    }
    const get = (key) => this._state(found, key);
    const session = get("session_state");
    const stateName = session.state;
    const reason = session.attributes.pause_reason;
    const name = (this._hass.devices && this._hass.devices[device] && this._hass.devices[device].name) || "";

    const header = el("div", { class: "header" },
      el("div", { class: "name", text: name }),
      el("div", { class: `state state-${stateName}`, "data-testid": "state", text: this._shown(session) }));
    if (stateName === "paused" && reason) {
      header.append(el("div", { class: "reason", "data-testid": "pause-reason",
        text: this._hass.formatEntityAttributeValue(session, "pause_reason") }));
    }
    card.append(header);

    const checkIn = get("check_in");
    if (checkIn && checkIn.state !== "idle") {
      card.append(el("div", { class: `alarm alarm-${checkIn.state}`, role: "alert", "data-testid": "check-in",
        text: this._t(checkIn.state) }));
    }

    const path = get("path");
    const verdict = path ? path.attributes.verdict || (path.state === "on" ? "unsafe" : "clear") : "unsafe";
    const verdictText = path ? this._hass.formatEntityAttributeValue(path, "verdict", verdict) : verdict;
    const safety = el("div", { class: `path path-${verdict}`, "data-testid": "path" },
      el("span", { class: "dot" }), el("span", { text: `${this._t("path")}: ${verdictText}` }));
    const reasons = path && Array.isArray(path.attributes.reasons) ? path.attributes.reasons : [];
    if (reasons.length) {
      // Each hazard as the path-hazard sensor's translated state (the same words as on its own).
      const hazard = get("path_hazard");
      const list = el("ul", { class: "reasons", "data-testid": "reasons" });
      for (const r of reasons) {
        const what = hazard ? this._hass.formatEntityState(hazard, r.hazard) : r.hazard;
        list.append(el("li", { text: `${what} (${r.name || r.entity_id}${r.reading ? ": " + r.reading : ""})` }));
      }
      safety.append(list);
    }
    card.append(safety);

    const running = stateName === "running";
    // Timer-style: the integration writes the session's end (ends_at) and the phase's end
    // (phase_ends_at) at each transition; the card counts the seconds from them itself.
    const attrs = session.attributes;
    const targetS = numeric(attrs.target_minutes) * 60;
    const writtenLeftS = numeric(get("remaining") && get("remaining").state) * 60;
    const leftS = () => {
      const counted = secondsLeft(running, attrs.ends_at, attrs.remaining_seconds,
        Number.isFinite(writtenLeftS) ? writtenLeftS : targetS, Date.now());
      return Number.isFinite(counted) ? counted : writtenLeftS;
    };
    const elapsedS = () => Number.isFinite(targetS) && Number.isFinite(leftS())
      ? targetS - leftS() : numeric(get("elapsed") && get("elapsed").state) * 60;
    // A node whose text (or drawing) follows the clock: set now, and every second while walking.
    const live = (node, update) => {
      update(node);
      if (running) this._live.push(() => update(node));
      return node;
    };
    const timeText = (nodeAttrs, seconds, suffix = "") =>
      live(el("div", nodeAttrs), (node) => { node.textContent = clock(seconds() / 60) + suffix; });
    const written = Number(get("progress") && get("progress").state) || 0;
    const progress = () => Math.max(0, Math.min(100,
      targetS > 0 && Number.isFinite(elapsedS()) ? 100 * elapsedS() / targetS : written));
    const ring = el("div", { class: "ring" });
    ring.append(live(el("div", { class: "ring-bar" }), (node) => {
      const drawing = ringSvg(progress());
      if (node.drawing !== drawing) node.innerHTML = node.drawing = drawing;
    }));
    let inner;
    if (stateName === "idle") {
      // No session yet: the length the next one will have (the coach's suggestion while it is on).
      const coachOn = get("coach") && get("coach").state === "on";
      const suggested = coachOn && get("suggested_duration") ? numeric(get("suggested_duration").state) : NaN;
      const target = get("duration") ? numeric(get("duration").state) : NaN;
      const useCoach = Number.isFinite(suggested);
      inner = el("div", { class: "ring-text", "data-testid": "session-length" },
        el("div", { class: "big", "data-testid": "elapsed", text: clock(useCoach ? suggested : target) }),
        el("div", { class: "small", text: this._t(useCoach ? "suggested" : "length") }));
    } else {
      inner = el("div", { class: "ring-text" },
        timeText({ class: "big", "data-testid": "elapsed" }, elapsedS),
        timeText({ class: "small", "data-testid": "remaining" }, leftS, ` ${this._t("left")}`));
    }
    ring.append(inner);
    const phase = get("current_phase");
    const phaseBox = el("div", { class: "phase" });
    // Whether the program changes direction: from the phase's program_directions attribute where the
    // integration gives it, else from the built-in programs (a custom single-direction program still
    // shows its segments' countdown until then).
    const directions = phase && Array.isArray(phase.attributes.program_directions)
      ? phase.attributes.program_directions : undefined;
    const hasPhases = directions ? directions.length > 1 : !ONE_DIRECTION.includes(session.attributes.program);
    if (hasPhases && phase && phase.state && !["unknown", "unavailable"].includes(phase.state)) {
      const phaseLeftS = () => secondsLeft(running, phase.attributes.phase_ends_at,
        phase.attributes.phase_remaining_seconds, leftS(), Date.now());
      phaseBox.append(el("div", { class: `direction dir-${phase.state}`, "data-testid": "phase", text: this._shown(phase) }));
      if (Number.isFinite(phaseLeftS())) {
        phaseBox.append(timeText({ class: "small", "data-testid": "phase-left" }, phaseLeftS, ` ${this._t("left")}`));
      }
    }
    card.append(el("div", { class: "middle" }, ring, phaseBox));

    const controls = el("div", { class: "controls" });
    const button = (label, service, kind = "") => controls.append(el("button", {
      class: `btn ${kind}`, "data-testid": `btn-${service}`, text: this._t(label),
      onclick: () => this._call(service, device) }));
    const awaiting = checkIn && checkIn.state === "awaiting_response";
    const escalated = checkIn && checkIn.state === "escalated";
    if (awaiting) button("ok", "acknowledge_check_in", "primary");
    if (escalated) button("ack", "acknowledge_emergency", "primary");
    if (["idle", "completed", "stopped"].includes(stateName)) button("start", "start_session", "primary");
    if (stateName === "running") button("pause", "pause_session");
    if (stateName === "paused") button("resume", "resume_session", "primary");
    if (["running", "paused"].includes(stateName)) button("stop", "stop_session");
    // Asking for help works for every user, a read-only wall tablet's too; not once contacts are alerted.
    if ((["running", "paused"].includes(stateName) || awaiting) && !escalated) button("help", "request_help", "danger");
    card.append(controls);
    if (this._error) card.append(el("div", { class: "error", role: "alert", "data-testid": "error", text: this._error }));

    const stats = el("div", { class: "stats" });
    const stat = (label, value) => stats.append(el("div", { class: "stat" },
      el("div", { class: "small", text: this._t(label) }), el("div", { class: "value", text: value })));
    stat("today", this._shown(get("today_minutes")));
    stat("week", this._shown(get("week_minutes")));
    stat("streak", this._shown(get("current_streak")));
    stat("session", this._shown(get("session_energy")));
    const next = get("next_reminder");
    if (next && !["unknown", "unavailable"].includes(next.state)) {
      // Short (weekday and time) where Home Assistant would write the whole date.
      const when = new Date(next.state);
      stat("next", Number.isNaN(when.getTime()) ? NONE :
        when.toLocaleString(this._hass.language, { weekday: "short", hour: "2-digit", minute: "2-digit" }));
    }
    const suggested = get("suggested_duration");
    if (suggested && !["unknown", "unavailable"].includes(suggested.state)) {
      const speed = get("suggested_speed");
      stat("coach", this._shown(suggested) + (speed ? ` · ${this._shown(speed)}` : ""));
    }
    card.append(stats);
    const entryId = this._entryId(device);
    if (entryId && mayReadHistory) {
      card.append(el("a", { class: "export", href: "#", text: this._t("export"), onclick: (ev) => {
        ev.preventDefault();
        this._download(entryId);
      } }));
    }
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
      this._error = this._t("export_failed") + (response ? ` (${response.status})` : "");
      this._signature = null;
      this._render();
      return;
    }
    const blob = await response.blob();
    const link = el("a", { href: URL.createObjectURL(blob), download: `backward-walking-${entryId}.csv` });
    link.click();
  }
}

// The editor is an ha-form with a device selector filtered by integration: ha-form loads the selector's
// own elements on every supported release (ha-device-picker alone is not loaded in 2025.4's editor, and
// its includeDomains filters by entity domain, which finds no walker in 2026.x).
const EDITOR_SCHEMA = [{ name: "device_id", selector: { device: { integration: DOMAIN } } }];

async function loadHaForm() {
  if (customElements.get("ha-form")) return;
  try {
    // The entities card's editor is built with ha-form: loading it defines ha-form on every release.
    const helpers = window.loadCardHelpers ? await window.loadCardHelpers() : undefined;
    const card = helpers && await helpers.createCardElement({ type: "entities", entities: [] });
    if (card && card.constructor.getConfigElement) await card.constructor.getConfigElement();
  } catch (err) {
    console.warn("backward-walking-card: could not load ha-form", err);
  }
  // Never keep the editor from opening: after 10 s it opens anyway (the code editor still works).
  await Promise.race([customElements.whenDefined("ha-form"), new Promise((done) => setTimeout(done, 10000))]);
}

class BackwardWalkingCardEditor extends HTMLElement {
  setConfig(config) {
    this._config = { ...config };
    this._render();
  }

  set hass(hass) {
    this._hass = hass;
    loadLabels(this, hass, () => this._render());
    this._render();
  }

  _render() {
    if (!this._hass || !this._config) return;
    if (!this._form) {
      this._form = document.createElement("ha-form");
      this._form.schema = EDITOR_SCHEMA;
      this._form.computeLabel = () => this._t("walker");
      this._form.addEventListener("value-changed", (ev) => {
        ev.stopPropagation();
        const deviceId = ev.detail.value.device_id;
        this._config = { ...this._config, device_id: deviceId || "" };
        if (!deviceId) delete this._config.device_id;
        this.dispatchEvent(new CustomEvent("config-changed", { detail: { config: this._config },
          bubbles: true, composed: true }));
      });
      this.append(this._form);
    }
    this._form.hass = this._hass;
    this._form.data = { device_id: this._config.device_id || undefined };
  }

  _t(key) {
    return label(this._hass, key);
  }
}

const STYLE = `
  ha-card { padding: 16px; color: var(--primary-text-color); }
  .header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 8px; }
  .name { font-size: 1.3em; font-weight: 500; flex: 1 1 auto; }
  .state { font-weight: 600; }
  .state-running { color: var(--success-color, #43a047); }
  .state-paused { color: var(--warning-color, #ffa000); }
  .reason { width: 100%; color: var(--secondary-text-color); }
  .alarm { margin: 12px 0; padding: 12px; border-radius: 12px; font-size: 1.2em; font-weight: 600;
    background: var(--error-color, #db4437); color: var(--text-primary-color, #fff); }
  .path { margin: 12px 0; padding: 8px 12px; border-radius: 12px;
    background: var(--secondary-background-color, rgba(127,127,127,.1)); }
  .path .dot { display: inline-block; width: 12px; height: 12px; border-radius: 50%; margin-right: 8px; }
  .path-clear .dot { background: var(--success-color, #43a047); }
  .path-warning .dot { background: var(--warning-color, #ffa000); }
  .path-unsafe .dot, .path-fall .dot { background: var(--error-color, #db4437); }
  .reasons { margin: 6px 0 0 20px; padding: 0; }
  .middle { display: flex; flex-wrap: wrap; align-items: center; gap: 16px; }
  .ring { position: relative; width: 140px; height: 140px; flex: 0 0 auto; }
  .ring-bar, .ring svg { width: 100%; height: 100%; }
  .ring svg { transform: rotate(-90deg); }
  .ring circle { fill: none; stroke-width: 10; }
  .ring .track { stroke: var(--divider-color, rgba(127,127,127,.3)); }
  .ring .bar { stroke: var(--primary-color, #03a9f4); stroke-linecap: round; }
  .ring-text { position: absolute; inset: 0; display: flex; flex-direction: column;
    align-items: center; justify-content: center; }
  .big { font-size: 2em; font-weight: 600; }
  .small { font-size: .85em; color: var(--secondary-text-color); }
  .direction { font-size: 1.5em; font-weight: 600; }
  .dir-backward { color: var(--primary-color, #03a9f4); }
  .controls { display: flex; flex-wrap: wrap; gap: 8px; margin: 16px 0 8px; }
  .btn { flex: 1 1 120px; min-height: 56px; font-size: 1.2em; border-radius: 14px; cursor: pointer;
    border: 1px solid var(--divider-color, #ccc); background: var(--card-background-color, #fff);
    color: var(--primary-text-color); }
  .btn.primary { background: var(--primary-color, #03a9f4); color: var(--text-primary-color, #fff);
    border-color: transparent; }
  .btn.danger { background: var(--error-color, #db4437); color: #fff; border-color: transparent; }
  .error { color: var(--error-color, #db4437); margin: 4px 0; }
  .stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(110px, 1fr)); gap: 8px; margin-top: 8px; }
  .value { font-size: 1.1em; font-weight: 500; }
  .export { display: inline-block; margin-top: 12px; color: var(--primary-color, #03a9f4); }
`;

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
