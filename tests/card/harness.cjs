// Runs the dashboard card in Node with a minimal DOM and prints what it shows, as JSON.
// Usage: node harness.cjs CARD_JS SCENARIO_JSON
"use strict";
const fs = require("fs");
const path = require("path");
const { pathToFileURL } = require("url");

class FakeNode {
  constructor(tag) {
    this.tagName = tag;
    this.children = [];
    this.attributes = {};
    this.listeners = {};
    this.textContent = "";
    this.className = "";
  }
  append(...nodes) { this.children.push(...nodes); }
  replaceChildren(...nodes) { this.children = [...nodes]; }
  setAttribute(key, value) { this.attributes[key] = value; }
  addEventListener(type, listener) { (this.listeners[type] ||= []).push(listener); }
  click() { globalThis.clicked.push(this.attributes.download); }
  set innerHTML(html) { this.html = html; }
}
globalThis.HTMLElement = class extends FakeNode {
  constructor() { super("custom"); }
  attachShadow() { this.shadowRoot = new FakeNode("#shadow"); return this.shadowRoot; }
};
globalThis.document = { createElement: (tag) => new FakeNode(tag) };
globalThis.customElements = {
  known: {}, get(name) { return this.known[name]; }, define(name, cls) { this.known[name] = cls; },
};
globalThis.window = globalThis;
URL.createObjectURL = () => "blob:history";
globalThis.clicked = [];
globalThis.navigated = [];
globalThis.history = { pushState: (state, title, url) => globalThis.navigated.push(url) };
globalThis.CustomEvent = class { constructor(type, init) { this.type = type; this.detail = (init || {}).detail; } };
globalThis.dispatchEvent = () => true;

const [cardFile, scenarioJson] = process.argv.slice(2);
const scenario = JSON.parse(scenarioJson);
// The browser's clock, moved by the scenario's ticks (ms after `now`).
const start = scenario.now ? Date.parse(scenario.now) : Date.now();
let now = start;
Date.now = () => now;

// Home Assistant's frontend as far as the card uses it: translations flattened to
// "component.<domain>.<category>.…" keys, with English underneath, one category loaded at a time;
// the entities' categories are there from the start, the card loads "common" and "exceptions".
const language = scenario.language || "en";
function flatten(tree, prefix, out) {
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === "object") flatten(value, `${prefix}${key}.`, out);
    else out[`${prefix}${key}`] = value;
  }
  return out;
}
function translations(lang) {
  const file = path.join(path.dirname(cardFile), "..", "translations", `${lang}.json`);
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : {};
}
const english = translations("en");
const chosen = translations(language);
const loaded = new Set(["entity"]);
const resources = () => {
  const out = {};
  for (const category of loaded) {
    flatten(english[category] || {}, `component.backward_walking.${category}.`, out);
    flatten(chosen[category] || {}, `component.backward_walking.${category}.`, out);
  }
  return out;
};
// Placeholders as Home Assistant's localize fills them ({name}).
const makeLocalize = () => {
  const strings = resources();
  return (key, values) => (strings[key] || "").replace(/\{(\w+)\}/g, (all, name) =>
    values && name in values ? String(values[name]) : all);
};
function entityKey(hass, stateObj) {
  const entry = hass.entities[stateObj.entity_id] || {};
  const domain = stateObj.entity_id.split(".")[0];
  return `component.${entry.platform}.entity.${domain}.${entry.translation_key}`;
}
globalThis.translationLoads = [];
globalThis.calls = [];

function find(node, test, found = []) {
  if (test(node)) found.push(node);
  for (const child of node.children || []) find(child, test, found);
  return found;
}

