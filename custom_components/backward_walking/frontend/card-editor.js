/* The card's editor: choose the walker. */
// Siblings are loaded with this file's version (?v=…), so a new release never mixes with a cached file.
const sibling = (name) => import(new URL(`./${name}${new URL(import.meta.url).search}`, import.meta.url).href);
const { DOMAIN, label, loadLabels } = await sibling("card-words.js");

// The editor is an ha-form with a device selector filtered by integration: ha-form loads the selector's
// own elements on every supported release (ha-device-picker alone is not loaded in 2025.4's editor, and
// its includeDomains filters by entity domain, which finds no walker in 2026.x).
const EDITOR_SCHEMA = [{ name: "device_id", selector: { device: { integration: DOMAIN } } }];

export async function loadHaForm() {
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

export class BackwardWalkingCardEditor extends HTMLElement {
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
      this._form.computeLabel = () => label(this._hass, "walker");
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
}
