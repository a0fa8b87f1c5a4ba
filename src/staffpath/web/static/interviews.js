// The interviews page: start a mock interview (solo, or with a peer who gets the interviewer
// link), the history of past interviews, and each area's score over them as a chart.

import { api } from "./api.js";
import { COLORS } from "./charts.js";
import { AREA_COLORS, areaLegend, areaName, minutesText } from "./interview-parts.js";
import { interviewerKey, interviewerUrl, rememberKey } from "./interview-keys.js";
import { $, h, fill, ago, toast, reportError } from "./ui.js";

const AREAS = ["scalability", "reliability", "cost", "estimation"];

const els = {
  form: $("#start-form"),
  problem: $("#problem-select"),
  problemHelp: $("#problem-help"),
  minutes: $("#minutes"),
  start: $("#start"),
  started: $("#started"),
  startedText: $("#started-text"),
  link: $("#interviewer-link"),
  copy: $("#copy-link"),
  go: $("#go"),
  status: $("#history-status"),
  body: $("#history-body"),
  trend: $("#trend"),
  trendLegend: $("#trend-legend"),
};

let problems = [];

// ---- starting -----------------------------------------------------------------------------

async function loadProblems() {
  try {
    problems = await api.listProblems();
  } catch (err) {
    fill(els.problem, h("option", { value: "" }, "Problems unavailable"));
    reportError(err, "The problems could not be loaded: ");
    return;
  }
  const wanted = new URLSearchParams(location.search).get("problem");
  fill(
    els.problem,
    ...problems.map((p) =>
      h("option", { value: p.id, selected: p.id === wanted }, `${p.title} · ${p.difficulty}`),
    ),
  );
  describeProblem();
}

function describeProblem() {
  const p = problems.find((x) => x.id === els.problem.value);
  els.problemHelp.textContent = p
    ? `Flows ${p.flows.join(", ")}; ${p.scenarios} hidden scenarios.`
    : "";
}

async function start(event) {
  event.preventDefault();
  if (!els.form.reportValidity()) return;
  const problem = els.problem.value;
  const minutes = Number(els.minutes.value);
  const peer = els.form.elements.namedItem("mode").value === "peer";
  els.start.disabled = true;
  try {
    const s = await api.startInterview(problem, minutes);
    rememberKey(s.id, s.key);
    const link = `${location.origin}${s.interviewer_url || interviewerUrl(s.id, s.key)}`;
    els.link.value = link;
    els.go.href = s.candidate_url;
    els.started.hidden = false;
    els.startedText.textContent = `Started: ${s.title}, ${minutesText(s.minutes)}.${peer ? " Send the interviewer link, then go to the interview." : ""}`;
    if (!peer) {
      location.assign(s.candidate_url);
      return;
    }
    els.link.focus();
    els.link.select();
    loadHistory();
  } catch (err) {
    reportError(err, "Not started: ");
  } finally {
    els.start.disabled = false;
  }
}

async function copyLink() {
  try {
    await navigator.clipboard.writeText(els.link.value);
    toast("Interviewer link copied.");
  } catch {
    els.link.focus();
    els.link.select();
    toast("Select and copy the link (Ctrl+C).");
  }
}

// ---- history ------------------------------------------------------------------------------

const score = (x) => (typeof x === "number" && Number.isFinite(x) ? String(Math.round(x)) : "—");

function scoreCell(x) {
  const cls =
    typeof x !== "number" ? "" : x >= 75 ? "score-good" : x >= 50 ? "score-mid" : "score-low";
  return h("td", { class: `num ${cls}`.trim() }, score(x));
}

