// The compare page: pick a baseline and an alternative (designs or versions), then read them
// side by side with the change of each figure against the baseline, and the sentences that
// say why.

import { api, messageOf } from "./api.js";
import {
  $,
  h,
  clear,
  fill,
  mark,
  rate,
  ms,
  num,
  availability,
  money,
  pick,
  ago,
  toast,
  reportError,
  latestOnly,
} from "./ui.js";

const main = document.querySelector("[data-page=compare]");
const params = new URLSearchParams(location.search);
const initial = {
  a: params.get("a") || main.dataset.a || "",
  b: params.get("b") || main.dataset.b || "",
  av: params.get("av") || "",
  bv: params.get("bv") || "",
};

const sel = {
  a: $("#a-design"),
  b: $("#b-design"),
  av: $("#a-version"),
  bv: $("#b-version"),
};
const section = $("#comparison");
const status = $("#compare-status");
let markdown = "";

const asId = (value) => (/^\d+$/.test(value) ? Number(value) : value);

// The versions of the design chosen last, never of one chosen before it whose list came late.
const versionTurns = new Map();

async function loadVersions(select, designId, wanted = "") {
  if (!versionTurns.has(select)) versionTurns.set(select, latestOnly());
  const current = versionTurns.get(select)();
  fill(select, h("option", { value: "" }, "latest"));
  if (!designId) return;
  try {
    const data = await api.listVersions(designId);
    if (!current()) return;
    const versions = (Array.isArray(data) ? data : pick(data, "versions", "items") || [])
      .map((v) => ({
        n: pick(v, "version", "n", "number"),
        when: ago(pick(v, "created_at", "saved_at")),
      }))
      .sort((x, y) => y.n - x.n);
    select.append(...versions.map((v) => h("option", { value: v.n }, `v${v.n} · ${v.when.text}`)));
    select.value = versions.some((v) => String(v.n) === String(wanted)) ? String(wanted) : "";
  } catch (err) {
    reportError(err);
  }
}

async function loadDesigns() {
  const designs = await api.listDesigns();
  const list = Array.isArray(designs) ? designs : pick(designs, "designs", "items") || [];
  for (const key of ["a", "b"]) {
    fill(
      sel[key],
      h("option", { value: "" }, "Choose a design…"),
      ...list.map((d) =>
        h(
          "option",
          { value: pick(d, "id", "design_id") },
          pick(d, "name", "title") || `Design ${d.id}`,
        ),
      ),
    );
  }
  const ids = list.map((d) => String(pick(d, "id", "design_id")));
  sel.a.value = ids.includes(initial.a) ? initial.a : ids[0] || "";
  const fallbackB = ids.find((id) => id !== sel.a.value) || sel.a.value;
  sel.b.value = ids.includes(initial.b) ? initial.b : fallbackB;
  await Promise.all([
    loadVersions(sel.av, sel.a.value, initial.av),
    loadVersions(sel.bv, sel.b.value, initial.bv),
  ]);
  if (!list.length) $("#compare-empty").textContent = "There are no designs to compare yet.";
  return list;
}

sel.a.addEventListener("change", () => loadVersions(sel.av, sel.a.value));
sel.b.addEventListener("change", () => loadVersions(sel.bv, sel.b.value));

$("#swap").addEventListener("click", async () => {
  const [a, av, b, bv] = [sel.a.value, sel.av.value, sel.b.value, sel.bv.value];
  sel.a.value = b;
  sel.b.value = a;
  await Promise.all([loadVersions(sel.av, b, bv), loadVersions(sel.bv, a, av)]);
});

// ---- the table ----------------------------------------------------------------------------

// For each row: how to read it, and which way is better (+1 higher, -1 lower, 0 neither).
function change(base, value, better, format) {
  if (typeof base !== "number" || typeof value !== "number" || base === value) return null;
  const diff = value - base;
  const rel = base !== 0 ? diff / Math.abs(base) : null;
  if (rel !== null && Math.abs(rel) < 0.005) return null; // under half a percent: no change
  const text =
    rel !== null ? `${diff > 0 ? "+" : "−"}${num(Math.abs(rel) * 100, 2)}%` : format(diff);
  const good = better === 0 ? null : Math.sign(diff) === better;
  return h(
    "span",
    {
      class: `delta ${good === null ? "" : good ? "delta-good" : "delta-bad"}`,
    },
    text,
  );
}

