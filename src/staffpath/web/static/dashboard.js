// The dashboard: one answer of GET /api/dashboard drawn as a card per part of the stage, each
// linking to its page, and the ranked next actions on top. Read-only: nothing here writes.

import { api } from "./api.js";
import { renderFunnel } from "./career-reports.js";
import { $, h, fill, figure, pct, num, reportError } from "./ui.js";

const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const words = (s) => String(s ?? "").replace(/[-_]/g, " ");

function body(id) {
  const card = $(`#dash-${id}`);
  card.hidden = false;
  return card.querySelector(".dash-body");
}

function figures(...items) {
  return h("dl", { class: "figures" }, ...items);
}

// ---- the score trend: an inline SVG line over the finished interviews -------------------

const W = 320;
const H = 110;
const PAD = { left: 28, right: 8, top: 8, bottom: 18 };

function trendChart(trend) {
  const n = trend.length;
  const x = (i) =>
    PAD.left +
    (n === 1 ? (W - PAD.left - PAD.right) / 2 : (i * (W - PAD.left - PAD.right)) / (n - 1));
  const y = (score) => PAD.top + ((100 - score) * (H - PAD.top - PAD.bottom)) / 100;
  const points = trend.map((t, i) => `${x(i).toFixed(1)},${y(t.score).toFixed(1)}`).join(" ");
  const desc = trend.map((t) => `${t.problem}: ${num(t.score)}`).join("; ");
  return h(
    "svg:svg",
    {
      class: "trend-chart",
      viewBox: `0 0 ${W} ${H}`,
      role: "img",
      "aria-labelledby": "trend-title trend-desc",
    },
    h("svg:title", { id: "trend-title" }, "Interview score trend, oldest to newest"),
    h("svg:desc", { id: "trend-desc" }, desc),
    [0, 50, 100].map((v) => [
      h("svg:line", { x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v), class: "grid" }),
      h(
        "svg:text",
        { x: PAD.left - 4, y: y(v) + 4, class: "axis", "text-anchor": "end" },
        String(v),
      ),
    ]),
    n > 1 ? h("svg:polyline", { points, class: "trend-line" }) : null,
    trend.map((t, i) =>
      h(
        "svg:circle",
        {
          cx: x(i),
          cy: y(t.score),
          r: 3.5,
          class: t.passed === false ? "trend-dot failed" : "trend-dot",
        },
        h(
          "svg:title",
          {},
          `${t.problem}: ${num(t.score)}${t.passed === false ? " (not passed)" : ""}`,
        ),
      ),
    ),
  );
}

// ---- sections ----------------------------------------------------------------------------

function practice(p) {
  fill(
    body("practice"),
    figures(
      figure(
        "Interviews",
        String(p.interviews),
        p.in_progress ? `${p.in_progress} in progress` : null,
      ),
      figure("Finished", String(p.finished)),
      figure(
        "Last score",
        p.last_score === null ? "—" : num(p.last_score),
        p.best_score !== null ? `best ${num(p.best_score)}` : null,
      ),
    ),
    p.trend.length
      ? h("figure", { class: "chart-figure" }, trendChart(p.trend))
      : h(
          "p",
          { class: "muted" },
          "No finished interview yet: the trend starts with the first one.",
        ),
  );
}

function tracks(list) {
  fill(
    body("tracks"),
    list.length
      ? h(
          "ul",
          { class: "dash-list" },
          list.map((t) =>
            h(
              "li",
              { dataset: { track: t.track || "" } },
              t.broken
                ? [
                    h("strong", {}, t.name),
                    " ",
                    h("span", { class: "tag tag-bad" }, "does not parse"),
                  ]
                : [
                    h(
                      "div",
                      {},
                      h("strong", {}, t.title),
                      h("span", { class: "muted small" }, ` · ${t.name} · toward ${t.target}`),
                    ),
                    h(
                      "div",
                      { class: "track-bars" },
                      bar(t.overall, "claimed"),
                      bar(t.backed_overall, "backed by evidence"),
                    ),
                    t.next
                      ? h(
                          "div",
                          { class: "small next-skill" },
                          "Next: ",
                          h("strong", {}, t.next.title),
                          ` toward ${t.next.aim}`,
                        )
                      : null,
                  ],
            ),
          ),
        )
      : h(
          "p",
          { class: "muted" },
          "No track assessment yet: ",
          h("a", { href: "/career/assessment" }, "assess yourself against a track"),
          ".",
        ),
  );
}

function bar(fraction, label) {
  return h(
    "div",
    { class: "track-bar" },
    h("span", { class: "small track-bar-label" }, label),
    h(
      "span",
      { class: "progress" },
      h("span", { class: "progress-fill", style: `width: ${(fraction * 100).toFixed(1)}%` }),
    ),
    h("span", { class: "small num" }, pct(fraction)),
  );
}

