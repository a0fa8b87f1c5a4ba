// The review coach page: lint pasted review comments (score and findings per comment), and
// katas: a numbered diff to review, then which seeded problems the review found, its form,
// and the rubric.

import { api, messageOf } from "./api.js";
import { $, h, fill, mark, reportError, latestOnly } from "./ui.js";

const els = {
  lintForm: $("#lint-form"),
  lintText: $("#lint-text"),
  lint: $("#lint"),
  lintResult: $("#lint-result"),
  select: $("#kata-select"),
  kata: $("#kata"),
  meta: $("#kata-meta"),
  diff: $("#diff"),
  form: $("#kata-form"),
  text: $("#kata-text"),
  check: $("#check-kata"),
  error: $("#kata-error"),
  result: $("#kata-result"),
};

const scoreClass = (x) => (x >= 75 ? "score-good" : x >= 50 ? "score-mid" : "score-low");

// ---- comments -------------------------------------------------------------------------

function commentHead(c) {
  const label = c.label
    ? `${c.label}${c.decorations.length ? ` (${c.decorations.join(", ")})` : ""}:`
    : "no label:";
  return h(
    "div",
    { class: "comment-head" },
    h("span", { class: "muted small comment-line" }, `line ${c.line}`),
    h("code", { class: c.label ? "comment-label" : "comment-label comment-label-missing" }, label),
    h("span", { class: "comment-subject" }, c.subject),
    h("span", { class: `comment-score ${scoreClass(c.score)}` }, `${c.score}/100`),
  );
}

function findingItem(f) {
  return h(
    "li",
    {
      class: `problem problem-${f.severity === "error" ? "error" : "warning"}`,
      dataset: { rule: f.rule, severity: f.severity },
    },
    h(
      "div",
      { class: "finding-where" },
      h("span", { class: "severity" }, f.severity),
      h("code", { class: "small" }, f.rule),
    ),
    h(
      "div",
      { class: "problem-text" },
      h("span", {}, f.message),
      f.hint ? h("div", { class: "problem-hint" }, f.hint) : null,
    ),
  );
}

// A lint report: the overall score, then each comment with its score and findings.
export function renderLint(host, report) {
  const n = report.comments.length;
  fill(
    host,
    h(
      "p",
      { class: "lint-summary" },
      h("strong", { class: scoreClass(report.score) }, `${report.score}/100`),
      ` over ${n} comment${n === 1 ? "" : "s"}`,
      report.has_errors ? "; some need fixing before they are posted." : ".",
    ),
    n === 0 ? h("p", { class: "muted" }, "No comments found: write one per paragraph.") : null,
    h(
      "ol",
      { class: "comments" },
      ...report.comments.map((c) =>
        h(
          "li",
          { class: "comment", dataset: { line: c.line, score: c.score } },
          commentHead(c),
          c.findings.length
            ? h("ul", { class: "problems" }, ...c.findings.map(findingItem))
            : h("p", { class: "comment-ok" }, mark(true, { yes: "fine" }), " Nothing to change."),
        ),
      ),
    ),
  );
}

async function lint(event) {
  event.preventDefault();
  els.lint.disabled = true;
  els.lintResult.setAttribute("aria-busy", "true");
  try {
    renderLint(els.lintResult, await api.lintReview(els.lintText.value));
  } catch (err) {
    reportError(err, "Not checked: ");
  } finally {
    els.lint.disabled = false;
    els.lintResult.removeAttribute("aria-busy");
  }
}

// ---- katas ----------------------------------------------------------------------------

// Tabs as spaces to 4-column stops counted from the code, not from the gutter.
function expandTabs(text) {
  let out = "";
  for (const ch of text) out += ch === "\t" ? " ".repeat(4 - (out.length % 4)) : ch;
  return out;
}

// The numbered diff line by line, coloured by its marker: "NNNN  +code".
function renderDiff(numbered) {
  const lines = numbered.replace(/\n$/, "").split("\n");
  fill(
    els.diff,
    ...lines.map((line) => {
      const body = line.slice(6);
      const cls = /^(\+\+\+|---) /.test(body)
        ? "diff-file"
        : body.startsWith("@@")
          ? "diff-hunk"
          : body.startsWith("+")
            ? "diff-add"
            : body.startsWith("-")
              ? "diff-del"
              : "";
      const n = line.slice(0, 4).trim();
      return h(
        "span",
        { class: `diff-line ${cls}`.trim(), dataset: n ? { line: n } : {} },
        h("span", { class: "diff-gutter" }, line.slice(0, 6)),
        cls === "diff-file" || cls === "diff-hunk"
          ? body
          : body.slice(0, 1) + expandTabs(body.slice(1)),
        "\n",
      );
    }),
  );
}