function renderTable(cmp) {
  const designs = cmp.designs || [];
  const flows = cmp.flows || [...new Set(designs.flatMap((d) => Object.keys(d.flows || {})))];
  const rows = [
    { label: "Design", cell: (d) => d.design },
    {
      label: "Meets goals",
      cell: (d) => [
        mark(d.meets_goals, { yes: "meets its goals", no: "misses a goal" }),
        d.goals ? ` ${d.goals_met ?? d.goals.filter((g) => g.met).length}/${d.goals.length}` : "",
      ],
    },
    { label: "Peak", value: (d) => d.peak_rps, fmt: rate, better: 0 },
    {
      label: "Saturates at",
      value: (d) => d.saturation_rps,
      fmt: rate,
      better: 1,
    },
    {
      label: "Headroom",
      value: (d) => d.headroom,
      fmt: (v) => `${num(v, 3)}×`,
      better: 1,
    },
    {
      label: "Bottleneck",
      cell: (d) =>
        d.bottleneck
          ? [
              d.bottleneck,
              typeof d.bottleneck_utilization === "number"
                ? h(
                    "span",
                    { class: "muted" },
                    ` ${Math.round(d.bottleneck_utilization * 100)}% busy`,
                  )
                : null,
            ]
          : "—",
    },
    {
      label: "Availability",
      value: (d) => d.availability,
      fmt: availability,
      better: 1,
      delta: false,
    },
    {
      label: "Downtime",
      value: (d) => d.downtime_minutes_per_month,
      fmt: (v) => `${num(v, 2)} min/month`,
      better: -1,
    },
    {
      label: "Cost / month",
      value: (d) => d.cost_per_month,
      fmt: money,
      better: -1,
    },
    {
      label: "Single points of failure",
      cell: (d) =>
        d.spofs && d.spofs.length
          ? d.spofs.map((s) => (typeof s === "string" ? s : s.component)).join(", ")
          : "none",
    },
    ...flows.map((f) => ({
      label: `p99 ${f}`,
      value: (d) => (d.flows && d.flows[f] ? d.flows[f].p99_ms : null),
      fmt: ms,
      better: -1,
      missing: (d) => !d.flows || !d.flows[f] || d.flows[f].status === "missing",
    })),
  ];
  const base = designs[0];
  return h(
    "table",
    { class: "data compare", id: "compare-table" },
    h(
      "caption",
      { class: "sr-only" },
      "Figures of each design; changes are against the baseline, the first column.",
    ),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { scope: "col" }, h("span", { class: "sr-only" }, "Figure")),
        designs.map((d, i) =>
          h(
            "th",
            { scope: "col", class: "num" },
            d.label,
            h("div", { class: "muted small" }, i === 0 ? "baseline" : `vs ${base.label}`),
          ),
        ),
      ),
    ),
    h(
      "tbody",
      {},
      rows.map((row) =>
        h(
          "tr",
          { class: row.label.startsWith("p99 ") ? "flow-row" : null },
          h("th", { scope: "row" }, row.label),
          designs.map((d, i) => {
            if (row.cell) return h("td", { class: "num" }, row.cell(d));
            if (row.missing && row.missing(d)) return h("td", { class: "num muted" }, "—");
            const v = row.value(d);
            const delta =
              i > 0 && row.delta !== false ? change(row.value(base), v, row.better, row.fmt) : null;
            return h(
              "td",
              { class: "num" },
              typeof v === "number" ? row.fmt(v) : "—",
              delta ? [" ", delta] : null,
            );
          }),
        ),
      ),
    ),
  );
}

function renderSentences(cmp) {
  const designs = cmp.designs || [];
  const list = clear($("#compare-sentences"));
  const others = designs.slice(1);
  for (const d of others) {
    if (others.length > 1)
      list.append(h("li", { class: "sentences-head" }, `${d.label} against ${designs[0].label}`));
    const sentences = d.sentences || [];
    if (!sentences.length) list.append(h("li", { class: "muted" }, "No notable change."));
    list.append(...sentences.map((s) => h("li", {}, s)));
  }
}

async function compare() {
  const a = sel.a.value;
  const b = sel.b.value;
  if (!a || !b) return;
  if (a === b && sel.av.value === sel.bv.value) {
    status.textContent = "Pick two different designs, or two versions of one design.";
    section.hidden = false;
    return;
  }
  const item = (id, v) =>
    v ? { design_id: asId(id), version: Number(v) } : { design_id: asId(id) };
  const query = new URLSearchParams({ a, b });
  if (sel.av.value) query.set("av", sel.av.value);
  if (sel.bv.value) query.set("bv", sel.bv.value);
  history.replaceState(null, "", `/compare?${query}`);
  section.hidden = false;
  section.setAttribute("aria-busy", "true");
  status.textContent = "Comparing…";
  try {
    const r = await api.compare([item(a, sel.av.value), item(b, sel.bv.value)]);
    if (!r.ok) {
      // A version that does not check: say which, and its first problems.
      const problems = (r.data && r.data.problems) || [];
      const first = problems
        .slice(0, 2)
        .map((p) => `${p.line ? `line ${p.line}: ` : ""}${p.message}`)
        .join("; ");
      status.textContent =
        r.data && r.data.label
          ? `“${r.data.label}” does not check, so it cannot be compared: ${first}${problems.length > 2 ? "; …" : ""}`
          : `The comparison failed: ${messageOf(r.data, r.status)}`;
      fill($("#compare-table-host"));
      fill($("#compare-sentences"));
      markdown = "";
      return;
    }
    const data = r.data;
    const cmp = data.comparison || data;
    markdown = data.markdown || "";
    fill($("#compare-table-host"), renderTable(cmp));
    renderSentences(cmp);
    $("#compare-markdown").textContent = markdown;
    const labels = (cmp.designs || []).map((d) => d.label);
    status.textContent = `${labels.join(" against ")}: ${(cmp.designs || [])[1]?.sentences?.length ?? 0} notable changes.`;
  } catch (err) {
    status.textContent = `The comparison failed: ${err.message}`;
    reportError(err);
  } finally {
    section.removeAttribute("aria-busy");
  }
}

$("#compare-form").addEventListener("submit", (event) => {
  event.preventDefault();
  compare();
});

$("#copy-markdown").addEventListener("click", async () => {
  try {
    await navigator.clipboard.writeText(markdown);
    toast("Copied the comparison as Markdown.");
  } catch {
    const details = $("#compare-markdown").closest("details");
    details.open = true;
    getSelection().selectAllChildren($("#compare-markdown"));
    toast("Select-all done: press Ctrl+C to copy.");
  }
});

loadDesigns()
  .then(() => {
    if (initial.a && initial.b) compare();
  })
  .catch(reportError);
