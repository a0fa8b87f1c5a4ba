// The design editor page: YAML on the left, the live analysis on the right.
//
// Typing re-analyses after a short pause (one request in flight: a newer one aborts the
// older); problems become editor diagnostics and a list; a valid design redraws the results
// and the diagram. Save (button, Ctrl/Cmd+S) stores a version; History lists, diffs and
// restores versions.

import { api } from "./api.js";
import { utilisationChart, utilisationColor } from "./charts.js";
import {
  $, h, clear, table, mark, rate, ms, pct, num, availability, money, quantity, ago, pick,
  toast, reportError, debounce, safeSvg,
} from "./ui.js";

const ANALYZE_DELAY_MS = 150;

const designId = document.querySelector("[data-design-id]").dataset.designId;
const els = {
  name: $("#design-name"),
  editor: $("#editor"),
  saveState: $("#save-state"),
  save: $("#save"),
  verdict: $("#verdict"),
  summary: $("#summary"),
  problemsSection: $("#problems-section"),
  problems: $("#problems"),
  analysis: $("#analysis"),
  goals: $("#goals"),
  flows: $("#flows"),
  components: $("#components"),
  chart: $("#chart-utilization"),
  diagram: $("#diagram"),
  estimates: $("#estimates"),
  cost: $("#cost"),
  assumptions: $("#assumptions"),
  versions: $("#versions"),
  dialog: $("#diff-dialog"),
  diff: $("#diff"),
  diffTitle: $("#diff-title"),
  diffRestore: $("#diff-restore"),
};

let editor = null;
let savedText = "";
let saving = false;
let inflight = null; // AbortController of the newest analysis
let generation = 0;

const dirty = () => editor !== null && editor.getText() !== savedText;

function showSaveState(text) {
  els.saveState.textContent = text ?? (dirty() ? "Unsaved changes" : "Saved");
  els.saveState.dataset.state = dirty() ? "dirty" : "clean";
}

// ---- analysis ---------------------------------------------------------------------------

async function analyze(text) {
  inflight?.abort();
  const controller = new AbortController();
  inflight = controller;
  const mine = ++generation;
  els.analysis.setAttribute("aria-busy", "true");
  try {
    const r = await api.analyze(text, controller.signal);
    if (mine !== generation) return;
    const problems = pick(r.data, "problems") || [];
    editor.setDiagnostics(problems);
    renderProblems(problems);
    if (r.ok && r.data && r.data.analysis) {
      renderAnalysis(r.data.analysis);
      drawDiagram(text, controller.signal, mine);
    } else if (r.status === 422 || (r.data && r.data.ok === false)) {
      renderInvalid(problems);
    } else {
      renderFailure(`The analysis failed: the server answered ${r.status}.`);
    }
  } catch (err) {
    if (err.name === "AbortError") return;
    if (mine === generation) renderFailure(err.message);
  } finally {
    if (mine === generation) els.analysis.removeAttribute("aria-busy");
  }
}

const analyzeSoon = debounce((text) => analyze(text), ANALYZE_DELAY_MS);

function location_(p) {
  if (!p.line) return "";
  return p.column ? `line ${p.line}, column ${p.column}` : `line ${p.line}`;
}

function renderProblems(problems) {
  els.problemsSection.hidden = problems.length === 0;
  clear(els.problems).append(
    ...problems.map((p) =>
      h(
        "li",
        { class: `problem problem-${p.severity === "warning" ? "warning" : "error"}`, dataset: { line: p.line, column: p.column } },
        h(
          "button",
          {
            type: "button",
            class: "problem-where",
            title: "Show in the editor",
            onclick: () => p.line && editor.goTo(p.line, p.column),
          },
          h("span", { class: "severity" }, p.severity === "warning" ? "warning" : "error"),
          location_(p) || "design",
        ),
        h(
          "div",
          { class: "problem-text" },
          p.path ? h("code", { class: "problem-path" }, p.path) : null,
          h("span", {}, p.message),
          p.hint ? h("div", { class: "problem-hint" }, p.hint) : null,
        ),
      ),
    ),
  );
}

function renderInvalid(problems) {
  const errors = problems.filter((p) => p.severity !== "warning").length || problems.length;
  setVerdict(
    "invalid",
    `${errors} problem${errors === 1 ? "" : "s"} to fix`,
    els.analysis.dataset.state === "pending"
      ? "The results appear once the design checks."
      : "The results below are from the last version that checked.",
  );
  if (els.analysis.dataset.state !== "pending") els.analysis.dataset.state = "stale";
}

function renderFailure(message) {
  setVerdict("error", "No analysis", message);
  if (els.analysis.dataset.state !== "pending") els.analysis.dataset.state = "stale";
}

