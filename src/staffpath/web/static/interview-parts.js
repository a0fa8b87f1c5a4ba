// What the two pages of a mock interview share: the clock (corrected for the skew between the
// browser and the server), the phases with their time boxes, the problem, the questions and
// answers, the estimates in their units, autosaving, and the final report.

import { legend } from "./charts.js";
import { h, fill, table, mark, figure, num, compact, rate, bytes, money, ago } from "./ui.js";

// ---- time ---------------------------------------------------------------------------------

// An ISO timestamp as milliseconds; one without an offset is UTC (as ago() reads it).
export function parseTime(text) {
  if (!text) return NaN;
  const s = String(text);
  return new Date(/T[\d:.]+$/.test(s) ? `${s}Z` : s).getTime();
}

// The server's clock as the browser sees it: every answer carries the server's `now`, and
// the difference from the browser's clock at that moment corrects every countdown.
export function serverClock() {
  let skew = 0;
  return {
    sync(view) {
      const server = parseTime(view && view.now);
      if (Number.isFinite(server)) skew = server - Date.now();
    },
    now: () => Date.now() + skew,
  };
}

// 125 -> "2:05"; 3725 -> "1:02:05". Whole seconds, rounded down; the sign is the caller's.
export function clockText(seconds) {
  const s = Math.max(0, Math.floor(Math.abs(seconds)));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${rest}` : `${minutes}:${rest}`;
}

// 5 -> "5 min"; 6.7 -> "6.7 min"; 0.5 -> "30 s".
export function minutesText(minutes) {
  if (!(minutes > 0)) return "0 min";
  if (minutes < 1) return `${Math.round(minutes * 60)} s`;
  return `${num(minutes, 3)} min`;
}

// Each phase's state and times at `now` (ms): {state: done|current|next, box, spent, left}
// in seconds. A phase that started and has not ended is the current one.
export function phaseTimes(view, now) {
  return (view.phases || []).map((p) => {
    const box = (p.minutes || 0) * 60;
    const start = parseTime(p.started_at);
    const end = parseTime(p.ended_at);
    let state = "next";
    let spent = 0;
    if (Number.isFinite(start) && Number.isFinite(end)) {
      state = "done";
      spent = (end - start) / 1000;
    } else if (Number.isFinite(start)) {
      state = "current";
      spent = Math.max(0, (now - start) / 1000);
    }
    return { phase: p, state, box, spent, left: box - spent };
  });
}

// ok, then warn near the end (the last minute, or the last fifth of a short box), then over.
export function timeState(left, box, near = 60) {
  if (left < 0) return "over";
  if (left <= Math.min(near, box * 0.2)) return "warn";
  return "ok";
}

// The interview's two countdowns: els.phaseClock (+ phaseLabel, phaseOf) for the current
// phase and els.clock (+ clockOf) overall. `announce(text)` is told once when a phase's time
// or the whole interview's time runs out.
export function clockView(els, announce) {
  let told = new Set();
  let lastPhase;

  function setTime(el, ofEl, left, box, near, [leftText, overText]) {
    const state = timeState(left, box, near);
    el.dataset.state = state;
    el.textContent = left < 0 ? `+${clockText(left)}` : clockText(left);
    ofEl.textContent = left < 0 ? overText : leftText;
    return state;
  }

  function update(view, now) {
    const times = phaseTimes(view, now);
    const current = times.find((t) => t.state === "current");
    const total = (view.minutes || 0) * 60;
    const started = parseTime(view.started_at);
    if (view.current_phase !== lastPhase) {
      told = new Set([...told].filter((k) => k === "overall"));
      lastPhase = view.current_phase;
    }
    if (view.finished || !current) {
      // Done: the time it took, against the plan.
      const ends = times.map((t) => parseTime(t.phase.ended_at)).filter(Number.isFinite);
      const end = ends.length ? Math.max(...ends) : now;
      const took = Number.isFinite(started) ? Math.max(0, (end - started) / 1000) : 0;
      els.phaseLabel.textContent = view.finished ? "Finished" : "All phases done";
      els.phaseClock.textContent = "—";
      els.phaseClock.dataset.state = "done";
      els.phaseOf.textContent = view.finished ? "report below" : "finish for the report";
      els.clock.textContent = clockText(took);
      els.clock.dataset.state = took > total ? "over" : "done";
      els.clockOf.textContent = `taken of ${minutesText(view.minutes)}`;
      return times;
    }
    els.phaseLabel.textContent = current.phase.title;
    const phaseState = setTime(els.phaseClock, els.phaseOf, current.left, current.box, 60, [
      `left of ${minutesText(current.phase.minutes)} box`,
      `over its ${minutesText(current.phase.minutes)} box`,
    ]);
    const elapsed = Number.isFinite(started) ? (now - started) / 1000 : 0;
    const overall = setTime(els.clock, els.clockOf, total - elapsed, total, 300, [
      `left of ${minutesText(view.minutes)}`,
      `over ${minutesText(view.minutes)}`,
    ]);
    if (phaseState === "over" && !told.has(current.phase.name)) {
      told.add(current.phase.name);
      announce(`Time is up for ${current.phase.title}.`);
    }
    if (overall === "over" && !told.has("overall")) {
      told.add("overall");
      announce(`The interview's ${minutesText(view.minutes)} are up.`);
    }
    return times;
  }

  return { update };
}

