// The editor page's right pane, drawn from one answer of POST /api/analyze: the verdict,
// the key figures, goals, flows, components (with a utilisation chart), estimates and
// cost with their arithmetic, and the analysis's assumptions.

import { utilisationBar, utilisationChart } from "./charts.js";
import {
  h,
  fill,
  table,
  mark,
  figure,
  rate,
  ms,
  pct,
  num,
  availability,
  money,
  quantity,
} from "./ui.js";

function location_(p) {
  if (!p.line) return "";
  return p.column ? `line ${p.line}, column ${p.column}` : `line ${p.line}`;
}

// The problems of the text as a list; each one's place is a button that puts the cursor
// there (goTo(line, column)).
export function renderProblems(section, list, problems, goTo) {
  section.hidden = problems.length === 0;
  fill(
    list,
    ...problems.map((p) =>
      h(
        "li",
        {
          class: `problem problem-${p.severity === "warning" ? "warning" : "error"}`,
          dataset: { line: p.line, column: p.column },
        },
        h(
          "button",
          {
            type: "button",
            class: "problem-where",
            title: "Show in the editor",
            onclick: () => p.line && goTo(p.line, p.column),
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

const shown = new WeakMap(); // verdict element -> what it says now

// The one-line answer: state is meets, misses, invalid, error or pending.
export function setVerdict(el, state, headline, detail, notes = []) {
  // The verdict is a live region: redraw it only when it says something new, so a screen
  // reader hears a change and not every keystroke's re-analysis.
  const key = JSON.stringify([state, headline, detail, notes]);
  if (shown.get(el) === key) return;
  shown.set(el, key);
  el.dataset.state = state;
  const icon = { meets: "✓", misses: "✗", invalid: "!", error: "!" }[state] || "…";
  fill(
    el,
    h(
      "span",
      { class: "verdict-badge" },
      h("span", { class: "verdict-icon", "aria-hidden": "true" }, icon),
      headline,
    ),
    detail ? h("span", { class: "verdict-detail" }, detail) : null,
    notes.length
      ? h(
          "ul",
          { class: "verdict-notes" },
          notes.map((n) => h("li", {}, n)),
        )
      : null,
  );
}

// Everything one analysis shows. els: verdict, summary, goals, flows, components, chart,
// estimates, cost, assumptions (elements of editor.html).
export function renderAnalysis(els, a) {
  const goals = a.goals || [];
  const missed = goals.filter((g) => !g.met);
  const spofs = a.spofs || [];
  const notes = [...(a.warnings || [])];
  if (spofs.length)
    notes.push(
      `Single point${spofs.length > 1 ? "s" : ""} of failure: ${spofs.map((s) => `${s.component} (${s.reason})`).join(", ")}.`,
    );
  if (a.meets_goals)
    setVerdict(
      els.verdict,
      "meets",
      "Meets its goals",
      goals.length
        ? `${goals.length === 1 ? "Its goal is" : `All ${goals.length} goals are`} met at ${rate(a.peak_rps)}.`
        : "No goals set: add a goals: section.",
      notes,
    );
  else
    setVerdict(
      els.verdict,
      "misses",
      `Misses ${missed.length} of ${goals.length} goal${goals.length === 1 ? "" : "s"}`,
      missed.map((g) => `${g.name}: ${g.value_text} against ${g.target_text}`).join(" · "),
      notes,
    );

  fill(
    els.summary,
    figure("Peak", rate(a.peak_rps)),
    figure(
      "Saturates at",
      rate(a.saturation_rps),
      a.headroom ? `${num(a.headroom, 3)}× headroom` : null,
    ),
    figure(
      "Bottleneck",
      a.bottleneck || "—",
      a.bottleneck && a.components[a.bottleneck]
        ? `${pct(a.components[a.bottleneck].utilization, 2)} busy`
        : null,
    ),
    figure(
      "Availability",
      availability(a.availability),
      `${num(a.downtime_minutes_per_month, 2)} min/month down`,
    ),
    figure("Cost", money(a.cost_per_month), "per month"),
  );

  fill(
    els.goals,
    goals.length
      ? table(
          [
            { label: "Goal", cell: (g) => g.name },
            { label: "Target", num: true, cell: (g) => g.target_text },
            { label: "Predicted", num: true, cell: (g) => g.value_text },
            {
              label: "Margin",
              num: true,
              cell: (g) =>
                typeof g.margin === "number"
                  ? `${g.margin >= 0 ? "+" : ""}${pct(g.margin, 2)}`
                  : "—",
            },
            {
              label: "Met",
              cell: (g) => mark(g.met, { yes: "met", no: "missed" }),
            },
          ],
          goals,
          { id: "goals-table" },
        )
      : h(
          "p",
          { class: "muted" },
          "No goals yet. Add, for example, goals: {p99: 100ms, availability: 99.9%}.",
        ),
  );

  const flows = Object.entries(a.flows || {});
  fill(
    els.flows,
    table(
      [
        { label: "Flow", cell: ([name]) => name },
        { label: "Rate", num: true, cell: ([, f]) => rate(f.rate_rps) },
        { label: "p50", num: true, cell: ([, f]) => ms(f.p50_ms) },
        { label: "p95", num: true, cell: ([, f]) => ms(f.p95_ms) },
        {
          label: "p99",
          num: true,
          cell: ([, f]) => h("strong", {}, ms(f.p99_ms)),
        },
        { label: "p99.9", num: true, cell: ([, f]) => ms(f.p999_ms) },
        {
          label: "Availability",
          num: true,
          cell: ([, f]) => availability(f.availability),
        },
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
  fill(
    els.components,
    table(
      [
        {
          label: "Component",
          nowrap: true,
          cell: ([name]) => [
            name,
            name === a.bottleneck ? h("span", { class: "tag tag-warn" }, "bottleneck") : null,
            spofNames.has(name)
              ? h("span", { class: "tag tag-bad", title: "single point of failure" }, "SPOF")
              : null,
          ],
        },
        {
          label: "Kind",
          cell: ([, c]) => h("span", { class: "muted" }, c.kind),
        },
        { label: "Replicas", num: true, cell: ([, c]) => c.replicas },
        { label: "Arrivals", num: true, cell: ([, c]) => rate(c.arrival_rps) },
        {
          label: "Utilisation",
          cell: ([, c]) => utilisationBar(c.utilization, c.saturated),
        },
        {
          label: "Response",
          num: true,
          cell: ([, c]) => ms(c.mean_response_ms),
        },
        {
          label: "Cost / month",
          num: true,
          cell: ([, c]) => money(c.cost_per_month),
        },
      ],
      components,
      { id: "components-table" },
    ),
  );
  fill(
    els.chart,
    utilisationChart(
      components.map(([name, c]) => ({
        label: name,
        value: c.utilization,
        highlight: name === a.bottleneck,
      })),
    ),
  );

  fill(
    els.estimates,
    table(
      [
        {
          label: "Estimate",
          cell: (e) => [e.label, e.note ? h("div", { class: "muted small" }, e.note) : null],
        },
        {
          label: "Value",
          num: true,
          cell: (e) => h("strong", {}, quantity(e.value, e.unit)),
        },
        {
          label: "Formula",
          cell: (e) => h("code", { class: "formula" }, e.formula),
        },
      ],
      a.estimates || [],
      { id: "estimates-table", className: "data estimates" },
    ),
  );
  fill(
    els.cost,
    table(
      [
        { label: "Component", cell: (c) => c.component },
        { label: "Monthly", num: true, cell: (c) => money(c.monthly) },
        {
          label: "Formula",
          cell: (c) => h("code", { class: "formula" }, c.formula),
        },
      ],
      a.cost || [],
      { id: "cost-table", className: "data estimates" },
    ),
  );
  fill(els.assumptions, ...(a.assumptions || []).map((s) => h("li", {}, s)));
}
