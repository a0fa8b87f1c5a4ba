// The candidate's page of a mock interview: the problem, the clock and the phases, clarifying
// questions, estimates, notes and the design (checked as it is typed, like the editor page),
// everything saved as it changes; the curveball in the deep dive; the report at the end.

import { api, messageOf } from "./api.js";
import {
  autosaver,
  clockView,
  entryText,
  estimateText,
  phaseList,
  renderCode,
  renderCurveball,
  renderProblem,
  renderQuestions,
  renderReport,
  serverClock,
  unitExample,
  unitWords,
  minutesText,
} from "./interview-parts.js";
import { interviewerKey, interviewerUrl } from "./interview-keys.js";
import { renderProblems, setVerdict } from "./results.js";
import { $, h, fill, pick, rate, reportError, debounce, toast } from "./ui.js";

const ANALYZE_DELAY_MS = 150;
const SAVE_DELAY_MS = 800;

const interviewId = document.querySelector("[data-interview-id]").dataset.interviewId;
const els = {
  title: $("#problem-title"),
  meta: $("#problem-meta"),
  problem: $("#problem"),
  phases: $("#phases"),
  clockStatus: $("#clock-status"),
  next: $("#next-phase"),
  curveball: $("#curveball"),
  finish: $("#finish"),
  grid: $("#iv-grid"),
  report: $("#report"),
  reportBody: $("#report-body"),
  askForm: $("#ask-form"),
  question: $("#question"),
  ask: $("#ask"),
  qa: $("#qa"),
  estimatesForm: $("#estimates-form"),
  estimatesState: $("#estimates-state"),
  estimatesError: $("#estimates-error"),
  notes: $("#notes"),
  notesState: $("#notes-state"),
  editor: $("#editor"),
  code: $("#design-code"),
  saveState: $("#save-state"),
  flowNames: $("#flow-names"),
  verdict: $("#verdict"),
  problemsSection: $("#problems-section"),
  problems: $("#problems"),
  curveballSection: $("#curveball-section"),
  curveballResult: $("#curveball-result"),
  peer: $("#peer"),
  peerLink: $("#peer-link"),
  peerCopy: $("#peer-copy"),
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
let editor = null;
let busy = false; // a phase change, curveball or finish in flight

// ---- the view -----------------------------------------------------------------------------

// Take a fresh view from the server: the clock, the phases, the buttons. Inputs the candidate
// types into are never overwritten here (their own saves keep them in step).
// How far an interview has gone: phases started and ended, and whether it is over.
const progress = (v) =>
  v.phases.filter((p) => p.started_at).length +
  v.phases.filter((p) => p.ended_at).length +
  (v.finished ? 100 : 0);

function take(next) {
  const before = view;
  if (before && progress(next) < progress(before)) {
    // a reply that left before a later phase change (an autosave, say) must not move the
    // interview back: keep the newer phases, take the rest
    next = {
      ...next,
      phases: before.phases,
      current_phase: before.current_phase,
      finished: before.finished,
      report: before.report,
    };
  }
  view = next;
  clock.sync(next);
  if (before && before.current_phase !== next.current_phase && next.current_phase) {
    const p = next.phases.find((x) => x.name === next.current_phase);
    if (p) announce(`Now: ${p.title}, ${minutesText(p.minutes)}.`);
  }
  phases.build(next, clock.now());
  clocks.update(next, clock.now());
  const i = next.phases.findIndex((p) => p.name === next.current_phase);
  const following = i >= 0 ? next.phases[i + 1] : null;
  els.next.disabled = busy || next.finished || i < 0 || !following;
  els.next.textContent = following ? `Next phase: ${following.title}` : "Next phase";
  els.next.title = following ? "" : "This is the last phase: finish for the report.";
  const deepDive = next.current_phase === "deep_dive" && !next.finished;
  els.curveball.hidden = !deepDive;
  els.curveball.disabled = busy;
  els.curveballSection.hidden = !deepDive && !next.curveball;
  if (next.curveball && !els.curveballResult.dataset.shown) {
    renderCurveball(els.curveballResult, next.curveball);
    els.curveballResult.dataset.shown = "1";
  }
  els.finish.disabled = busy || next.finished;
  els.finish.classList.toggle("button-primary", !following && !next.finished);
  els.next.classList.toggle("button-primary", Boolean(following));
  renderQuestions(els.qa, next.questions || [], next.started_at);
  showEstimates(next);
  if (next.finished) showFinished(next);
}

function tick() {
  if (!view) return;
  const now = clock.now();
  phases.tick(view, now);
  clocks.update(view, now);
}

// ---- questions ----------------------------------------------------------------------------

// The box clears at once, so the next question can be typed while this one is answered;
// questions go to the server one after another, in the order asked.
let asking = Promise.resolve();

function ask(event) {
  event.preventDefault();
  const question = els.question.value.trim();
  if (!question || !view) return;
  els.question.value = "";
  asking = asking.then(async () => {
    try {
      const qa = await api.askQuestion(interviewId, question);
      // A save's answer may have brought it already.
      if (!view.questions.some((q) => q.at === qa.at && q.question === qa.question))
        view.questions = [...view.questions, qa];
      renderQuestions(els.qa, view.questions, view.started_at);
    } catch (err) {
      if (!els.question.value) els.question.value = question;
      reportError(err, "Not asked: ");
    }
  });
}

// ---- estimates ----------------------------------------------------------------------------

function buildEstimates(v) {
  fill(
    els.estimatesForm,
    ...v.estimate_names.map((e) => {
      const id = `est-${e.name}`;
      return h(
        "div",
        { class: "iv-estimate", dataset: { name: e.name } },
        h("label", { for: id }, e.label),
        h(
          "div",
          { class: "iv-estimate-entry" },
          h("input", {
            type: "text",
            id,
            name: e.name,
            value: entryText(v.estimates[e.name], e.unit),
            placeholder: unitExample(e.unit),
            autocomplete: "off",
            spellcheck: "false",
            inputmode: "text",
            "aria-describedby": `${id}-unit ${id}-read`,
          }),
          h("span", { class: "iv-unit", id: `${id}-unit` }, unitWords(e.unit)),
        ),
        h("span", { class: "iv-read muted small", id: `${id}-read` }),
      );
    }),
  );
  showEstimates(v);
}

// What the server read each estimate as, beside its input; or why it could not.
let estimateErrors = {};

function showEstimates(v) {
  for (const e of v.estimate_names || []) {
    const input = els.estimatesForm.elements.namedItem(e.name);
    const read = els.estimatesForm.querySelector(`#${CSS.escape(`est-${e.name}-read`)}`);
    if (!input || !read) continue;
    const error = estimateErrors[e.name];
    const value = v.estimates ? v.estimates[e.name] : undefined;
    if (error) {
      input.setAttribute("aria-invalid", "true");
      read.dataset.state = "failed";
      read.textContent = error;
    } else {
      input.removeAttribute("aria-invalid");
      delete read.dataset.state;
      read.textContent = typeof value === "number" ? `read as ${estimateText(value, e.unit)}` : "";
    }
  }
}

const changedEstimates = new Set();

// "1157" -> 1157 (in the estimate's unit); anything else goes to the server as text.
function estimateValue(text) {
  const t = text.trim().replace(/,/g, "");
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) ? Number(t) : text.trim();
}