let kataId = null;
// A slow open can never clear the check of the kata opened after it.
const opening = latestOnly();

async function loadKatas() {
  let katas;
  try {
    katas = await api.listKatas();
  } catch (err) {
    fill(els.select, h("option", { value: "" }, "Katas unavailable"));
    reportError(err, "The katas could not be loaded: ");
    return;
  }
  fill(
    els.select,
    ...katas.map((k) => h("option", { value: k.id }, `${k.title} · ${k.language}`)),
  );
  await openKata(els.select.value);
}

async function openKata(id) {
  if (!id) return;
  const current = opening();
  try {
    const k = await api.getKata(id);
    if (!current()) return;
    kataId = k.id;
    els.meta.textContent = `${k.summary} ${k.language}; ${k.problems} problems seeded.`;
    renderDiff(k.numbered);
    els.kata.hidden = false;
    els.error.textContent = "";
    fill(els.result);
  } catch (err) {
    if (current()) reportError(err, "Not opened: ");
  }
}

const KINDS = {
  bug: "bug",
  "edge-case": "edge case",
  naming: "naming",
  security: "security",
  performance: "performance",
};

function renderCheck(r) {
  fill(
    els.result,
    h(
      "div",
      { class: "kata-summary" },
      h("strong", { class: `kata-score ${scoreClass(r.score)}` }, `${r.score}/100`),
      h("span", { id: "found-count" }, `Found ${r.found} of ${r.total} seeded problems.`),
    ),
    h("h3", {}, "Seeded problems"),
    h(
      "ul",
      { class: "seeded" },
      ...r.problems.map((p) =>
        h(
          "li",
          {
            class: `seeded-item ${p.found ? "seeded-found" : "seeded-missed"}`,
            dataset: { problem: p.id, found: String(p.found) },
          },
          mark(p.found, { yes: "found", no: "missed" }),
          h(
            "div",
            {},
            h(
              "div",
              { class: "seeded-head" },
              h("strong", {}, p.found ? "Found" : "Missed"),
              h("span", { class: "tag" }, KINDS[p.kind] || p.kind),
              h("code", { class: "small" }, `${p.file}:${p.line}`),
              p.found && p.found_by_comment_lines.length
                ? h(
                    "span",
                    { class: "muted small" },
                    p.found_by_comment_lines.length === 1
                      ? `by the comment on line ${p.found_by_comment_lines[0]}`
                      : `by the comments on lines ${p.found_by_comment_lines.join(", ")}`,
                  )
                : null,
            ),
            h("p", { class: "seeded-why" }, p.explanation),
          ),
        ),
      ),
    ),
    h("h3", {}, "How the comments read"),
    h("div", { class: "kata-form-report" }),
    r.rubric?.length
      ? h(
          "div",
          { class: "rubric" },
          h("h3", {}, "Rubric"),
          h("ul", {}, ...r.rubric.map((x) => h("li", {}, x))),
        )
      : null,
  );
  renderLint(els.result.querySelector(".kata-form-report"), r.form);
}

async function checkKata(event) {
  event.preventDefault();
  if (!kataId) return;
  if (!els.text.value.trim()) {
    els.error.textContent = "Write at least one comment first.";
    els.text.focus();
    return;
  }
  els.check.disabled = true;
  els.error.textContent = "";
  const checked = kataId;
  try {
    const r = await api.checkKata(checked, els.text.value);
    if (checked !== kataId) return;
    if (!r.ok) {
      els.error.textContent = messageOf(r.data, r.status);
      return;
    }
    renderCheck(r.data);
    els.result.focus();
  } catch (err) {
    reportError(err, "Not checked: ");
  } finally {
    els.check.disabled = false;
  }
}

// ---- start ----------------------------------------------------------------------------

function submitOnCtrlEnter(textarea, form) {
  textarea.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
      event.preventDefault();
      form.requestSubmit();
    }
  });
}

els.lintForm.addEventListener("submit", lint);
els.form.addEventListener("submit", checkKata);
els.select.addEventListener("change", () => {
  if (els.select.value === kataId) return;
  if (els.text.value.trim() && !confirm("Switch kata? Your review of this one is cleared.")) {
    els.select.value = kataId;
    return;
  }
  els.text.value = "";
  openKata(els.select.value);
});
submitOnCtrlEnter(els.lintText, els.lintForm);
submitOnCtrlEnter(els.text, els.form);
loadKatas();
