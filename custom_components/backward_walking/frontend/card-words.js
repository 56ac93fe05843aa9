/*
 * The card's words, all in the user's language: its labels from the integration's translations
 * ("common": card_…, loaded with loadBackendTranslation), states and readings as Home Assistant
 * shows them (hass.formatEntityState), refusals from the integration's "exceptions".
 */
// Siblings are loaded with this file's version (?v=…), so a new release never mixes with a cached file.
const sibling = (name) => import(new URL(`./${name}${new URL(import.meta.url).search}`, import.meta.url).href);
const { clock, waitSeconds } = await sibling("card-time.js");

export const DOMAIN = "backward_walking";
const COMMON = `component.${DOMAIN}.common.`;
const EXCEPTIONS = `component.${DOMAIN}.exceptions.`;
// Labels the card shares with the phone notifications.
const SHARED = { ok: "action_ok", ack: "action_ack", help: "action_help", awaiting_response: "check_in_title" };
// A refused button's words stay this long, unless the state changes first.
export const REFUSAL_SHOWN_MS = 8000;
// The longest hold the card counts down (a wrong browser clock cannot show more).
const LONGEST_WAIT_S = 600;

/** The card's label `key` in the user's language ("" until the translations are loaded). */
export function label(hass, key, values) {
  return (hass && hass.localize && hass.localize(COMMON + (SHARED[key] || `card_${key}`), values)) || "";
}

/** Load the labels and refusals for the user's language once; `done` runs when they are there. */
export function loadLabels(element, hass, done) {
  if (element._labelsFor === hass.language || typeof hass.loadBackendTranslation !== "function") return;
  element._labelsFor = hass.language;
  Promise.all([
    hass.loadBackendTranslation("common", DOMAIN),
    hass.loadBackendTranslation("exceptions", DOMAIN),
  ]).then(done, () => {});
}

/** An entity's name as the user knows it (its entity ID when Home Assistant has no state). */
export function entityName(hass, entityId) {
  const state = hass.states[entityId];
  return (state && state.attributes.friendly_name) || entityId;
}

/** "4 s": a short wait, counted in whole seconds. */
function shortWait(seconds) {
  return `${seconds} s`;
}

/**
 * The path's reasons as lines, each a function of the time: an active hazard with its sensor's
 * reading as Home Assistant shows it, a cleared one counting its hold ("clearing… 4 s"), and all
 * sensors still being checked after a reload as one line ("ready in 4 s").
 */
export function reasonLines(hass, t, reasons, hazardEntity) {
  const lines = [];
  const hazardName = (r) => (hazardEntity ? hass.formatEntityState(hazardEntity, r.hazard) : r.hazard);
  const checking = reasons.filter((r) => r.hazard === "checking");
  for (const r of reasons.filter((reason) => reason.hazard !== "checking")) {
    const head = `${hazardName(r)} (${r.name || entityName(hass, r.entity_id)}`;
    const overridden = r.overridden ? ` · ${t("overridden")}` : "";
    if (r.clears_at) {
      lines.push({ live: true, text: (now) =>
        `${head}): ${t("clearing", { time: shortWait(waitSeconds(r.clears_at, LONGEST_WAIT_S, now)) })}${overridden}` });
    } else {
      const sensor = hass.states[r.entity_id];
      const shown = sensor ? hass.formatEntityState(sensor) : t("missing");
      lines.push({ text: () => `${head}: ${shown})${overridden}` });
    }
  }
  if (checking.length) {
    const ready = checking.map((r) => r.clears_at).sort().pop();
    lines.push({ live: true, text: (now) =>
      t("checking", { time: shortWait(waitSeconds(ready, LONGEST_WAIT_S, now) || 0) }) });
  }
  return lines;
}

/**
 * What keeps Start or Resume from working now: every reason the session has not forced past (and
 * a path the card cannot see). `clearsAt` is when the last of them clears by itself (undefined
 * while one is still active).
 */
export function blockedBy(path, reasons) {
  const blocking = reasons.filter((r) => !r.overridden);
  const holds = blocking.map((r) => r.clears_at);
  const clearsAt = holds.length && holds.every(Boolean) ? holds.sort().pop() : undefined;
  return { blocked: !path || blocking.length > 0, clearsAt };
}

/** Why the check-in opened: "Possible fall (Hallway fall detector)", "No movement for 2 min". */
export function checkInCause(hass, t, attributes) {
  const parts = [];
  if (attributes.cause === "fall") {
    const names = (attributes.fall_sensors || []).map((id) => entityName(hass, id));
    parts.push(names.length ? t("why_fall_named", { names: names.join(", ") }) : t("why_fall"));
  } else if (attributes.cause === "inactivity") {
    const seconds = Number(attributes.no_movement_seconds);
    const time = seconds >= 60 ? `${Math.round(seconds / 60)} min` : `${seconds} s`;
    parts.push(Number.isFinite(seconds) && seconds > 0 ? t("why_inactivity", { time }) : t("why_still"));
  }
  if (attributes.cause === "help" || attributes.escalation === "need_help") parts.push(t("why_help"));
  return parts.join(" · ");
}

/** What the alert reached: said as it is, never "contacts alerted" when nobody was. */
export function contactsLine(t, attributes) {
  const names = (attributes.unreachable || []).join(", ");
  const key = {
    none_set_up: "contacts_none", sending: "contacts_sending", alerted: "contacts_alerted",
    partly_failed: "contacts_partly", failed: "contacts_failed",
  }[attributes.contacts];
  return key ? t(key, { names }) : "";
}

/** While the walker is asked: how long until the contacts (or only Home Assistant) are alerted. */
export function countdownLine(t, attributes, now) {
  const longest = (Date.parse(attributes.deadline) - Date.parse(attributes.started_at)) / 1000;
  const left = waitSeconds(attributes.deadline, Number.isFinite(longest) ? longest : LONGEST_WAIT_S, now);
  if (!Number.isFinite(left)) return "";
  const time = clock(left / 60);
  return attributes.contacts === "none_set_up" ? t("countdown_no_contacts", { time }) : t("countdown", { time });
}

/**
 * A refused button's words. The path's refusal is said with the path's own words (shown above
 * it, translated and counting); others are the integration's message, with the session's state
 * as Home Assistant shows it.
 */
export function refusalText(hass, t, answer, session, helpOffered) {
  const key = answer && answer.refused;
  if (key === "not_allowed") return t(helpOffered ? "not_allowed_help" : "not_allowed");
  if (key === "path_not_clear" || key === "path_checking" || key === "path_clearing") return t("refused_path");
  const values = { ...((answer && answer.values) || {}) };
  if (values.state && session) values.state = hass.formatEntityState(session, values.state);
  return (key && hass.localize(`${EXCEPTIONS}${key}.message`, values)) || t("refused");
}
