// Small DOM and formatting helpers shared by the studio's pages. Text always goes in through
// textContent (h() below), never through innerHTML, so names from a design cannot inject markup.

// h("td", {class: "num", title: "x"}, "text", child, ...) -> an element.
// A `style` ("width: 40%; --swatch: red") goes in through the CSSOM (el.style.cssText): the
// studio's Content-Security-Policy blocks style attributes, not the CSSOM.
export function h(tag, attrs, ...children) {
  const el = tag.startsWith("svg:")
    ? document.createElementNS("http://www.w3.org/2000/svg", tag.slice(4))
    : document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function")
      el.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key === "style") el.style.cssText = String(value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

export const $ = (selector, root = document) => root.querySelector(selector);

export function clear(el) {
  el.replaceChildren();
  return el;
}

// Replace an element's children; like h(), it skips null, undefined and false.
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

// A table from column specs: [{label, num?, nowrap?, rowHeader?, cell(row) -> Node|string}]
// and rows. The first column's cells are row headers unless rowHeader is false.
export function table(columns, rows, { caption, id, className = "data" } = {}) {
  return h(
    "table",
    { class: className, id },
    caption ? h("caption", {}, caption) : null,
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        columns.map((c) => h("th", { scope: "col", class: c.num ? "num" : null }, c.label)),
      ),
    ),
    h(
      "tbody",
      {},
      rows.map((row) =>
        h(
          "tr",
          {},
          columns.map((c, i) =>
            i === 0 && c.rowHeader !== false
              ? h("th", { scope: "row", class: cellClass(c) }, c.cell(row))
              : h("td", { class: cellClass(c) }, c.cell(row)),
          ),
        ),
      ),
    ),
  );
}

// One key number for a <dl class="figures">: label, value, and a smaller line under it.
export function figure(label, value, extra) {
  return h(
    "div",
    { class: "figure" },
    h("dt", {}, label),
    h("dd", {}, value, extra ? h("span", { class: "figure-extra" }, extra) : null),
  );
}

function cellClass(column) {
  return [column.num ? "num" : "", column.nowrap ? "nowrap" : ""].join(" ").trim() || null;
}

// Met / not met, with words for screen readers and a glyph for the eye.
export function mark(met, { yes = "meets", no = "misses" } = {}) {
  if (met === undefined || met === null) return h("span", { class: "mark mark-none" }, "—");
  return h(
    "span",
    { class: `mark ${met ? "mark-yes" : "mark-no"}` },
    h("span", { "aria-hidden": "true" }, met ? "✓" : "✗"),
    h("span", { class: "sr-only" }, met ? yes : no),
  );
}

// ---- numbers ----------------------------------------------------------------------------

const isNum = (x) => typeof x === "number" && Number.isFinite(x);

// Significant figures without trailing zeros: 13.67 -> "13.7", 25500 -> "25,500".
export function num(x, sig = 3) {
  if (!isNum(x)) return "—";
  if (x === 0) return "0";
  const abs = Math.abs(x);
  if (abs >= 10 ** sig) return Math.round(x).toLocaleString("en-US");
  const digits = Math.max(0, sig - 1 - Math.floor(Math.log10(abs)));
  return Number(x.toFixed(Math.min(digits, 6))).toLocaleString("en-US", {
    maximumFractionDigits: 6,
  });
}

const SCALES = [
  [1e12, "T"],
  [1e9, "B"],
  [1e6, "M"],
  [1e3, "k"],
];

// 25500 -> "25.5k"; 1105000 -> "1.11M"; 480 -> "480".
export function compact(x, sig = 3) {
  if (!isNum(x)) return "—";
  for (const [scale, suffix] of SCALES)
    if (Math.abs(x) >= scale) return `${num(x / scale, sig)}${suffix}`;
  return num(x, sig);
}

export const rate = (rps) => (isNum(rps) ? `${compact(rps)}/s` : "—");

export function ms(x) {
  if (!isNum(x)) return "—";
  if (x >= 1000) return `${num(x / 1000, 3)} s`;
  if (x > 0 && x < 0.01) return `${num(x * 1000, 2)} µs`;
  return `${num(x, 3)} ms`;
}

export const pct = (fraction, sig = 3) => (isNum(fraction) ? `${num(fraction * 100, sig)}%` : "—");

// Availability with as many decimals as it has nines, and one more: 0.99999769 -> "99.99977%".
export function availability(a) {
  if (!isNum(a)) return "—";
  if (a >= 1) return "100%";
  const nines = Math.ceil(-Math.log10(1 - a));
  const decimals = Math.min(7, Math.max(1, nines - 1));
  return `${(a * 100).toFixed(decimals)}%`;
}

export function money(x) {
  if (!isNum(x)) return "—";
  return `$${x.toLocaleString("en-US", { maximumFractionDigits: x < 100 ? 2 : 0 })}`;
}

