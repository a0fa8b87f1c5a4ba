// The interviewer's page of a mock interview (the link with the key, or, for a peer the
// candidate named, no key: the API knows the peer by its session): the candidate's work
// live and read only (polled every 2 s), and what only the interviewer sees: the answers to
// the clarifying questions, the hidden scenarios, the rubric with a 1–4 score per phase, and
// the interviewer's own notes, saved as they change.

import { api } from "./api.js";
import {
  autosaver,
  clockView,
  estimateText,
  minutesText,
  phaseList,
  renderCode,
  renderCurveball,
  renderProblem,
  renderQuestions,
  renderReport,
  serverClock,
} from "./interview-parts.js";
import { rememberKey } from "./interview-keys.js";
import { setVerdict } from "./results.js";
import { $, h, fill, table, pick, rate, debounce } from "./ui.js";

const POLL_MS = 2000;
const SAVE_DELAY_MS = 800;

const main = document.querySelector("[data-interview-id]");
const interviewId = main.dataset.interviewId;
const key = main.dataset.key || new URLSearchParams(location.search).get("key") || "";
// A peer (POST /api/interviews/{id}/peer) opens the page without the key and calls the API
// without one; the page is only served to a live peer that way.
const asPeer = main.dataset.peer === "true" && !key;
const els = {
  title: $("#problem-title"),
  meta: $("#problem-meta"),
  live: $("#live"),
  problem: $("#problem"),
  phases: $("#phases"),
  clockStatus: $("#clock-status"),
  grid: $("#iv-grid"),
  report: $("#report"),
  reportBody: $("#report-body"),
  qa: $("#qa"),
  estimates: $("#estimates"),
  notes: $("#notes"),
  curveballSection: $("#curveball-section"),
  curveballResult: $("#curveball-result"),
  verdict: $("#verdict"),
  problems: $("#problems"),
  code: $("#design-code"),
  clarifications: $("#clarifications"),
  hidden: $("#hidden-scenarios"),
  scores: $("#scores"),
  scoresState: $("#scores-state"),
  rubricHost: $("#rubric-host"),
  inotes: $("#interviewer-notes"),
  inotesState: $("#inotes-state"),
};

const clock = serverClock();
const announce = (text) => {
  els.clockStatus.textContent = text;
};
const clocks = clockView(
  {
    phaseLabel: $("#phase-clock-label"),
    phaseClock: $("#phase-clock"),
    phaseOf: $("#phase-clock-of"),
    clock: $("#clock"),
    clockOf: $("#clock-of"),
  },
  announce,
);
const phases = phaseList(els.phases);

let view = null;
const shown = {}; // part -> the JSON it was last drawn from

// Draw a part only when its data changed since it was last drawn.
function changed(part, data) {
  const k = JSON.stringify(data ?? null);
  if (shown[part] === k) return false;
  shown[part] = k;
  return true;
}

// ---- the candidate's side -----------------------------------------------------------------

function showEstimates(v) {
  if (!changed("estimates", [v.estimate_names, v.estimates])) return;
  const given = v.estimates || {};
  fill(
    els.estimates,
    table(
      [
        { label: "Estimate", cell: (e) => e.label },
        {
          label: "Theirs",
          num: true,
          cell: (e) =>
            typeof given[e.name] === "number"
              ? estimateText(given[e.name], e.unit)
              : h("span", { class: "muted" }, "not yet"),
        },
      ],
      v.estimate_names || [],
      { className: "data compact", id: "estimates-table" },
    ),
  );
}

function showNotes(v) {
  if (!changed("notes", v.notes)) return;
  if (v.notes && v.notes.trim()) els.notes.textContent = v.notes;
  else fill(els.notes, h("span", { class: "muted" }, "No notes yet."));
}