// The server takes a batch whole or not at all: a value it cannot read is set aside (and
// shown at its input) and the rest saved.
async function saveEstimates() {
  const estimates = {};
  for (const name of [...changedEstimates]) {
    const input = els.estimatesForm.elements.namedItem(name);
    if (input && input.value.trim()) estimates[name] = estimateValue(input.value);
    else changedEstimates.delete(name); // a cleared box keeps the saved value
  }
  const errors = {};
  let general = "";
  let saved = null;
  while (Object.keys(estimates).length) {
    const r = await api.updateInterview(interviewId, { estimates });
    if (r.ok) {
      saved = r.data;
      for (const name of Object.keys(estimates)) changedEstimates.delete(name);
      break;
    }
    const message = messageOf(r.data, r.status);
    const bad =
      Object.keys(estimates).find((n) => message.includes(`estimates.${n}:`)) ||
      Object.keys(estimates).find((n) => message.includes(n));
    if (!bad) {
      general = message;
      break;
    }
    errors[bad] = message.replace(`estimates.${bad}: `, "");
    delete estimates[bad];
  }
  estimateErrors = errors;
  const labels = Object.fromEntries((view.estimate_names || []).map((e) => [e.name, e.label]));
  const problems = Object.entries(errors).map(([n, m]) => `${labels[n] || n}: ${m}`);
  els.estimatesError.textContent = [general, ...problems].filter(Boolean).join(" · ");
  els.estimatesError.classList.toggle("sr-only", !general);
  if (saved) take(saved);
  else showEstimates(view);
  if (general || problems.length) {
    estimatesSaver.show(
      problems.length > 1 ? `${problems.length} not saved` : "Not saved",
      "failed",
    );
    return false;
  }
  return true;
}

