/*
 * The card's time figures: clocks counted in the browser from the moments the integration writes
 * (ends_at, phase_ends_at, a check-in's deadline, a hold's clears_at), never beyond what was left
 * at the last write, so a wrong browser clock cannot run away.
 */

/** Minutes as m:ss ("8:05"), from an hour on as h:mm:ss ("1:02:05"); "—" when not a number. */
export function clock(minutes) {
  if (!Number.isFinite(minutes)) return "—";
  const seconds = Math.max(0, Math.round(minutes * 60));
  const secs = String(seconds % 60).padStart(2, "0");
  if (seconds < 3600) return `${Math.floor(seconds / 60)}:${secs}`;
  const mins = String(Math.floor(seconds / 60) % 60).padStart(2, "0");
  return `${Math.floor(seconds / 3600)}:${mins}:${secs}`;
}

/** A usable number from an entity's state or attribute, else NaN. */
export function numeric(value) {
  return value === null || value === undefined || value === "" ? NaN : Number(value);
}

/** Seconds from `now` (ms) until an ISO moment such as ends_at, else NaN. */
export function secondsUntil(iso, now) {
  const at = typeof iso === "string" ? Date.parse(iso) : NaN;
  return Number.isFinite(at) ? (at - now) / 1000 : NaN;
}

/**
 * Seconds left until a moment the integration wrote: counted by the browser while `running`,
 * the frozen `paused` seconds otherwise (NaN when neither is given). Never below 0, and never
 * above `most` (what was left at the last write).
 */
export function secondsLeft(running, iso, paused, most, now) {
  const left = running ? secondsUntil(iso, now) : numeric(paused);
  if (!Number.isFinite(left)) return NaN;
  return Math.max(0, Number.isFinite(most) ? Math.min(left, most) : left);
}

/** Whole seconds to wait until `iso`, as people count them (4.2 s left: "5"), at most `most`. */
export function waitSeconds(iso, most, now) {
  const left = secondsUntil(iso, now);
  if (!Number.isFinite(left)) return NaN;
  return Math.ceil(Math.max(0, Math.min(left, most)));
}

/** The calendar day ("2026-03-04") of a moment (ms) in Home Assistant's time zone. */
export function calendarDay(ms, zone) {
  const options = { year: "numeric", month: "2-digit", day: "2-digit" };
  let format;
  try {
    format = new Intl.DateTimeFormat("en-CA", { ...options, timeZone: zone || undefined });
  } catch (err) {
    format = new Intl.DateTimeFormat("en-CA", options); // an unknown zone: the browser's
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** The Monday of a calendar day's week, as a calendar day: weeks start on Monday. */
export function weekOf(day) {
  const [year, month, date] = day.split("-").map(Number);
  const utc = new Date(Date.UTC(year, month - 1, date));
  utc.setUTCDate(utc.getUTCDate() - ((utc.getUTCDay() + 6) % 7));
  return utc.toISOString().slice(0, 10);
}
