// Runs the dashboard card in Node with a minimal DOM and prints what it shows, as JSON.
// Usage: node harness.js CARD_JS SCENARIO_JSON
"use strict";
const fs = require("fs");

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
globalThis.URL = { createObjectURL: () => "blob:history" };
globalThis.clicked = [];

const [cardFile, scenarioJson] = process.argv.slice(2);
const scenario = JSON.parse(scenarioJson);
// The browser's clock, moved by the scenario's ticks (ms after `now`).
const start = scenario.now ? Date.parse(scenario.now) : Date.now();
let now = start;
Date.now = () => now;
(0, eval)(fs.readFileSync(cardFile, "utf8"));

function find(node, test, found = []) {
  if (test(node)) found.push(node);
  for (const child of node.children || []) find(child, test, found);
  return found;
}

(async () => {
  const hass = {
    language: "en",
    user: scenario.user,
    entities: {
      "sensor.alex_session_state": {
        entity_id: "sensor.alex_session_state", platform: "backward_walking", device_id: "dev1",
        translation_key: "session_state",
      },
      ...scenario.entities,
    },
    states: {
      "sensor.alex_session_state": { state: "idle", attributes: { person: scenario.person } },
      "person.alex": { state: "home", attributes: { user_id: scenario.person_user } },
      ...scenario.states,
    },
    devices: { dev1: { name: "Alex", ...scenario.device } },
    fetchWithAuth: async (url) => {
      globalThis.fetched = url;
      if (scenario.fetch === "throws") throw new Error("offline");
      return { ok: scenario.fetch === 200, status: scenario.fetch, blob: async () => "csv" };
    },
  };
  const card = new (customElements.get("backward-walking-card"))();
  card.setConfig({ device_id: "dev1" });
  card.hass = hass;
  // What the time figures show at each tick of the card's one-second timer.
  const shown = (testid) => find(card.shadowRoot, (n) => n.attributes["data-testid"] === testid)
    .map((n) => n.textContent)[0];
  const ring = () => (find(card.shadowRoot, (n) => n.className === "ring-bar")[0] || {}).html || "";
  const clock = [];
  for (const offset of scenario.ticks || []) {
    now = start + offset;
    card._tick();
    const dash = /stroke-dasharray:([0-9.]+)/.exec(ring());
    clock.push({ elapsed: shown("elapsed"), remaining: shown("remaining"),
      phase_left: shown("phase-left") || null, ring: dash ? Number(dash[1]) : 0 });
  }
  const links = find(card.shadowRoot, (n) => n.className === "export");
  if (links.length) {
    links[0].listeners.click[0]({ preventDefault() {} });
    await new Promise((resolve) => setTimeout(resolve, 0));  // the download runs on its own
  }
  const errors = find(card.shadowRoot, (n) => n.className === "error").map((n) => n.textContent);
  console.log(JSON.stringify({
    link: links.length > 0, fetched: globalThis.fetched || null, saved: globalThis.clicked, errors,
    clock,
  }));
})();