function setVerdict(state, headline, detail, notes = []) {
  els.verdict.dataset.state = state;
  const icon = { meets: "✓", misses: "✗", invalid: "!", error: "!" }[state] || "…";
  clear(els.verdict).append(
    h("span", { class: "verdict-badge" }, h("span", { class: "verdict-icon", "aria-hidden": "true" }, icon), headline),
    detail ? h("span", { class: "verdict-detail" }, detail) : null,
    notes.length ? h("ul", { class: "verdict-notes" }, notes.map((n) => h("li", {}, n))) : null,
  );
}

function figure(label, value, extra) {
  return h("div", { class: "figure" }, h("dt", {}, label), h("dd", {}, value, extra ? h("span", { class: "figure-extra" }, extra) : null));
}

function renderAnalysis(a) {
  els.analysis.dataset.state = "fresh";
  if (a.design) {
    els.name.textContent = a.design;
    document.title = `${a.design} · staffpath studio`;
  }
  const goals = a.goals || [];
  const missed = goals.filter((g) => !g.met);
  const spofs = a.spofs || [];
  const notes = [...(a.warnings || [])];
  if (spofs.length)
    notes.push(`Single point${spofs.length > 1 ? "s" : ""} of failure: ${spofs.map((s) => `${s.component} (${s.reason})`).join(", ")}.`);
  if (a.meets_goals)
    setVerdict("meets", "Meets its goals", goals.length ? `All ${goals.length} goals met at ${rate(a.peak_rps)}.` : "No goals set: add a goals: section.", notes);
  else
    setVerdict(
      "misses",
      `Misses ${missed.length} of ${goals.length} goal${goals.length === 1 ? "" : "s"}`,
      missed.map((g) => `${g.name}: ${g.value_text} against ${g.target_text}`).join(" · "),
      notes,
    );

  clear(els.summary).append(
    figure("Peak", rate(a.peak_rps)),
    figure("Saturates at", rate(a.saturation_rps), a.headroom ? `${num(a.headroom, 3)}× headroom` : null),
    figure("Bottleneck", a.bottleneck || "—", a.bottleneck && a.components[a.bottleneck] ? `${pct(a.components[a.bottleneck].utilization, 2)} busy` : null),
    figure("Availability", availability(a.availability), `${num(a.downtime_minutes_per_month, 2)} min/month down`),
    figure("Cost", money(a.cost_per_month), "per month"),
  );

  clear(els.goals).append(
    goals.length
      ? table(
          [
            { label: "Goal", cell: (g) => g.name },
            { label: "Target", num: true, cell: (g) => g.target_text },
            { label: "Predicted", num: true, cell: (g) => g.value_text },
            { label: "Margin", num: true, cell: (g) => (typeof g.margin === "number" ? `${g.margin >= 0 ? "+" : ""}${pct(g.margin, 2)}` : "—") },
            { label: "Met", cell: (g) => mark(g.met, { yes: "met", no: "missed" }) },
          ],
          goals,
          { id: "goals-table" },
        )
      : h("p", { class: "muted" }, "No goals yet. Add, for example, goals: {p99: 100ms, availability: 99.9%}."),
  );

  const flows = Object.entries(a.flows || {});
  clear(els.flows).append(
    table(
      [
        { label: "Flow", cell: ([name]) => name },
        { label: "Rate", num: true, cell: ([, f]) => rate(f.rate_rps) },
        { label: "p50", num: true, cell: ([, f]) => ms(f.p50_ms) },
        { label: "p95", num: true, cell: ([, f]) => ms(f.p95_ms) },
        { label: "p99", num: true, cell: ([, f]) => h("strong", {}, ms(f.p99_ms)) },
        { label: "p99.9", num: true, cell: ([, f]) => ms(f.p999_ms) },
        { label: "Availability", num: true, cell: ([, f]) => availability(f.availability) },
        {
          label: "Notes",
          cell: ([, f]) =>
            f.saturated_by && f.saturated_by.length
              ? h("span", { class: "tag tag-bad" }, `saturated by ${f.saturated_by.join(", ")}`)
              : f.error_rate > 0
                ? `${pct(f.error_rate, 2)} errors`
                : "",
        },
      ],
      flows,
      { id: "flows-table" },
    ),
  );

  const spofNames = new Set(spofs.map((s) => s.component));
  const components = Object.entries(a.components || {});
  clear(els.components).append(
    table(
      [
        {
          label: "Component",
          cell: ([name]) => [
            name,
            name === a.bottleneck ? h("span", { class: "tag tag-warn" }, "bottleneck") : null,
            spofNames.has(name) ? h("span", { class: "tag tag-bad", title: "single point of failure" }, "SPOF") : null,
          ],
        },
        { label: "Kind", cell: ([, c]) => h("span", { class: "muted" }, c.kind) },
        { label: "Replicas", num: true, cell: ([, c]) => c.replicas },
        { label: "Arrivals", num: true, cell: ([, c]) => rate(c.arrival_rps) },
        { label: "Utilisation", cell: ([, c]) => utilisationBar(c.utilization, c.saturated) },
        { label: "Response", num: true, cell: ([, c]) => ms(c.mean_response_ms) },
        { label: "Cost / month", num: true, cell: ([, c]) => money(c.cost_per_month) },
      ],
      components,
      { id: "components-table" },
    ),
  );
  clear(els.chart).append(
    utilisationChart(components.map(([name, c]) => ({ label: name, value: c.utilization, highlight: name === a.bottleneck }))),
  );

  clear(els.estimates).append(
    table(
      [
        { label: "Estimate", cell: (e) => [e.label, e.note ? h("div", { class: "muted small" }, e.note) : null] },
        { label: "Value", num: true, cell: (e) => h("strong", {}, quantity(e.value, e.unit)) },
        { label: "Formula", rowHeader: false, cell: (e) => h("code", { class: "formula" }, e.formula) },
      ],
      a.estimates || [],
      { id: "estimates-table", className: "data estimates" },
    ),
  );
  clear(els.cost).append(
    table(
      [
        { label: "Component", cell: (c) => c.component },
        { label: "Monthly", num: true, cell: (c) => money(c.monthly) },
        { label: "Formula", cell: (c) => h("code", { class: "formula" }, c.formula) },
      ],
      a.cost || [],
      { id: "cost-table", className: "data estimates" },
    ),
  );
  clear(els.assumptions).append(...(a.assumptions || []).map((s) => h("li", {}, s)));
}