const estimatesSaver = autosaver({
  stateEl: els.estimatesState,
  delay: SAVE_DELAY_MS,
  save: saveEstimates,
});

function onEstimateInput(event) {
  if (!event.target.name) return;
  changedEstimates.add(event.target.name);
  estimatesSaver.schedule();
}

// ---- notes and the design -----------------------------------------------------------------

async function put(body, stateEl) {
  const r = await api.updateInterview(interviewId, body);
  if (!r.ok) {
    const message = messageOf(r.data, r.status);
    stateEl.textContent = `Not saved: ${message}`;
    stateEl.dataset.state = "failed";
    if (r.status === 409) {
      // Finished elsewhere (another window, the command line): show the report.
      toast(message, { kind: "error" });
      api.getInterview(interviewId).then(take, () => {});
    }
    return false;
  }
  take(r.data);
  return true;
}

const notesSaver = autosaver({
  stateEl: els.notesState,
  delay: SAVE_DELAY_MS,
  save: () => put({ notes: els.notes.value }, els.notesState),
});

const designSaver = autosaver({
  stateEl: els.saveState,
  delay: SAVE_DELAY_MS,
  save: () => put({ design_yaml: editor.getText() }, els.saveState),
});

const savers = [estimatesSaver, notesSaver, designSaver];
const flushAll = async () => (await Promise.all(savers.map((s) => s.flush()))).every(Boolean);

// ---- live problems, as the editor page finds them -----------------------------------------

let inflight = null;
let generation = 0;

async function analyze(text) {
  inflight?.abort();
  if (!text.trim()) {
    // A blank page is where every interview starts: a hint, not an error.
    generation++;
    showProblems([]);
    setVerdict(
      els.verdict,
      "pending",
      "No design yet",
      "start with name:, workload: (with the flows above) and components:",
    );
    return;
  }
  const controller = new AbortController();
  inflight = controller;
  const mine = ++generation;
  try {
    const r = await api.analyze(text, controller.signal);
    if (mine !== generation) return;
    const problems = pick(r.data, "problems") || [];
    showProblems(problems);
    const a = r.data && r.data.analysis;
    if (r.ok && a) {
      const goals = a.goals || [];
      const missed = goals.filter((g) => !g.met);
      if (a.meets_goals)
        setVerdict(
          els.verdict,
          "meets",
          "Checks",
          goals.length
            ? `meets its ${goals.length === 1 ? "goal" : `${goals.length} goals`} at ${rate(a.peak_rps)}`
            : "no goals set yet",
        );
      else
        setVerdict(
          els.verdict,
          "misses",
          `Misses ${missed.length} of ${goals.length} goal${goals.length === 1 ? "" : "s"}`,
          missed.map((g) => `${g.name}: ${g.value_text} against ${g.target_text}`).join(" · "),
        );
    } else if (r.status === 422 || (r.data && r.data.ok === false)) {
      const errors = problems.filter((p) => p.severity !== "warning").length || problems.length;
      setVerdict(
        els.verdict,
        "invalid",
        `${errors} problem${errors === 1 ? "" : "s"} to fix`,
        "the design does not load yet",
      );
    } else {
      setVerdict(els.verdict, "error", "Not checked", `the server answered ${r.status}`);
    }
  } catch (err) {
    if (err.name === "AbortError") return;
    if (mine === generation) setVerdict(els.verdict, "error", "Not checked", err.message);
  }
}