/** The text a user reads in ``node``, parts separated by "|". */
function text(node) {
  const parts = [];
  const walk = (n) => {
    if (n.tagName === "style") return;
    if (n.textContent) parts.push(n.textContent);
    for (const child of n.children || []) if (typeof child === "object") walk(child);
  };
  walk(node);
  return parts.join("|");
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

(async () => {
  await import(`${pathToFileURL(cardFile).href}?v=test`);
  const hass = {
    language,
    user: scenario.user,
    config: { time_zone: scenario.time_zone || "Europe/Berlin" },
    entities: {
      "sensor.alex_session_state": {
        entity_id: "sensor.alex_session_state", platform: "backward_walking", device_id: "dev1",
        translation_key: "session_state",
      },
    },
    states: {
      "sensor.alex_session_state": {
        entity_id: "sensor.alex_session_state", state: "idle", attributes: { person: scenario.person },
      },
      "person.alex": { entity_id: "person.alex", state: "home", attributes: { user_id: scenario.person_user } },
    },
    localize: makeLocalize(),
    loadBackendTranslation: async (category, integration) => {
      globalThis.translationLoads.push([category, integration]);
      await Promise.resolve();  // a round trip to Home Assistant
      loaded.add(category);
      hass.localize = makeLocalize();
      return hass.localize;
    },
    formatEntityState(stateObj, state) {
      const value = state ?? stateObj.state;
      // The format functions of before the translations arrived show the state as it is.
      if (scenario.late_format && !this.late) return String(value);
      // Another integration's entity: Home Assistant's words for it, as the scenario gives them.
      if (!this.entities[stateObj.entity_id]) return (scenario.formatted || {})[stateObj.entity_id] || String(value);
      const translated = this.localize(`${entityKey(this, stateObj)}.state.${value}`);
      const unit = stateObj.attributes.unit_of_measurement;
      return translated || (unit ? `${value} ${unit}` : String(value));
    },
    formatEntityAttributeValue(stateObj, attribute, value) {
      const shown = value ?? stateObj.attributes[attribute];
      return this.localize(`${entityKey(this, stateObj)}.state_attributes.${attribute}.state.${shown}`)
        || String(shown);
    },
    devices: { dev1: { name: "Alex", ...scenario.device } },
    callWS: async (message) => {
      globalThis.calls.push(message);
      await Promise.resolve();
      if (message.type === "backward_walking/rights") return scenario.rights || { control: true };
      if (scenario.act === "throws") throw new Error("connection lost");
      return scenario.act || { refused: null };
    },
    fetchWithAuth: async (url) => {
      globalThis.fetched = url;
      if (scenario.fetch === "throws") throw new Error("offline");
      return { ok: scenario.fetch === 200, status: scenario.fetch, blob: async () => "csv" };
    },
  };
  // Further entities: [translation key, entity id, state, attributes]; a null key is not the walker's.
  for (const [key, entityId, state, attributes] of scenario.entities || []) {
    if (key) {
      hass.entities[entityId] = { entity_id: entityId, platform: "backward_walking", device_id: "dev1",
        translation_key: key };
    }
    hass.states[entityId] = { entity_id: entityId, state, attributes: attributes || {} };
  }
  Object.assign(hass.states["sensor.alex_session_state"].attributes, scenario.session_attributes || {});
  if (scenario.session_state) hass.states["sensor.alex_session_state"].state = scenario.session_state;
  const card = new (customElements.get("backward-walking-card"))();
  card.setConfig({ device_id: "dev1" });
  card.hass = hass;
  const before = text(card.shadowRoot);
  await settle();  // the labels and the user's rights arrive
  await settle();
  if (scenario.late_format) {
    // As Home Assistant's frontend does: a new hass whose format functions were computed (they are
    // renewed a moment after localize), with nothing else changed.
    const format = hass.formatEntityState;
    card.hass = { ...hass, late: true, formatEntityState: (...args) => format.apply(card._hass, args) };
  }
  const testId = (id) => find(card.shadowRoot, (n) => n.attributes && n.attributes["data-testid"] === id);
  const figure = (id) => testId(id).map((n) => n.textContent)[0];
  const ring = () => (find(card.shadowRoot, (n) => n.className === "ring-bar")[0] || {}).html || "";
  const errors = () => find(card.shadowRoot, (n) => n.className === "error").map((n) => n.textContent);
  // What the time figures show at each tick of the card's one-second timer.
  const clock = [];
  for (const offset of scenario.ticks || []) {
    now = start + offset;
    card._tick();
    const dash = /stroke-dasharray:([0-9.]+)/.exec(ring());
    clock.push({ elapsed: figure("elapsed"), remaining: figure("remaining"),
      phase_left: figure("phase-left") || null, ring: dash ? Number(dash[1]) : 0,
      today: figure("today_minutes") || null, week: figure("week_minutes") || null,
      countdown: figure("countdown") || null, blocked: figure("blocked") || null,
      reasons: (testId("reasons")[0] && text(testId("reasons")[0])) || null });
  }
  const links = find(card.shadowRoot, (n) => n.className === "export");
  if (links.length) {
    links[0].listeners.click[0]({ preventDefault() {} });
    await settle();  // the download runs on its own
  }
  if (scenario.click) {
    testId(scenario.click)[0].listeners.click[0]({ preventDefault() {} });
  }
  // A button the scenario presses (by its test id), after which the card shows what came back.
  const after = [];
  if (scenario.press) {
    const [pressed] = testId(scenario.press);
    pressed.listeners.click[0]({});
    await settle();
    await settle();
    // Then time passes, and the states may change (`changes`: [offset ms, entity id, state]).
    for (const offset of scenario.after || []) {
      now = start + offset;
      for (const [at, entityId, state] of scenario.changes || []) {
        if (at === offset) {
          hass.states = { ...hass.states, [entityId]: { ...hass.states[entityId], state } };
          card.hass = { ...hass };
        }
      }
      card._tick();
      after.push(errors()[0] || null);
    }
  }
  const shown = {};
  for (const node of find(card.shadowRoot, (n) => n.attributes && n.attributes["data-testid"])) {
    shown[node.attributes["data-testid"]] = text(node);
  }
  const disabled = find(card.shadowRoot, (n) => n.attributes && "disabled" in n.attributes)
    .map((n) => n.attributes["data-testid"]);
  const stats = find(card.shadowRoot, (n) => n.className === "stat").map((n) => text(n));
  console.log(JSON.stringify({
    link: links.length > 0, fetched: globalThis.fetched || null, saved: globalThis.clicked,
    errors: errors(), shown, stats, before, loads: globalThis.translationLoads, clock,
    calls: globalThis.calls, after, disabled, navigated: globalThis.navigated,
  }));
})().catch((err) => { console.error(err); process.exit(1); });