let inflight = null;
async function analyze(text) {
  inflight?.abort();
  const controller = new AbortController();
  inflight = controller;
  try {
    const r = await api.analyze(text, controller.signal);
    if (controller !== inflight) return;
    const problems = pick(r.data, "problems") || [];
    fill(
      els.problems,
      ...problems.map((p) =>
        h(
          "li",
          {
            class: `problem problem-${p.severity === "warning" ? "warning" : "error"}`,
            dataset: { line: p.line },
          },
          h(
            "span",
            { class: "problem-where" },
            h("span", { class: "severity" }, p.severity === "warning" ? "warning" : "error"),
            p.line ? `line ${p.line}` : "design",
          ),
          h(
            "div",
            { class: "problem-text" },
            p.path ? h("code", { class: "problem-path" }, p.path) : null,
            p.message,
          ),
        ),
      ),
    );
    const a = r.data && r.data.analysis;
    if (r.ok && a) {
      const goals = a.goals || [];
      const missed = goals.filter((g) => !g.met);
      if (a.meets_goals)
        setVerdict(
          els.verdict,
          "meets",
          "Checks",
          goals.length ? `meets its own goals at ${rate(a.peak_rps)}` : "no goals set yet",
        );
      else
        setVerdict(
          els.verdict,
          "misses",
          `Misses ${missed.length} of ${goals.length} of its goals`,
          missed.map((g) => `${g.name}: ${g.value_text} against ${g.target_text}`).join(" · "),
        );
    } else if (!r.ok) {
      const errors = problems.filter((p) => p.severity !== "warning").length || problems.length;
      setVerdict(
        els.verdict,
        "invalid",
        `Does not load: ${errors} problem${errors === 1 ? "" : "s"}`,
      );
    }
  } catch (err) {
    if (err.name !== "AbortError") setVerdict(els.verdict, "error", "Not checked", err.message);
  }
}
const analyzeSoon = debounce(analyze, 300);

function showDesign(v) {
  if (!changed("design", v.design_yaml)) return;
  const pre = els.code;
  const top = pre.scrollTop;
  if ((v.design_yaml || "").trim()) {
    renderCode(pre, v.design_yaml);
    pre.scrollTop = top;
    analyzeSoon(v.design_yaml);
  } else {
    fill(pre, h("span", { class: "muted" }, "Nothing written yet."));
    setVerdict(els.verdict, "pending", "No design yet");
  }
}

function showCurveball(v) {
  els.curveballSection.hidden = !v.curveball && v.current_phase !== "deep_dive";
  if (!changed("curveball", v.curveball)) return;
  if (v.curveball) renderCurveball(els.curveballResult, v.curveball);
  else
    fill(
      els.curveballResult,
      h("p", { class: "muted" }, "Not run yet: the candidate runs it in the deep dive."),
    );
}

// ---- the interviewer's side ---------------------------------------------------------------

function showClarifications(v) {
  const asked = new Set((v.questions || []).map((q) => q.answer));
  if (!changed("clarifications", [v.clarifications, [...asked]])) return;
  fill(
    els.clarifications,
    ...(v.clarifications || []).map((c) =>
      h(
        "li",
        { class: "clarification", dataset: { asked: asked.has(c.answer) ? "true" : "false" } },
        h(
          "div",
          { class: "clarification-ask" },
          asked.has(c.answer)
            ? h("span", { class: "tag tag-ok" }, "asked")
            : h("span", { class: "tag" }, "not asked"),
          h("span", { class: "muted small" }, "if asked about "),
          c.ask.map((w, i) => [
            i ? h("span", { class: "muted small" }, ", ") : null,
            h("span", { class: "kw" }, w),
          ]),
        ),
        h("p", { class: "clarification-answer" }, c.answer),
      ),
    ),
  );
}

function criteriaText(c) {
  const out = [];
  for (const [flow, limit] of Object.entries(c.p99 || {})) out.push(`${flow} p99 ≤ ${limit}`);
  if (c.error_rate !== null && c.error_rate !== undefined) out.push(`errors ≤ ${c.error_rate}`);
  if (c.availability !== null && c.availability !== undefined)
    out.push(`availability ≥ ${c.availability}`);
  if (c.cost !== null && c.cost !== undefined) out.push(`cost ≤ ${c.cost}`);
  return out;
}

