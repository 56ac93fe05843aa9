/* Building the card's DOM: elements with text (never HTML from an entity), the ring, navigation. */

/** An element with attributes, listeners (`on…`) and children; `text` is set as textContent. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "text") node.textContent = value;
    else if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (value !== false) node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

/**
 * Draw the progress ring in `node` for a share of 0–100 % (the card's only markup: a clamped number
 * in a fixed drawing); drawn again only when it changed.
 */
export function drawRing(node, progress) {
  const share = Math.max(0, Math.min(100, Number(progress) || 0));
  const drawing = `<svg viewBox="0 0 120 120" aria-hidden="true"><circle cx="60" cy="60" r="52" class="track"/>
      ${share > 0 ? `<circle cx="60" cy="60" r="52" class="bar" style="stroke-dasharray:${(326.7 * share / 100).toFixed(1)} 326.7"/>` : ""}</svg>`;
  if (node.drawing !== drawing) node.innerHTML = node.drawing = drawing;
}

/** Open a page of Home Assistant's frontend, as its own links do. */
export function navigate(path) {
  history.pushState(null, "", path);
  window.dispatchEvent(new CustomEvent("location-changed", { detail: { replace: false } }));
}