// The phases as a row of time boxes, each as wide as its share of the interview:
// li[data-phase][data-state=done|current|next]. Built when the view changes; tick() updates
// the times only, so a screen reader reading the list is not interrupted every second.
export function phaseList(list) {
  let key = "";

  function build(view, now) {
    const times = phaseTimes(view, now);
    const k = JSON.stringify(times.map((t) => [t.phase.name, t.state, t.phase.minutes]));
    if (k === key) return tick(view, now);
    key = k;
    fill(
      list,
      ...times.map((t, i) =>
        h(
          "li",
          {
            class: "iv-phase",
            style: `flex-grow:${Math.max(1, t.phase.minutes || 1)}`,
            dataset: { phase: t.phase.name, state: t.state },
            "aria-current": t.state === "current" ? "step" : null,
          },
          h("span", { class: "iv-phase-fill", "aria-hidden": "true" }),
          h(
            "span",
            { class: "iv-phase-name" },
            h(
              "span",
              { class: "iv-phase-n", "aria-hidden": "true" },
              t.state === "done" ? "✓" : i + 1,
            ),
            t.phase.title,
          ),
          h("span", { class: "sr-only" }, ` (${stateWord(t.state)})`),
          h("span", { class: "iv-phase-time" }),
        ),
      ),
    );
    tick(view, now);
  }

  function tick(view, now) {
    const times = phaseTimes(view, now);
    times.forEach((t) => {
      const li = list.querySelector(`li[data-phase="${CSS.escape(t.phase.name)}"]`);
      if (!li) return;
      const box = minutesText(t.phase.minutes);
      const over = t.spent > t.box && t.state !== "next";
      li.dataset.over = over ? "true" : "false";
      const timeEl = li.querySelector(".iv-phase-time");
      const text =
        t.state === "done"
          ? `${clockText(t.spent)} of ${box}`
          : t.state === "current"
            ? `${clockText(t.spent)} of ${box}`
            : box;
      if (timeEl.textContent !== text) timeEl.textContent = text;
      const share = t.state === "next" ? 0 : Math.min(1, t.box ? t.spent / t.box : 1);
      li.querySelector(".iv-phase-fill").style.width = `${(share * 100).toFixed(1)}%`;
    });
  }

  return { build, tick };
}

const stateWord = (state) => ({ done: "done", current: "now", next: "to come" })[state] || state;

// ---- the problem --------------------------------------------------------------------------

export function renderProblem(host, problem) {
  const req = problem.requirements || {};
  const flows = Object.entries(req.flows || {});
  const list = (title, items) =>
    items && items.length
      ? [
          h("h3", {}, title),
          h(
            "ul",
            { class: "iv-list" },
            items.map((x) => h("li", {}, x)),
          ),
        ]
      : null;
  fill(
    host,
    h("p", { class: "iv-prompt" }, problem.prompt),
    list("Functional", req.functional),
    list("Non-functional", req.non_functional),
    list("Numbers", req.numbers),
    flows.length
      ? [
          h("h3", {}, "Flows ", h("span", { class: "muted small" }, "name them so in your design")),
          table(
            [
              { label: "Flow", nowrap: true, cell: ([name]) => h("code", {}, name) },
              { label: "What it does", cell: ([, f]) => f.description },
              { label: "Share", num: true, cell: ([, f]) => f.share ?? "—" },
            ],
            flows,
            { className: "data compact" },
          ),
        ]
      : null,
  );
}

// ---- questions ----------------------------------------------------------------------------