const analyzeSoon = debounce((text) => analyze(text), ANALYZE_DELAY_MS);

function showProblems(problems) {
  editor?.setDiagnostics(problems);
  renderProblems(els.problemsSection, els.problems, problems, (line, column) =>
    editor?.goTo(line, column),
  );
}

// ---- phases, the curveball, finishing -----------------------------------------------------

function setBusy(on) {
  busy = on;
  if (view) take(view);
}

async function nextPhase() {
  if (busy || !view) return;
  setBusy(true);
  let next = null;
  try {
    next = await api.nextPhase(interviewId);
  } catch (err) {
    reportError(err, "The phase did not change: ");
  }
  busy = false;
  take(next || view);
}

async function runCurveball() {
  if (busy || !editor) return;
  setBusy(true);
  els.curveballSection.hidden = false;
  delete els.curveballResult.dataset.shown;
  fill(els.curveballResult, h("p", { class: "muted" }, "Running the curveball on your design…"));
  els.curveballResult.setAttribute("aria-busy", "true");
  try {
    if (!(await designSaver.flush())) throw new Error("your design could not be saved first");
    const r = await api.curveball(interviewId);
    if (r.ok) {
      renderCurveball(els.curveballResult, r.data);
      els.curveballResult.dataset.shown = "1";
      els.curveballResult.scrollIntoView({ block: "nearest" });
      if (view) view.curveball = r.data;
    } else {
      const problems = pick(r.data, "problems");
      if (Array.isArray(problems) && problems.length) showProblems(problems);
      fill(
        els.curveballResult,
        h(
          "p",
          { class: "status-line", dataset: { state: "failed" } },
          Array.isArray(problems)
            ? `Your design does not load, so the curveball cannot run: ${messageOf(r.data, r.status)}`
            : messageOf(r.data, r.status),
        ),
      );
    }
  } catch (err) {
    fill(
      els.curveballResult,
      h(
        "p",
        { class: "status-line", dataset: { state: "failed" } },
        `The curveball did not run: ${err.message}`,
      ),
    );
  } finally {
    els.curveballResult.removeAttribute("aria-busy");
    setBusy(false);
  }
}

async function finish() {
  if (busy || !view) return;
  if (
    !confirm(
      "Finish the interview? The hidden scenarios run on your design as it is now, and the session closes.",
    )
  )
    return;
  setBusy(true);
  els.finish.textContent = "Grading…";
  announce("Grading: the hidden scenarios are running.");
  try {
    if (
      !(await flushAll()) &&
      !confirm("Some of your work is not saved (see the marks on the page). Finish anyway?")
    )
      return;
    await api.finishInterview(interviewId);
    take(await api.getInterview(interviewId));
    els.report.focus();
  } catch (err) {
    reportError(err, "Not finished: ");
  } finally {
    els.finish.textContent = "Finish";
    setBusy(false);
  }
}