function stories(s) {
  const row = (title, counts) =>
    h(
      "tr",
      {},
      h("th", { scope: "row" }, title),
      ["strong", "weak", "gap"].map((k) =>
        h("td", { class: "num", dataset: { status: k } }, String(counts[k])),
      ),
    );
  fill(
    body("stories"),
    figures(
      figure("Stories", String(s.stories)),
      figure("Strong stories", String(s.strong_stories)),
      figure(
        "Questions answered",
        String(s.questions.strong + s.questions.weak),
        `of ${s.questions.strong + s.questions.weak + s.questions.gap}`,
      ),
    ),
    h(
      "table",
      { class: "data compact coverage-counts" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", {}, h("span", { class: "sr-only" }, "Of")),
          ["Strong", "Weak", "Gap"].map((c) => h("th", { scope: "col", class: "num" }, c)),
        ),
      ),
      h("tbody", {}, row("Competencies", s.competencies), row("Questions", s.questions)),
    ),
    s.gaps.length
      ? h(
          "p",
          { class: "small" },
          "Gaps: ",
          s.gaps.map((g) => h("span", { class: "tag tag-warn" }, words(g))),
        )
      : null,
  );
}

function cards(c) {
  fill(
    body("cards"),
    figures(
      figure("Due for review", String(c.review)),
      figure("New", String(c.new)),
      figure("Reviews done", String(c.reviews)),
    ),
    c.decks.length
      ? h(
          "ul",
          { class: "dash-list small" },
          c.decks
            .filter((d) => d.review)
            .map((d) =>
              h("li", {}, h("strong", {}, d.title), ` · ${plural(d.review, "card")} due`),
            ),
        )
      : null,
  );
}

function applications(a) {
  if (!a) return;
  fill(
    body("applications"),
    a.funnel
      ? [
          figures(
            figure("Applications", String(a.funnel.total)),
            figure("Open", String(a.funnel.open)),
            figure("Follow-ups due", String(a.follow_ups.length)),
          ),
          renderFunnel(a.funnel),
        ]
      : h("p", { class: "muted" }, "No applications stored yet."),
    a.follow_ups.length
      ? h(
          "ul",
          { class: "dash-list small" },
          a.follow_ups.map((r) =>
            h(
              "li",
              {},
              h("strong", {}, r.company),
              ` ${r.title || ""} · ${r.date} · ${r.note || r.kind || ""}`,
            ),
          ),
        )
      : null,
  );
}

function mentoring(m) {
  if (!m) return;
  fill(
    body("mentoring"),
    figures(
      figure("Mentees", String(m.mentees)),
      figure("Sessions held", String(m.sessions), m.planned ? `${m.planned} planned` : null),
      figure("Overdue actions", String(m.overdue.length)),
    ),
    m.overdue.length || m.due_soon.length
      ? h(
          "ul",
          { class: "dash-list small" },
          [...m.overdue, ...m.due_soon].map((i) =>
            h(
              "li",
              {},
              h(
                "span",
                { class: `tag ${i.state === "overdue" ? "tag-bad" : "tag-warn"}` },
                words(i.state),
              ),
              ` ${i.text} · ${i.mentee_name} · due ${i.due}`,
            ),
          ),
        )
      : m.documents
        ? h("p", { class: "muted" }, "No action item overdue or due soon.")
        : h("p", { class: "muted" }, "No mentoring log yet."),
  );
}

function certifications(c) {
  if (!c) return;
  const rows = [...c.expiring, ...c.exams];
  fill(
    body("certifications"),
    rows.length
      ? h(
          "ul",
          { class: "dash-list small" },
          rows.map((x) =>
            h(
              "li",
              {},
              h("strong", {}, x.name),
              x.days_to_expiry != null
                ? ` · ${x.days_to_expiry < 0 ? "expired" : `expires in ${plural(x.days_to_expiry, "day")}`} (${x.expires})`
                : x.days_to_target != null
                  ? ` · exam in ${plural(x.days_to_target, "day")} (${x.target})`
                  : "",
            ),
          ),
        )
      : h(
          "p",
          { class: "muted" },
          c.documents ? "Nothing expiring soon." : "No certification plans yet.",
        ),
  );
}

function actions(list) {
  fill(
    $("#actions"),
    list.length
      ? list.map((a) =>
          h(
            "li",
            { dataset: { kind: a.kind } },
            h("span", { class: "tag action-kind" }, words(a.kind)),
            " ",
            h("a", { href: a.href }, a.text),
            a.why ? h("div", { class: "muted small" }, a.why) : null,
          ),
        )
      : h("li", { class: "muted" }, "Nothing pressing: a good day to practise a design interview."),
  );
}

async function start() {
  const status = $("#dash-status");
  try {
    const d = await api.dashboard();
    actions(d.actions);
    practice(d.practice);
    tracks(d.tracks);
    stories(d.stories);
    cards(d.cards);
    applications(d.applications);
    mentoring(d.mentoring);
    certifications(d.certifications);
    status.textContent = `As of ${d.today}`;
    document.body.dataset.ready = "true";
  } catch (err) {
    status.textContent = `The dashboard could not be loaded: ${err.message}`;
    status.dataset.state = "failed";
    reportError(err);
  }
}

start();