// The questions and answers, appended to (not redrawn), so the list can be a live region
// that reads out only what is new. Returns how many it shows.
export function renderQuestions(list, questions, startedAt, { asker = "You" } = {}) {
  const shown = list.querySelectorAll("li[data-n]").length;
  if (shown > questions.length) list.replaceChildren();
  const from = list.querySelectorAll("li[data-n]").length;
  list.querySelector(".qa-empty")?.remove();
  const start = parseTime(startedAt);
  questions.slice(from).forEach((q, i) => {
    const at = parseTime(q.at);
    const into =
      Number.isFinite(at) && Number.isFinite(start) ? clockText((at - start) / 1000) : null;
    list.append(
      h(
        "li",
        { class: "qa", dataset: { n: from + i + 1 } },
        h(
          "p",
          { class: "qa-q" },
          h("span", { class: "qa-who" }, `${asker}:`),
          " ",
          q.question,
          into
            ? h("span", { class: "qa-at muted small", title: ago(q.at).title }, ` at ${into}`)
            : null,
        ),
        h("p", { class: "qa-a" }, h("span", { class: "qa-who" }, "Interviewer:"), " ", q.answer),
      ),
    );
  });
  if (!questions.length) list.append(h("li", { class: "qa-empty muted" }, "No questions yet."));
  return questions.length;
}

// ---- estimates ----------------------------------------------------------------------------

// An estimate for reading: 1157, "/s" -> "1.16k/s"; 3.65e13, "B" -> "36.5 TB".
export function estimateText(value, unit) {
  if (typeof value !== "number" || !Number.isFinite(value)) return "—";
  if (unit && unit.endsWith("/s")) return rate(value);
  if (unit === "B") return bytes(value);
  return `${compact(value)}${unit ? ` ${unit}` : ""}`;
}

function scaled(value, steps) {
  for (const [scale, suffix] of steps)
    if (Math.abs(value) >= scale) return `${Number((value / scale).toPrecision(4))}${suffix}`;
  return `${Number(value.toPrecision(4))}${steps[steps.length - 1][1]}`;
}

// An estimate as text the server reads back to (nearly) the same number: "1.157k/s", "36.5TB".
export function entryText(value, unit) {
  if (typeof value !== "number" || !Number.isFinite(value)) return "";
  const mags = [
    [1e12, "T"],
    [1e9, "B"],
    [1e6, "M"],
    [1e3, "k"],
    [1, ""],
  ];
  if (unit && unit.endsWith("/s")) return `${scaled(value, mags)}/s`;
  if (unit === "B")
    return scaled(value, [
      [1e15, "PB"],
      [1e12, "TB"],
      [1e9, "GB"],
      [1e6, "MB"],
      [1e3, "kB"],
      [1, "B"],
    ]);
  return scaled(value, mags);
}

export function unitWords(unit) {
  if (unit === "/s") return "per second";
  if (unit && unit.endsWith("/s")) return `${unit.slice(0, -2)} per second`;
  if (unit === "B") return "bytes";
  return unit || "";
}

export function unitExample(unit) {
  if (unit && unit.endsWith("/s")) return "e.g. 1.2k/s";
  if (unit === "B") return "e.g. 36TB";
  return "e.g. 365B";
}

// ---- saving -------------------------------------------------------------------------------

// Debounced saving of one part of the page: schedule() after each change, flush() before
// anything that needs it saved. One save at a time; a change during a save saves again.
// save() resolves true when saved; stateEl shows Unsaved / Saving… / Saved.
export function autosaver({ save, stateEl, delay = 800, label = "" }) {
  let timer = null;
  let pending = false;
  let running = null;
  const show = (text, state) => {
    if (!stateEl) return;
    stateEl.textContent = text;
    stateEl.dataset.state = state;
  };
  async function run() {
    clearTimeout(timer);
    timer = null;
    while (running) await running;
    if (!pending) return true;
    pending = false;
    show("Saving…", "saving");
    let ok = false;
    running = (async () => {
      try {
        ok = await save();
      } catch (err) {
        ok = false;
        show(`Not saved: ${err.message}`, "failed");
        return;
      }
      if (ok) show(pending ? "Unsaved changes" : `Saved${label}`, pending ? "dirty" : "clean");
    })();
    await running;
    running = null;
    if (!ok) pending = true;
    return ok;
  }
  return {
    schedule() {
      pending = true;
      show("Unsaved changes", "dirty");
      clearTimeout(timer);
      timer = setTimeout(run, delay);
    },
    flush: run,
    get pending() {
      return pending || running !== null;
    },
    show,
  };
}

// ---- the design, read only ----------------------------------------------------------------

// YAML with line numbers, for the pages that show a design without editing it.
export function renderCode(pre, text) {
  const lines = (text || "").replace(/\n$/, "").split("\n");
  fill(
    pre,
    ...lines.map((line, i) =>
      h(
        "span",
        { class: "code-line", dataset: { line: i + 1 } },
        h("span", { class: "code-n", "aria-hidden": "true" }, i + 1),
        `${line}\n`,
      ),
    ),
  );
}