async function loadHistory() {
  let rows;
  try {
    rows = await api.listInterviews();
  } catch (err) {
    els.status.textContent = `The history could not be loaded: ${err.message}`;
    els.status.dataset.state = "failed";
    fill(els.body);
    return;
  }
  const finished = rows.filter((r) => r.finished_at);
  els.status.dataset.state = "";
  els.status.textContent = rows.length
    ? `${rows.length} interview${rows.length === 1 ? "" : "s"}, ${finished.length} finished.`
    : "";
  if (!rows.length) {
    fill(
      els.body,
      h(
        "tr",
        { class: "placeholder" },
        h("td", { colspan: 9 }, "No interviews yet: start one above."),
      ),
    );
  } else
    fill(
      els.body,
      ...rows.map((r) => {
        const when = ago(r.started_at);
        const areas = r.areas || {};
        const key = interviewerKey(r.id);
        // a peer reads the interview through the interviewer's page (the candidate's is the owner's)
        const target = r.role === "peer" ? `/interviews/${r.id}/interviewer` : `/interviews/${r.id}`;
        return h(
          "tr",
          { dataset: { id: r.id, state: r.finished_at ? "finished" : "open" } },
          h("th", { scope: "row" }, h("a", { href: target }, r.title || r.problem)),
          h("td", { class: "nowrap" }, h("span", { title: when.title }, when.text)),
          r.finished_at
            ? scoreCell(r.score)
            : h("td", { class: "num" }, h("span", { class: "tag tag-warn" }, "in progress")),
          h("td", { class: "nowrap" }, r.level || h("span", { class: "muted" }, "—")),
          ...AREAS.map((a) => scoreCell(areas[a])),
          h(
            "td",
            { class: "actions nowrap" },
            h(
              "a",
              { class: "button button-small", href: target },
              r.role === "peer" ? "Interviewer view" : r.finished_at ? "Report" : "Resume",
              h("span", { class: "sr-only" }, `: ${r.title || r.problem}`),
            ),
            key
              ? h(
                  "a",
                  { class: "button button-small button-quiet", href: interviewerUrl(r.id, key) },
                  "Interviewer view",
                  h("span", { class: "sr-only" }, `: ${r.title || r.problem}`),
                )
              : null,
          ),
        );
      }),
    );
  drawTrend(finished);
}

// ---- the trend ----------------------------------------------------------------------------

const S = (tag, attrs, ...children) => h(`svg:${tag}`, attrs, ...children);

function shortDate(text) {
  const t = ago(text);
  const d = new Date(/T[\d:.]+$/.test(String(text)) ? `${text}Z` : text);
  if (Number.isNaN(d.getTime())) return t.text;
  return d.toLocaleDateString(undefined, { month: "short", day: "numeric" });
}

