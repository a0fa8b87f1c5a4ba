// The generic view of a career report, for a kind the page has no renderer for (or one
// whose report changed shape): tables for lists of flat records, definition lists for
// objects, lists for the rest. Text goes in through h() only.

import { h, table, num } from "./ui.js";

const words = (s) => String(s ?? "").replace(/[-_]/g, " ");
const isScalar = (v) => v === null || ["string", "number", "boolean"].includes(typeof v);
const scalarText = (v) =>
  v === null || v === undefined ? "—" : typeof v === "number" ? num(v, 4) : String(v);
const isFlat = (o) =>
  o &&
  typeof o === "object" &&
  !Array.isArray(o) &&
  Object.values(o).every((v) => isScalar(v) || (Array.isArray(v) && v.every(isScalar)));

// Short words in a line; sentences one under the other.
function scalars(items) {
  const texts = items.map(scalarText);
  if (texts.every((t) => t.length <= 40)) return texts.join(", ");
  return h(
    "ul",
    { class: "plain-list" },
    texts.map((t) => h("li", {}, t)),
  );
}

function value(v, depth) {
  if (isScalar(v)) return scalarText(v);
  if (Array.isArray(v)) {
    if (!v.length) return h("span", { class: "muted" }, "none");
    if (v.every(isScalar)) return scalars(v);
    if (v.every(isFlat)) {
      const keys = [...new Set(v.flatMap((o) => Object.keys(o)))];
      return h(
        "div",
        { class: "table-scroll" },
        table(
          keys.map((k, i) => ({
            label: words(k),
            rowHeader: i === 0 ? true : undefined,
            cell: (o) => (Array.isArray(o[k]) ? scalars(o[k]) : scalarText(o[k])),
          })),
          v,
          { className: "data compact" },
        ),
      );
    }
    return h(
      "ol",
      { class: "plain-list" },
      v.map((x) => h("li", {}, value(x, depth + 1))),
    );
  }
  if (depth > 4) return h("code", {}, JSON.stringify(v));
  return h(
    "dl",
    { class: "generic-dl" },
    Object.entries(v).flatMap(([k, x]) => [
      h("dt", {}, words(k)),
      h("dd", {}, value(x, depth + 1)),
    ]),
  );
}

export function generic(report) {
  return h("div", { class: "report report-generic" }, value(report, 0));
}