// ---- the curveball ------------------------------------------------------------------------

export function renderCurveball(host, result) {
  if (!result) {
    fill(host);
    return;
  }
  const reasons = result.reasons || [];
  fill(
    host,
    h(
      "div",
      { class: "verdict", dataset: { state: result.passed ? "meets" : "misses" } },
      h(
        "span",
        { class: "verdict-badge" },
        h("span", { class: "verdict-icon", "aria-hidden": "true" }, result.passed ? "✓" : "✗"),
        result.passed ? "Holds" : "Fails",
      ),
      h(
        "span",
        { class: "verdict-detail" },
        h("strong", {}, result.name),
        ` · ${result.description}`,
      ),
      reasons.length
        ? h(
            "ul",
            { class: "verdict-notes curveball-reasons" },
            reasons.map((r) => h("li", {}, r)),
          )
        : null,
    ),
  );
}

// ---- the report ---------------------------------------------------------------------------

const AREAS = ["scalability", "reliability", "cost", "estimation"];
export const AREA_COLORS = {
  scalability: "#0969da",
  reliability: "#1a7f37",
  cost: "#bf8700",
  estimation: "#8250df",
  score: "#1f2328",
};
const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);
export const areaName = (a) => cap(a);

function scoreText(x) {
  return typeof x === "number" && Number.isFinite(x) ? `${Math.round(x)}` : "—";
}

// The rubric: one row a phase, what a mid, senior and staff answer does.
export function rubricTable(rubric, phases, { id, extra } = {}) {
  const order = (phases || []).map((p) => p.name);
  const names = [
    ...order.filter((n) => rubric[n]),
    ...Object.keys(rubric).filter((n) => !order.includes(n)),
  ];
  const title = (n) => (phases || []).find((p) => p.name === n)?.title || cap(n.replace(/_/g, " "));
  const columns = [
    { label: "Phase", nowrap: true, cell: (n) => title(n) },
    { label: "Mid", cell: (n) => rubric[n].mid },
    { label: "Senior", cell: (n) => rubric[n].senior },
    { label: "Staff", cell: (n) => rubric[n].staff },
  ];
  if (extra) columns.push(extra);
  return table(columns, names, { id, className: "data rubric" });
}