export function bytes(x) {
  if (!isNum(x)) return "—";
  const units = [
    [1e15, "PB"],
    [1e12, "TB"],
    [1e9, "GB"],
    [1e6, "MB"],
    [1e3, "kB"],
  ];
  for (const [scale, unit] of units)
    if (Math.abs(x) >= scale) return `${num(x / scale, 3)} ${unit}`;
  return `${num(x, 3)} B`;
}

// An estimate's value in its unit: "1/s" -> a rate, "B" -> bytes, "B/day" -> bytes a day.
export function quantity(value, unit) {
  if (unit === "1/s") return rate(value);
  if (unit && unit.startsWith("1/")) return `${compact(value)}/${unit.slice(2)}`;
  if (unit === "B") return bytes(value);
  if (unit && unit.startsWith("B/")) return `${bytes(value)}/${unit.slice(2)}`;
  if (unit === "ms") return ms(value);
  if (unit === "s") return ms(value * 1000);
  if (unit === "$/month") return `${money(value)}/month`;
  if (unit === "fraction") return pct(value);
  if (unit === "x") return `${num(value, 3)}×`;
  const one = value === 1 && unit && unit.endsWith("s") ? unit.slice(0, -1) : unit;
  return `${compact(value)}${one ? ` ${one}` : ""}`;
}

// "3 min ago", with the exact time for a title attribute.
export function ago(when) {
  if (!when) return { text: "—", title: "" };
  // A timestamp without an offset (SQLite drops it) is UTC, not the browser's local time.
  const text = String(when);
  const date = new Date(/T[\d:.]+$/.test(text) ? `${text}Z` : text);
  if (Number.isNaN(date.getTime())) return { text: String(when), title: "" };
  const s = (Date.now() - date.getTime()) / 1000;
  const title = date.toLocaleString();
  if (s < 45) return { text: "just now", title };
  if (s < 3600) return { text: `${Math.round(s / 60)} min ago`, title };
  if (s < 86400) return { text: `${Math.round(s / 3600)} h ago`, title };
  if (s < 86400 * 7) return { text: `${Math.round(s / 86400)} d ago`, title };
  return {
    text: date.toLocaleDateString(undefined, {
      year: "numeric",
      month: "short",
      day: "numeric",
    }),
    title,
  };
}

// The first of several names a field might go by, for answers whose shape may grow.
export function pick(obj, ...keys) {
  for (const key of keys) if (obj && obj[key] !== undefined && obj[key] !== null) return obj[key];
  return undefined;
}

// ---- feedback -----------------------------------------------------------------------------

// A toast in the page's live region; with an action, a button (e.g. Undo) that runs it.
export function toast(
  message,
  { action, actionLabel = "Undo", kind = "info", timeout = 8000 } = {},
) {
  const host = document.getElementById("toasts");
  if (!host) return;
  const close = () => item.remove();
  const item = h(
    "div",
    { class: `toast toast-${kind}` },
    h("span", { class: "toast-text" }, message),
    action
      ? h(
          "button",
          {
            type: "button",
            class: "button button-small",
            onclick: async () => {
              close();
              await action();
            },
          },
          actionLabel,
        )
      : null,
    h(
      "button",
      {
        type: "button",
        class: "toast-close",
        "aria-label": "Dismiss",
        onclick: close,
      },
      "×",
    ),
  );
  host.append(item);
  // It stays while the pointer or the keyboard is on it.
  let timer;
  const arm = () => {
    clearTimeout(timer);
    if (timeout) timer = setTimeout(close, timeout);
  };
  const hold = () => clearTimeout(timer);
  item.addEventListener("mouseenter", hold);
  item.addEventListener("focusin", hold);
  item.addEventListener("mouseleave", arm);
  item.addEventListener("focusout", arm);
  arm();
  return item;
}

export function reportError(err, prefix = "") {
  if (err && err.name === "AbortError") return;
  console.error(err);
  toast(`${prefix}${err && err.message ? err.message : String(err)}`, {
    kind: "error",
    timeout: 12000,
  });
}

export function debounce(fn, wait) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), wait);
  };
}

// Answers that arrive out of order: each call of the returned function starts a turn and
// gives back a check that stays true only while no later turn has begun, so the answer to an
// earlier, slower request is dropped instead of overwriting a newer one.
export function latestOnly() {
  let turn = 0;
  return () => {
    const mine = ++turn;
    return () => mine === turn;
  };
}

// An SVG document from the server, stripped of scripts and event handlers, as an element.
export function safeSvg(text) {
  const doc = new DOMParser().parseFromString(text, "image/svg+xml");
  const svg = doc.documentElement;
  if (!svg || svg.nodeName !== "svg" || doc.querySelector("parsererror")) return null;
  svg.querySelectorAll("script, foreignObject").forEach((n) => n.remove());
  for (const el of [svg, ...svg.querySelectorAll("*")]) {
    for (const attr of [...el.attributes]) {
      const value = attr.value.trim().toLowerCase();
      if (attr.name.startsWith("on") || value.startsWith("javascript:"))
        el.removeAttribute(attr.name);
    }
  }
  return document.importNode(svg, true);
}