function showScenarios(v) {
  if (!changed("scenarios", v.scenarios)) return;
  fill(
    els.hidden,
    table(
      [
        {
          label: "Scenario",
          nowrap: true,
          cell: (s) => [
            h("span", {}, s.name),
            h("div", {}, h("span", { class: `tag tag-kind tag-${s.kind}` }, s.kind)),
          ],
        },
        {
          label: "What happens",
          cell: (s) => [
            h("div", {}, s.description),
            s.rates
              ? h(
                  "div",
                  { class: "muted small" },
                  Object.entries(s.rates)
                    .map(([f, r]) => `${f} ${r}`)
                    .join(" · "),
                )
              : null,
          ],
        },
        {
          label: "Passes if",
          cell: (s) =>
            h(
              "ul",
              { class: "reasons" },
              criteriaText(s.criteria || {}).map((t) => h("li", {}, t)),
            ),
        },
      ],
      v.scenarios || [],
      { className: "data hidden-scenarios" },
    ),
  );
}

const SCORE_WORDS = { 1: "below mid", 2: "mid", 3: "senior", 4: "staff" };
const LEVELS = [
  ["mid", "Mid"],
  ["senior", "Senior"],
  ["staff", "Staff"],
];
let scoresBuilt = false;

// The rubric as one block a phase (what a mid, senior and staff answer does) with the
// phase's score: select[name=phase] inside form#scores.
function showRubric(v) {
  const current = v.current_phase;
  if (!scoresBuilt && v.rubric) {
    scoresBuilt = true;
    const names = [
      ...v.phases.map((p) => p.name).filter((n) => v.rubric[n]),
      ...Object.keys(v.rubric).filter((n) => !v.phases.some((p) => p.name === n)),
    ];
    const title = (n) => (v.phases.find((p) => p.name === n) || {}).title || n;
    fill(
      els.rubricHost,
      h(
        "ol",
        { id: "rubric", class: "rubric-list" },
        names.map((n) =>
          h(
            "li",
            { class: "rubric-phase", dataset: { phase: n } },
            h(
              "div",
              { class: "rubric-head" },
              h("h4", { id: `rubric-${n}` }, title(n)),
              h("label", { class: "sr-only", for: `score-${n}` }, `Score for ${title(n)}`),
              h(
                "select",
                { name: n, id: `score-${n}`, dataset: { phase: n } },
                h("option", { value: "", disabled: true }, "Score…"),
                [1, 2, 3, 4].map((s) => h("option", { value: s }, `${s} · ${SCORE_WORDS[s]}`)),
              ),
            ),
            h(
              "dl",
              { class: "rubric-levels" },
              LEVELS.map(([k, label]) => [h("dt", {}, label), h("dd", {}, v.rubric[n][k])]),
            ),
          ),
        ),
      ),
    );
  }
  for (const item of els.rubricHost.querySelectorAll("li[data-phase]")) {
    const select = item.querySelector("select");
    item.dataset.current = item.dataset.phase === current ? "true" : "false";
    const score = (v.scores || {})[select.name];
    item.dataset.scored = score ? "true" : "false";
    if (document.activeElement !== select && !savingScores.has(select.name))
      select.value = score ? String(score) : "";
  }
}

const savingScores = new Set();

async function saveScore(event) {
  const select = event.target;
  if (!select.name || !select.value) return;
  savingScores.add(select.name);
  els.scoresState.textContent = "Saving…";
  els.scoresState.dataset.state = "saving";
  try {
    const next = await api.saveInterviewer(interviewId, key, {
      scores: { [select.name]: Number(select.value) },
    });
    savingScores.delete(select.name);
    els.scoresState.textContent = "Saved";
    els.scoresState.dataset.state = "clean";
    show(next);
  } catch (err) {
    savingScores.delete(select.name);
    els.scoresState.textContent = `Not saved: ${err.message}`;
    els.scoresState.dataset.state = "failed";
  }
}