// Everything a finished interview reports. els: report (the section), and inside it the
// page's hosts are made here.
export function renderReport(host, report, view) {
  const g = report.grading;
  const parts = [];
  if (g) {
    const scenarios = g.scenarios || [];
    const failed = scenarios.filter((s) => !s.passed).length;
    parts.push(
      h(
        "div",
        { class: "verdict", dataset: { state: g.passed ? "meets" : "misses" } },
        h(
          "span",
          { class: "verdict-badge" },
          h("span", { class: "verdict-icon", "aria-hidden": "true" }, g.passed ? "✓" : "✗"),
          g.passed
            ? "Passes every hidden scenario"
            : `Fails ${failed} of ${scenarios.length} hidden scenario${scenarios.length === 1 ? "" : "s"}`,
        ),
        h("span", { class: "verdict-detail" }, `Score ${scoreText(g.score)}/100 · ${g.level}`),
      ),
    );
    const areas = g.areas || {};
    parts.push(
      h(
        "dl",
        { class: "figures report-figures" },
        figure("Score", `${scoreText(g.score)}/100`, g.level),
        ...AREAS.filter((a) => areas[a] !== undefined && areas[a] !== null).map((a) =>
          figure(
            areaName(a),
            `${scoreText(areas[a])}`,
            a === "estimation" ? "estimates within 2×" : null,
          ),
        ),
        AREAS.includes("estimation") &&
          (areas.estimation === undefined || areas.estimation === null)
          ? figure("Estimation", "—", "no estimates given")
          : null,
        figure(
          "Cost / month",
          money(g.cost_per_month),
          g.budget_per_month
            ? `${g.cost_per_month > g.budget_per_month ? "over" : "within"} ${money(g.budget_per_month)} budget`
            : "no budget stated",
        ),
      ),
    );
    parts.push(
      h("h3", {}, "Hidden scenarios"),
      table(
        [
          {
            label: "Scenario",
            nowrap: true,
            cell: (s) => [s.name, h("span", { class: `tag tag-${s.kind}` }, s.kind)],
          },
          {
            label: "Result",
            nowrap: true,
            cell: (s) => [
              mark(s.passed, { yes: "passed", no: "failed" }),
              s.passed ? " pass" : " fail",
            ],
          },
          {
            label: "Why",
            cell: (s) =>
              s.reasons && s.reasons.length
                ? h(
                    "ul",
                    { class: "reasons" },
                    s.reasons.map((r) => h("li", {}, r)),
                  )
                : h("span", { class: "muted" }, s.description),
          },
        ],
        scenarios,
        { id: "report-scenarios", className: "data report-scenarios" },
      ),
    );
    const estimates = g.estimates || [];
    if (estimates.length)
      parts.push(
        h(
          "h3",
          {},
          "Estimates ",
          h("span", { class: "muted small" }, "right within 2× of the reference"),
        ),
        table(
          [
            { label: "Estimate", cell: (e) => e.label },
            {
              label: "Yours",
              num: true,
              cell: (e) =>
                e.given === null || e.given === undefined
                  ? h("span", { class: "muted" }, "not given")
                  : estimateText(e.given, e.unit),
            },
            { label: "Reference", num: true, cell: (e) => estimateText(e.reference, e.unit) },
            { label: "OK", cell: (e) => mark(e.ok, { yes: "right", no: "off" }) },
            {
              label: "The arithmetic",
              cell: (e) =>
                e.ok
                  ? h("span", { class: "muted small" }, "—")
                  : h("code", { class: "formula" }, e.formula),
            },
          ],
          estimates,
          { id: "report-estimates", className: "data estimates" },
        ),
      );
  } else {
    const problems = report.problems || [];
    parts.push(
      h(
        "div",
        { class: "verdict", dataset: { state: "error" } },
        h(
          "span",
          { class: "verdict-badge" },
          h("span", { class: "verdict-icon", "aria-hidden": "true" }, "!"),
          "Not graded",
        ),
        h(
          "span",
          { class: "verdict-detail" },
          "The design did not load, so the hidden scenarios could not run.",
        ),
        problems.length
          ? h(
              "ul",
              { class: "verdict-notes" },
              problems.map((p) => h("li", {}, `${p.line ? `line ${p.line}: ` : ""}${p.message}`)),
            )
          : null,
      ),
      h("h3", {}, "Hidden scenarios"),
      h(
        "table",
        { id: "report-scenarios", class: "data report-scenarios" },
        h(
          "tbody",
          {},
          h("tr", { class: "placeholder" }, h("td", {}, "Not run: the design did not load.")),
        ),
      ),
    );
  }
  const phases = report.phases || [];
  if (phases.length)
    parts.push(
      h("h3", {}, "Time ", h("span", { class: "muted small" }, "against each phase's box")),
      table(
        [
          { label: "Phase", nowrap: true, cell: (p) => p.title },
          { label: "Box", num: true, cell: (p) => minutesText(p.minutes) },
          { label: "Spent", num: true, cell: (p) => minutesText(p.spent_minutes) },
          {
            label: "",
            cell: (p) => timeBar(p.spent_minutes, p.minutes, p.over),
          },
        ],
        phases,
        { id: "report-phases", className: "data report-phases" },
      ),
    );
  if (report.rubric && Object.keys(report.rubric).length)
    parts.push(
      h(
        "h3",
        {},
        "The rubric ",
        h("span", { class: "muted small" }, "what each level does in each phase"),
      ),
      rubricTable(report.rubric, phases.length ? phases : view && view.phases, {
        id: "report-rubric",
      }),
    );
  parts.push(
    h("h3", {}, "What to practise next"),
    h(
      "ul",
      { id: "practise-next", class: "sentences" },
      (report.practise_next || []).map((t) => h("li", {}, t)),
    ),
  );
  fill(host, ...parts);
}

// Spent against the box as a small bar: the box is the track, past it the bar turns red.
function timeBar(spent, box, over) {
  const scale = Math.max(spent, box, 1e-9);
  return h(
    "div",
    { class: "tbar", title: over ? "over its box" : null },
    h(
      "span",
      { class: "tbar-track", "aria-hidden": "true" },
      h("span", { class: "tbar-box", style: `width:${((box / scale) * 100).toFixed(1)}%` }),
      h("span", {
        class: `tbar-fill${over ? " tbar-over" : spent > box ? " tbar-late" : ""}`,
        style: `width:${((spent / scale) * 100).toFixed(1)}%`,
      }),
    ),
    over ? h("span", { class: "tag tag-bad" }, "over") : null,
  );
}

// The legend of the trend chart, in the page's HTML legend style.
export function areaLegend(areas) {
  return legend(
    areas.map((a) => ({
      label: a === "score" ? "Overall score" : areaName(a),
      color: AREA_COLORS[a],
      shape: a === "score" ? "dash" : "line",
    })),
  );
}