// Finished: the report on top, the work below it read only, the page scrolling as one.
function showFinished(v) {
  if (els.report.dataset.shown) return;
  els.report.dataset.shown = "1";
  document.body.classList.remove("fill");
  els.grid.dataset.finished = "true";
  renderReport(els.reportBody, v.report, v);
  els.report.hidden = false;
  els.askForm.hidden = true;
  els.notes.readOnly = true;
  for (const input of els.estimatesForm.querySelectorAll("input")) input.readOnly = true;
  $("#estimates-help").hidden = true;
  els.next.hidden = true;
  els.finish.hidden = true;
  els.curveball.hidden = true;
  if (editor) {
    editor.destroy();
    editor = null;
  }
  els.editor.hidden = true;
  els.code.hidden = false;
  renderCode(els.code, v.design_yaml);
  els.saveState.textContent = "";
  announce("The interview is over: the report is ready.");
}

// ---- start --------------------------------------------------------------------------------

async function start() {
  let first;
  let schema = null;
  try {
    [first, schema] = await Promise.all([
      api.getInterview(interviewId),
      api.schema().catch(() => null),
    ]);
  } catch (err) {
    els.meta.textContent = `This interview could not be loaded: ${err.message}`;
    els.editor.dataset.state = "error";
    fill(els.editor, h("p", { class: "pane-error" }, err.message));
    return;
  }
  const p = first.problem;
  els.title.textContent = p.title;
  document.title = `${p.title} · interview · staffpath studio`;
  els.meta.textContent = `Mock interview · ${minutesText(first.minutes)}`;
  renderProblem(els.problem, p);
  els.flowNames.replaceChildren(
    ...Object.keys(p.requirements.flows || {}).flatMap((f, i) => [i ? ", " : "", h("code", {}, f)]),
  );
  renderQuestions(els.qa, first.questions, first.started_at);
  els.qa.setAttribute("aria-live", "polite"); // from now on, new answers are read out
  buildEstimates(first);
  els.notes.value = first.notes || "";
  els.notes.disabled = false;

  const key = interviewerKey(interviewId);
  if (key) {
    els.peer.hidden = false;
    els.peerLink.value = `${location.origin}${interviewerUrl(interviewId, key)}`;
    els.peerCopy.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(els.peerLink.value);
        toast("Interviewer link copied.");
      } catch {
        els.peerLink.select();
      }
    });
  }

  if (!first.finished) {
    if (!window.staffpathEditor) {
      fill(
        els.editor,
        h(
          "p",
          { class: "pane-error" },
          "The editor bundle (static/vendor/editor.js) did not load.",
        ),
      );
    } else {
      fill(els.editor);
      editor = window.staffpathEditor.create(els.editor, first.design_yaml || "", {
        schema,
        label: "Your design (YAML)",
        onSave: () => flushAll(),
        onChange: (text) => {
          designSaver.schedule();
          analyzeSoon(text);
        },
      });
      els.editor.dataset.state = "ready";
      analyze(editor.getText());
    }
    designSaver.show("Saved", "clean");
  }
  take(first);
  window.studio = { editor, view: () => view, flush: flushAll }; // for browser tests and the console

  els.askForm.addEventListener("submit", ask);
  els.estimatesForm.addEventListener("input", onEstimateInput);
  els.estimatesForm.addEventListener("submit", (e) => {
    e.preventDefault();
    estimatesSaver.flush();
  });
  els.estimatesForm.addEventListener("focusout", () => {
    if (changedEstimates.size) estimatesSaver.flush();
  });
  els.notes.addEventListener("input", () => notesSaver.schedule());
  els.next.addEventListener("click", nextPhase);
  els.curveball.addEventListener("click", runCurveball);
  els.finish.addEventListener("click", finish);
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented) return;
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "s") {
      event.preventDefault();
      flushAll();
    }
  });
  window.addEventListener("beforeunload", (event) => {
    if (savers.some((s) => s.pending)) {
      savers.forEach((s) => s.flush());
      event.preventDefault();
    }
  });
  setInterval(tick, 1000);
}

start();