function utilisationBar(u, saturated) {
  const width = Math.max(0, Math.min(1, u)) * 100;
  return h(
    "div",
    { class: "ubar", title: saturated ? "saturated" : null },
    h("span", { class: "ubar-track", "aria-hidden": "true" }, h("span", { class: "ubar-fill", style: `width:${width}%;background:${utilisationColor(u)}` })),
    h("span", { class: "ubar-value" }, saturated ? `${pct(u)} (saturated)` : pct(u)),
  );
}

async function drawDiagram(text, signal, mine) {
  try {
    const svgText = await api.diagram(text, signal);
    if (mine !== generation) return;
    const svg = typeof svgText === "string" ? safeSvg(svgText) : null;
    if (svg) {
      svg.removeAttribute("width");
      svg.removeAttribute("height");
      clear(els.diagram).append(svg);
    } else clear(els.diagram).append(h("p", { class: "muted" }, "The diagram could not be drawn."));
  } catch (err) {
    if (err.name === "AbortError" || mine !== generation) return;
    clear(els.diagram).append(h("p", { class: "muted" }, `The diagram could not be drawn: ${err.message}`));
  }
}

// ---- saving and versions ----------------------------------------------------------------

async function save() {
  if (saving || editor === null) return;
  saving = true;
  els.save.disabled = true;
  showSaveState("Saving…");
  const text = editor.getText();
  try {
    const r = await api.saveDesign(designId, text);
    if (r.ok) {
      savedText = text;
      const version = pick(r.data, "version", "latest_version");
      showSaveState(typeof version === "number" ? `Saved as version ${version}` : "Saved");
      loadVersions();
    } else {
      showSaveState("Not saved");
      const problems = pick(r.data, "problems");
      if (Array.isArray(problems)) {
        editor.setDiagnostics(problems);
        renderProblems(problems);
      }
      toast(`Not saved: ${pick(r.data, "detail") || (problems ? `${problems.length} problem(s) to fix first` : `the server answered ${r.status}`)}`, { kind: "error" });
    }
  } catch (err) {
    showSaveState("Not saved");
    reportError(err, "Not saved: ");
  } finally {
    saving = false;
    els.save.disabled = false;
  }
}

const versionNumber = (v) => pick(v, "version", "n", "number");