const notesSaver = autosaver({
  stateEl: els.inotesState,
  delay: SAVE_DELAY_MS,
  save: async () => {
    const next = await api.saveInterviewer(interviewId, key, {
      interviewer_notes: els.inotes.value,
    });
    show(next);
    return true;
  },
});

function showInterviewerNotes(v) {
  if (els.inotes.disabled) {
    els.inotes.value = v.interviewer_notes || "";
    els.inotes.disabled = false;
    return;
  }
  // Another window may have written them; never while this one is typing.
  if (document.activeElement !== els.inotes && !notesSaver.pending)
    if (els.inotes.value !== (v.interviewer_notes || ""))
      els.inotes.value = v.interviewer_notes || "";
}

// ---- the whole view ------------------------------------------------------------------------

function show(v) {
  const before = view;
  view = v;
  clock.sync(v);
  if (before && before.current_phase !== v.current_phase && v.current_phase) {
    const p = v.phases.find((x) => x.name === v.current_phase);
    if (p) announce(`The candidate moved on to ${p.title}, ${minutesText(p.minutes)}.`);
  }
  if (!before) {
    els.title.textContent = v.problem.title;
    document.title = `${v.problem.title} · interviewer · staffpath studio`;
    const whose = asPeer ? "Interviewer's view (as a peer)" : "Interviewer's view";
    els.meta.textContent = `${whose} · ${minutesText(v.minutes)} mock interview`;
    renderProblem(els.problem, v.problem);
  }
  phases.build(v, clock.now());
  clocks.update(v, clock.now());
  renderQuestions(els.qa, v.questions || [], v.started_at, { asker: "Candidate" });
  if (!before) els.qa.setAttribute("aria-live", "polite"); // from now on, new questions are read out
  showEstimates(v);
  showNotes(v);
  showCurveball(v);
  showDesign(v);
  showClarifications(v);
  showScenarios(v);
  showRubric(v);
  showInterviewerNotes(v);
  if (v.finished && !els.report.dataset.shown) {
    els.report.dataset.shown = "1";
    document.body.classList.remove("fill");
    els.grid.dataset.finished = "true";
    renderReport(els.reportBody, v.report, v);
    els.report.hidden = false;
    if (before) announce("The candidate finished: the report is ready.");
  }
}

function setLive(state, text) {
  els.live.dataset.state = state;
  els.live.textContent = text;
}

let timer = null;
let polling = null;

async function poll() {
  clearTimeout(timer);
  if (document.hidden) return; // resumes on visibilitychange
  polling?.abort();
  const controller = new AbortController();
  polling = controller;
  try {
    const v = await api.getInterview(interviewId, key, controller.signal);
    show(v);
    if (v.finished) {
      setLive("done", "Finished");
      return; // nothing changes any more
    }
    setLive("live", "Live");
  } catch (err) {
    if (err.name === "AbortError") return;
    if (err.status === 403 || err.status === 404) {
      setLive("failed", err.status === 403 ? "Wrong key" : "Not found");
      els.meta.textContent = err.message;
      return;
    }
    setLive("failed", "Reconnecting…");
  }
  timer = setTimeout(poll, POLL_MS);
}

function tick() {
  if (!view) return;
  const now = clock.now();
  phases.tick(view, now);
  clocks.update(view, now);
}

function start() {
  if (!key && !asPeer) {
    setLive("failed", "No key");
    els.meta.textContent =
      "This link has no key: open the interviewer link given when the interview started.";
    return;
  }
  if (key) rememberKey(interviewId, key);
  els.scores.addEventListener("change", saveScore);
  els.scores.addEventListener("submit", (e) => e.preventDefault());
  els.inotes.addEventListener("input", () => notesSaver.schedule());
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden && !(view && view.finished)) poll();
  });
  window.addEventListener("beforeunload", (event) => {
    if (notesSaver.pending) {
      notesSaver.flush();
      event.preventDefault();
    }
  });
  window.studio = { view: () => view, poll }; // for browser tests and the console
  poll();
  setInterval(tick, 1000);
}

start();
