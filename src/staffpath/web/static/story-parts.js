// The story bank's pieces: a story's check (findings with reason and suggestion), its
// strength badge, the coverage matrix and question list, and the rehearsal clock.

import { api } from "./api.js";
import { $, h, fill, mark, reportError } from "./ui.js";

export const BAND = { low: 90, high: 180, end: 240 }; // seconds: 1:30 to 3:00, on a 4:00 scale

export function clockText(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

export function strengthTag(strength) {
  if (!strength) return h("span", { class: "tag" }, "—");
  return h(
    "span",
    {
      class: `tag strength ${strength === "strong" ? "tag-ok" : "tag-warn"}`,
      dataset: { strength },
    },
    strength,
  );
}

export function statusTag(status) {
  const cls = status === "strong" ? "tag-ok" : status === "weak" ? "tag-warn" : "tag-bad";
  return h("span", { class: `tag status-tag ${cls}`, dataset: { status } }, status);
}

const RULES = {
  parts: "Every part",
  measurable: "Measured result",
  "first-person": "First person",
  length: "Spoken length",
  "follow-ups": "Follow-ups",
  competencies: "Competencies",
  questions: "Questions",
};

export const ruleName = (rule) => RULES[rule] || rule.replace(/-/g, " ");

// A check as a summary line (strength, score, spoken time) and one row per finding.
export function renderCheck(host, check) {
  const seconds = check.seconds;
  const inBand = seconds >= BAND.low && seconds <= BAND.high;
  fill(
    host,
    h(
      "div",
      { class: "check-summary", dataset: { strength: check.strength } },
      strengthTag(check.strength),
      h("span", { class: "check-score" }, h("strong", {}, String(check.score)), " / 100"),
      h(
        "span",
        { class: `check-time ${inBand ? "" : "check-time-out"}`.trim(), id: "check-seconds" },
        `${clockText(seconds)} spoken`,
        h("span", { class: "muted" }, ` (${seconds} s, ${check.words?.total ?? "?"} words)`),
      ),
    ),
    h(
      "ul",
      { class: "findings" },
      ...check.findings.map((f) =>
        h(
          "li",
          {
            class: `finding ${f.passed ? "finding-pass" : "finding-fail"}`,
            dataset: { rule: f.rule, passed: String(f.passed) },
          },
          mark(f.passed, { yes: "passes", no: "fails" }),
          h(
            "div",
            { class: "finding-text" },
            h("strong", {}, ruleName(f.rule)),
            h("span", {}, `: ${f.reason}`),
            f.suggestion ? h("div", { class: "finding-hint" }, f.suggestion) : null,
          ),
        ),
      ),
    ),
  );
}

export function renderCheckError(host, message) {
  fill(
    host,
    h(
      "div",
      { class: "check-summary check-invalid", dataset: { strength: "invalid" } },
      h("span", { class: "tag tag-bad" }, "does not read"),
    ),
    h("p", { class: "check-problem" }, message),
    h("p", { class: "help" }, "The check comes back once the text reads as a story."),
  );
}

// ---- coverage -------------------------------------------------------------------------

const storyRowId = (id) => (id && id.startsWith("story-") ? Number(id.slice(6)) : null);

export function renderCoverage(cov, stories, { matrix, body, count, gapsOnly, onOpen }) {
  const titles = new Map(stories.map((s) => [s.id, s.title]));
  const name = (id) => titles.get(storyRowId(id)) || id;
  const storyLinks = (ids) =>
    ids.map((id) =>
      h(
        "button",
        { type: "button", class: "link-button", onclick: () => onOpen(storyRowId(id)) },
        name(id),
      ),
    );
  fill(
    matrix,
    ...Object.entries(cov.competencies).map(([comp, c]) =>
      h(
        "div",
        { class: `cell cell-${c.status}`, role: "listitem", dataset: { competency: comp } },
        h(
          "div",
          { class: "cell-head" },
          h("span", { class: "cell-name" }, comp),
          statusTag(c.status),
        ),
        c.strong.length || c.weak.length
          ? h(
              "div",
              { class: "cell-stories small" },
              ...storyLinks(c.strong),
              ...storyLinks(c.weak).map((b) => {
                b.classList.add("weak");
                b.title = "weak: its check has something to fix";
                return b;
              }),
            )
          : h("div", { class: "cell-stories small muted" }, "no story yet"),
      ),
    ),
  );
  const rows = cov.questions.filter((q) => !gapsOnly || q.status !== "strong");
  const gaps = cov.questions.filter((q) => q.status === "gap").length;
  const strong = cov.questions.filter((q) => q.status === "strong").length;
  const all = cov.questions.length;
  count.textContent = `${strong} strong, ${all - strong - gaps} weak, ${gaps} gaps of ${all}`;
  if (!rows.length) {
    const cell = h("td", { colspan: 5 }, "Every question has a strong story.");
    fill(body, h("tr", { class: "placeholder" }, cell));
    return;
  }
  fill(
    body,
    ...rows.map((q) =>
      h(
        "tr",
        { class: `q-${q.status}`, dataset: { question: q.id, status: q.status } },
        h("th", { scope: "row", class: "q-text" }, q.text),
        h("td", { class: "tags" }, ...q.competencies.map((c) => h("span", { class: "tag" }, c))),
        h("td", {}, statusTag(q.status)),
        h(
          "td",
          {},
          q.story
            ? h(
                "button",
                {
                  type: "button",
                  class: "link-button",
                  onclick: () => onOpen(storyRowId(q.story)),
                },
                q.title || name(q.story),
              )
            : h("span", { class: "muted" }, "—"),
          q.match === "competency"
            ? h(
                "span",
                { class: "muted small", title: "matched on a shared competency" },
                " (by competency)",
              )
            : null,
        ),
        h("td", { class: "num" }, q.score === null ? "—" : String(q.score)),
      ),
    ),
  );
}

// ---- rehearsal ------------------------------------------------------------------------

export function rehearsal({ stories }) {
  const els = {
    form: $("#rehearse-form"),
    competency: $("#rehearse-competency"),
    box: $("#rehearsal"),
    question: $("#question"),
    meta: $("#question-meta"),
    clock: $("#rehearse-clock"),
    needle: $("#band-needle"),
    story: $("#rehearse-story"),
    stop: $("#stop"),
    result: $("#rehearse-result"),
    draw: $("#draw"),
  };
  let started = 0;
  let timer = null;
  let question = null;

  const elapsed = () => (performance.now() - started) / 1000;
  const stateOf = (s) => (s < BAND.low ? "short" : s <= BAND.high ? "ok" : "over");

  function tick() {
    const s = elapsed();
    els.clock.textContent = clockText(s);
    els.clock.dataset.state = stateOf(s);
    els.needle.style.left = `${Math.min(100, (100 * s) / BAND.end)}%`;
  }

  function storyOptions(preferred) {
    const list = stories();
    const pick = preferred ?? els.story.value;
    fill(
      els.story,
      list.length
        ? null
        : h("option", { value: "" }, "No stories yet: write one above"),
      ...list
        .filter((s) => !s.broken)
        .map((s) =>
          h("option", { value: s.id, selected: String(s.id) === String(pick) }, s.title),
        ),
    );
  }

  // The stored story that fits the question best: one naming it, else the most shared
  // competencies, strongest first.
  function bestFor(q) {
    const list = stories().filter((s) => !s.broken);
    let best = null;
    let bestScore = -1;
    for (const s of list) {
      const shared = s.competencies.filter((c) => q.competencies.includes(c)).length;
      const score = shared * 1000 + (s.check?.score ?? 0);
      if (shared && score > bestScore) {
        best = s;
        bestScore = score;
      }
    }
    return best;
  }

  async function draw(event) {
    event.preventDefault();
    els.draw.disabled = true;
    try {
      question = await api.storyQuestion(els.competency.value);
    } catch (err) {
      reportError(err, "No question: ");
      return;
    } finally {
      els.draw.disabled = false;
    }
    els.box.hidden = false;
    els.result.hidden = true;
    els.question.textContent = question.text;
    els.meta.textContent = `Competencies: ${question.competencies.join(", ")}`;
    storyOptions(bestFor(question)?.id);
    els.stop.disabled = false;
    els.stop.textContent = "Stop";
    started = performance.now();
    clearInterval(timer);
    tick();
    timer = setInterval(tick, 250);
    els.draw.textContent = "Draw another";
    els.question.focus();
  }

  function stop() {
    if (!timer) return;
    clearInterval(timer);
    timer = null;
    tick();
    const s = elapsed();
    els.stop.disabled = true;
    const story = stories().find((x) => String(x.id) === els.story.value);
    const state = stateOf(s);
    const verdict =
      state === "ok"
        ? `${clockText(s)}: inside the 1:30–3:00 band.`
        : state === "short"
          ? `${clockText(s)}: short of 1:30; add the stakes, your reasoning or the numbers.`
          : `${clockText(s)}: over 3:00; cut the situation and keep the action and result.`;
    const host = h("div", { class: "check-host" });
    fill(
      els.result,
      h(
        "p",
        { class: `rehearse-verdict rehearse-${state}`, dataset: { state } },
        mark(state === "ok", { yes: "inside the band", no: "outside the band" }),
        " ",
        verdict,
      ),
      story
        ? h("h4", {}, "The check of “", story.title, "”")
        : h("p", { class: "muted" }, "No story picked: write one to see its check here."),
      story ? host : null,
    );
    if (story?.check) renderCheck(host, story.check);
    els.result.hidden = false;
  }

  els.form.addEventListener("submit", draw);
  els.stop.addEventListener("click", stop);
  return {
    setCompetencies(list) {
      fill(
        els.competency,
        h("option", { value: "" }, "Any"),
        ...list.map((c) => h("option", { value: c }, c)),
      );
    },
    refresh: () => storyOptions(),
  };
}