async function loadVersions() {
  try {
    const data = await api.listVersions(designId);
    const versions = (Array.isArray(data) ? data : pick(data, "versions", "items") || [])
      .slice()
      .sort((x, y) => versionNumber(y) - versionNumber(x));
    const latest = versions.length ? versionNumber(versions[0]) : null;
    const numbers = versions.map(versionNumber);
    clear(els.versions).append(
      ...versions.map((v) => {
        const n = versionNumber(v);
        const when = ago(pick(v, "created_at", "saved_at", "updated_at"));
        const previous = numbers.filter((m) => m < n).reduce((a, b) => Math.max(a, b), -Infinity);
        const note = pick(v, "message", "summary", "note");
        return h(
          "li",
          { class: "version", dataset: { version: n } },
          h(
            "div",
            { class: "version-main" },
            h("strong", {}, `Version ${n}`),
            n === latest ? h("span", { class: "tag" }, "latest") : null,
            h("span", { class: "muted", title: when.title }, when.text),
            v.meets_goals === undefined || v.meets_goals === null ? null : mark(v.meets_goals, { yes: "met its goals", no: "missed a goal" }),
            note ? h("div", { class: "muted small" }, note) : null,
          ),
          h(
            "div",
            { class: "version-actions" },
            Number.isFinite(previous)
              ? h("button", { type: "button", class: "button button-small button-quiet", "data-action": "diff", onclick: () => showDiff(previous, n, n !== latest) }, "Changes")
              : h("span", { class: "muted small" }, "first version"),
            n !== latest
              ? h("button", { type: "button", class: "button button-small", "data-action": "restore", onclick: () => restore(n) }, "Restore")
              : null,
          ),
        );
      }),
    );
    if (!versions.length) els.versions.append(h("li", { class: "muted" }, "No saved versions yet."));
  } catch (err) {
    clear(els.versions).append(h("li", { class: "muted" }, `History unavailable: ${err.message}`));
  }
}

async function showDiff(a, b, restorable) {
  els.diffTitle.textContent = `Changes from version ${a} to version ${b}`;
  clear(els.diff).append("Loading…");
  els.diffRestore.hidden = !restorable;
  els.diffRestore.onclick = () => {
    els.dialog.close();
    restore(b);
  };
  els.dialog.showModal();
  try {
    const data = await api.diffVersions(designId, a, b);
    const text = typeof data === "string" ? data : pick(data, "diff", "text", "unified") || "";
    clear(els.diff).append(
      ...(text.trim() ? text.split("\n") : ["(no changes)"]).map((line) => {
        const kind = line.startsWith("@@")
          ? "hunk"
          : line.startsWith("+++") || line.startsWith("---")
            ? "file"
            : line.startsWith("+")
              ? "add"
              : line.startsWith("-")
                ? "del"
                : "ctx";
        return h("span", { class: `diff-line diff-${kind}` }, `${line}\n`);
      }),
    );
  } catch (err) {
    clear(els.diff).append(`The changes could not be loaded: ${err.message}`);
  }
}

async function restore(n) {
  if (dirty() && !confirm(`Restore version ${n}? Your unsaved changes will be replaced.`)) return;
  try {
    await api.restoreVersion(designId, n);
    const design = await api.getDesign(designId);
    const yaml = pick(design, "yaml", "text") || "";
    savedText = yaml;
    editor.setText(yaml);
    showSaveState(`Restored version ${n}`);
    toast(`Restored version ${n} as the latest version.`);
    loadVersions();
  } catch (err) {
    reportError(err, "Not restored: ");
  }
}

// ---- start --------------------------------------------------------------------------------

function onKeydown(event) {
  if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "s") {
    event.preventDefault();
    if (!event.repeat) save();
  }
}

async function start() {
  let design;
  let schema = null;
  try {
    [design, schema] = await Promise.all([api.getDesign(designId), api.schema().catch(() => null)]);
  } catch (err) {
    els.editor.dataset.state = "error";
    clear(els.editor).append(h("p", { class: "pane-error" }, `This design could not be loaded: ${err.message}`));
    setVerdict("error", "Not loaded", err.message);
    return;
  }
  const name = pick(design, "name", "title");
  if (name) {
    els.name.textContent = name;
    document.title = `${name} · staffpath studio`;
  }
  savedText = pick(design, "yaml", "text") || "";
  if (!window.staffpathEditor) {
    clear(els.editor).append(h("p", { class: "pane-error" }, "The editor bundle (static/vendor/editor.js) did not load."));
    return;
  }
  clear(els.editor);
  editor = window.staffpathEditor.create(els.editor, savedText, {
    schema,
    label: "Design YAML",
    onSave: save,
    onChange: (text) => {
      showSaveState();
      analyzeSoon(text);
    },
  });
  els.editor.dataset.state = "ready";
  showSaveState();
  els.save.addEventListener("click", save);
  document.addEventListener("keydown", (event) => {
    if (!event.defaultPrevented) onKeydown(event);
  });
  window.addEventListener("beforeunload", (event) => {
    if (dirty()) event.preventDefault();
  });
  analyze(savedText);
  loadVersions();
}

start();