// One line per area (and the overall score, dashed) over the finished interviews, oldest
// first. Equal steps between sessions: the order matters, not the days between them.
function drawTrend(sessions) {
  const points = sessions
    .slice()
    .sort((a, b) => String(a.started_at).localeCompare(String(b.started_at)));
  if (!points.length) {
    fill(
      els.trend,
      h("p", { class: "muted empty-chart" }, "Finish an interview to see your scores over time."),
    );
    fill(els.trendLegend);
    return;
  }
  const series = [
    ...AREAS.filter((a) => points.some((p) => p.areas && typeof p.areas[a] === "number")),
    "score",
  ];
  const width = 900;
  const height = 260;
  const m = { left: 44, right: 20, top: 14, bottom: 52 };
  const w = width - m.left - m.right;
  const ph = height - m.top - m.bottom;
  const n = points.length;
  const pad = 18; // the first and last points clear the axes
  const x = (i) => m.left + pad + (n === 1 ? (w - 2 * pad) / 2 : ((w - 2 * pad) * i) / (n - 1));
  const y = (v) => m.top + ph - (ph * v) / 100;
  // Lines that agree would hide one another: each series sits a hair apart.
  const nudge = (k) => (k - (series.length - 1) / 2) * 2.2;
  const value = (p, s) => (s === "score" ? p.score : p.areas ? p.areas[s] : undefined);

  const latest = points[n - 1];
  const desc =
    `${n} finished interview${n === 1 ? "" : "s"}, oldest first. Latest (${latest.title}): ` +
    series.map((s) => `${s === "score" ? "overall" : s} ${score(value(latest, s))}`).join(", ") +
    ".";
  const titleId = "trend-title";
  const descId = "trend-desc";
  const svg = S(
    "svg",
    {
      viewBox: `0 0 ${width} ${height}`,
      width: "100%",
      role: "img",
      "aria-labelledby": `${titleId} ${descId}`,
      class: "chart trend-chart",
      "font-family": "system-ui, -apple-system, 'Segoe UI', 'Liberation Sans', sans-serif",
      "font-size": "12",
    },
    S("title", { id: titleId }, "Scores by area over your interviews"),
    S("desc", { id: descId }, desc),
  );
  for (const v of [0, 25, 50, 75, 100]) {
    svg.append(S("line", { x1: m.left, x2: m.left + w, y1: y(v), y2: y(v), stroke: COLORS.grid }));
    svg.append(
      S("text", { x: m.left - 8, y: y(v) + 4, "text-anchor": "end", fill: COLORS.axis }, v),
    );
  }
  // Each session's number (at most ~16 of them labelled), and its date where the day changes.
  const every = Math.max(1, Math.ceil(n / 16));
  let lastDay = "";
  points.forEach((p, i) => {
    svg.append(
      S("line", { x1: x(i), x2: x(i), y1: m.top + ph, y2: m.top + ph + 5, stroke: COLORS.axis }),
    );
    if (i % every === 0 || i === n - 1)
      svg.append(
        S(
          "text",
          { x: x(i), y: m.top + ph + 17, "text-anchor": "middle", fill: COLORS.axis },
          i + 1,
        ),
      );
    const day = shortDate(p.started_at);
    if (day !== lastDay)
      svg.append(
        S(
          "text",
          {
            x: x(i),
            y: m.top + ph + 31,
            "text-anchor": "middle",
            fill: COLORS.axis,
            "font-size": 11,
          },
          day,
        ),
      );
    lastDay = day;
  });
  svg.append(
    S("line", { x1: m.left, x2: m.left + w, y1: m.top + ph, y2: m.top + ph, stroke: COLORS.axis }),
  );
  svg.append(
    S(
      "text",
      { x: m.left + w / 2, y: height - 2, "text-anchor": "middle", fill: COLORS.axis },
      "finished interviews, oldest first",
    ),
  );
  series.forEach((s, k) => {
    const color = AREA_COLORS[s];
    const dy = nudge(k);
    let d = "";
    let pen = false;
    points.forEach((p, i) => {
      const v = value(p, s);
      if (typeof v !== "number" || !Number.isFinite(v)) {
        pen = false;
        return;
      }
      d += `${pen ? "L" : "M"}${x(i).toFixed(1)} ${(y(v) + dy).toFixed(1)} `;
      pen = true;
    });
    if (d)
      svg.append(
        S("path", {
          d: d.trim(),
          fill: "none",
          stroke: color,
          "stroke-width": s === "score" ? 2 : 2,
          "stroke-dasharray": s === "score" ? "6 4" : null,
          "stroke-linejoin": "round",
          class: `trend-line trend-${s}`,
          dataset: { series: s },
        }),
      );
    points.forEach((p, i) => {
      const v = value(p, s);
      if (typeof v !== "number" || !Number.isFinite(v)) return;
      svg.append(
        S(
          "circle",
          {
            cx: x(i),
            cy: y(v) + dy,
            r: 3.5,
            fill: s === "score" ? "#fff" : color,
            stroke: color,
            "stroke-width": 1.5,
          },
          S(
            "title",
            {},
            `${p.title}, ${shortDate(p.started_at)}: ${s === "score" ? "overall" : areaName(s).toLowerCase()} ${score(v)}`,
          ),
        ),
      );
    });
  });
  fill(els.trend, svg);
  fill(els.trendLegend, areaLegend(series));
}

// ---- start --------------------------------------------------------------------------------

els.problem.addEventListener("change", describeProblem);
els.form.addEventListener("submit", start);
els.copy.addEventListener("click", copyLink);
loadProblems();
loadHistory();
