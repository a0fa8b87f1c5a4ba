// The report of a career document, drawn from its kind's JSON (the same JSON as the
// command line's --json): one small renderer per kind id, and for a kind this page does not
// know yet, a readable generic view (tables for lists of flat records, definition lists for
// objects). Text goes in through h() only.

import { generic } from "./career-generic.js";
import { h, fill, table, figure, pct, num } from "./ui.js";

const RENDERERS = {
  assessment,
  mentoring,
  evidence,
  certifications,
  applications,
};

export function renderReport(kind, report, el) {
  const draw = RENDERERS[kind] || generic;
  try {
    fill(el, draw(report));
  } catch (err) {
    // A report whose shape moved on: still readable.
    console.warn(`the ${kind} renderer failed; showing the report as it is`, err);
    fill(el, generic(report));
  }
}

// ---- pieces -------------------------------------------------------------------------------

const words = (s) => String(s ?? "").replace(/[-_]/g, " ");
const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function section(title, ...body) {
  return h("section", { class: "report-section" }, h("h4", {}, title), ...body);
}

function stateTag(state) {
  const cls =
    {
      overdue: "tag-bad",
      expired: "tag-bad",
      due: "tag-warn",
      "due-soon": "tag-warn",
      expiring: "tag-warn",
      upcoming: "",
      done: "tag-ok",
      earned: "tag-ok",
    }[state] ?? "";
  return h("span", { class: `tag ${cls}`.trim(), dataset: { state } }, words(state));
}

function bar(fraction, label) {
  const f = Math.max(0, Math.min(1, Number(fraction) || 0));
  return h(
    "span",
    { class: "progress", role: "img", "aria-label": label ?? pct(f) },
    h("span", { class: "progress-fill", style: `width: ${(f * 100).toFixed(1)}%` }),
  );
}

function list(items, render, { className = "plain-list", empty } = {}) {
  if (!items || !items.length) return empty ? h("p", { class: "muted" }, empty) : null;
  return h(
    "ul",
    { class: className },
    items.map((x) => h("li", {}, render(x))),
  );
}

const date = (s) => (s ? String(s) : "—");

// ---- track assessment --------------------------------------------------------------------

function assessment(r) {
  return h(
    "div",
    { class: "report report-assessment" },
    h(
      "dl",
      { class: "figures" },
      figure("Overall", pct(r.overall), `toward ${r.target} on ${r.title}`),
      figure("Backed by evidence", pct(r.backed_overall), "levels with evidence only"),
      figure("Skills", String(r.skills.length)),
    ),
    section(
      "Next best skills",
      r.next.length
        ? h(
            "ol",
            { class: "next-skills" },
            r.next.map((n) =>
              h(
                "li",
                { dataset: { skill: n.skill } },
                h("strong", {}, n.title),
                ` — ${words(n.level)} → ${words(n.aim)}`,
                n.unlocks.length
                  ? h(
                      "span",
                      { class: "muted small" },
                      ` · unlocks ${plural(n.unlocks.length, "skill")}`,
                    )
                  : null,
                list(n.reasons, (x) => x, { className: "reasons" }),
              ),
            ),
          )
        : h("p", { class: "muted" }, "Every skill is at the target: pick a higher target."),
    ),
    r.findings.length
      ? section(
          "Findings",
          list(
            r.findings,
            (f) => [
              h("strong", {}, f.skill),
              `: ${f.reason} `,
              h("span", { class: "suggestion" }, f.suggestion),
            ],
            { className: "findings" },
          ),
        )
      : null,
    section(
      "Skills",
      table(
        [
          { label: "Skill", cell: (s) => s.title },
          { label: "Level", nowrap: true, cell: (s) => words(s.level) },
          {
            label: "Progress",
            cell: (s) => [bar(s.progress), " ", h("span", { class: "small" }, pct(s.progress))],
          },
          {
            label: "Evidence",
            cell: (s) =>
              s.evidence.length
                ? s.evidence.map((e) => h("div", { class: "small evidence-ref" }, e))
                : s.backed
                  ? "—"
                  : h("span", { class: "tag tag-warn" }, "none"),
          },
        ],
        r.skills,
        { className: "data compact" },
      ),
    ),
    r.blocked.length
      ? section(
          "Waiting on prerequisites",
          list(r.blocked, (b) => [
            h("strong", {}, b.skill),
            ` toward ${words(b.aim)} waits on `,
            b.waiting_on.map((w) => `${w.skill} (${words(w.level)})`).join(", "),
          ]),
        )
      : null,
  );
}

// ---- mentoring log -----------------------------------------------------------------------

function mentoring(r) {
  const mentees = r.mentees || [];
  const due = r.due || [];
  const overdue = due.filter((d) => d.state === "overdue").length;
  return h(
    "div",
    { class: "report report-mentoring" },
    h(
      "dl",
      { class: "figures" },
      figure("Mentees", String(mentees.length)),
      figure("Sessions held", String(mentees.reduce((n, m) => n + m.sessions, 0))),
      figure("Overdue actions", String(overdue)),
    ),
    section(
      "Action items due",
      list(
        due,
        (d) => [
          stateTag(d.state),
          " ",
          h("strong", {}, d.text),
          h("span", { class: "muted small" }, ` · ${d.mentee}, ${d.owner}, due ${d.due}`),
        ],
        { empty: "Nothing overdue or due soon." },
      ),
    ),
    section(
      "Mentees",
      table(
        [
          { label: "Mentee", cell: (m) => m.name },
          {
            label: "Sessions",
            num: true,
            cell: (m) => [
              String(m.sessions),
              m.planned ? h("div", { class: "muted small" }, `+${m.planned} planned`) : null,
            ],
          },
          {
            label: "Last",
            nowrap: true,
            cell: (m) => [
              date(m.last),
              m.cadence_days
                ? h("div", { class: "muted small" }, `every ${num(m.cadence_days)} d`)
                : null,
            ],
          },
          { label: "Goals done", num: true, cell: (m) => `${m.goals_done} / ${m.goals}` },
          {
            label: "Open actions",
            num: true,
            cell: (m) => [
              String(m.open_actions),
              m.overdue_actions
                ? h("div", { class: "small warn-text" }, `${m.overdue_actions} late`)
                : null,
            ],
          },
        ],
        mentees,
        { className: "data compact" },
      ),
      list(
        mentees.filter((m) => m.warning),
        (m) => [h("strong", {}, m.name), ": ", h("span", { class: "warn-text" }, m.warning)],
        { className: "plain-list small" },
      ),
    ),
    (r.evidence || []).length
      ? section(
          `Evidence of leadership (${r.evidence.length})`,
          table(
            [
              { label: "Date", nowrap: true, cell: (e) => e.date },
              { label: "What", rowHeader: false, cell: (e) => e.what },
              { label: "Metric", cell: (e) => e.metric || "—" },
            ],
            r.evidence,
            { className: "data compact" },
          ),
        )
      : null,
  );
}

// ---- evidence log, certifications, applications -------------------------------------------
// Their reports put the parts the page knows under these names; anything else is shown by the
// generic view below them, so nothing the report says is lost.

function withRest(r, known, ...parts) {
  const rest = Object.fromEntries(Object.entries(r || {}).filter(([k]) => !known.includes(k)));
  return h("div", { class: "report" }, ...parts, Object.keys(rest).length ? generic(rest) : null);
}

function evidence(r) {
  const records = r.records || r.evidence || [];
  const warnings = r.warnings || [];
  const bullets = r.bullets || [];
  return withRest(
    r,
    ["records", "evidence", "warnings", "bullets"],
    h(
      "dl",
      { class: "figures" },
      figure("Records", String(records.length)),
      figure("Warnings", String(warnings.length)),
    ),
    warnings.length
      ? section(
          "Warnings",
          list(warnings, (w) => [
            w.line ? `line ${w.line}: ` : "",
            w.message || w.reason || JSON.stringify(w),
          ]),
        )
      : null,
    records.length
      ? section(
          "Records",
          table(
            [
              { label: "Date", nowrap: true, cell: (e) => date(e.date) },
              {
                label: "What",
                rowHeader: false,
                cell: (e) => [
                  e.headline || e.title || e.id,
                  e.id ? h("div", { class: "muted small" }, e.id) : null,
                ],
              },
              { label: "Metric", cell: (e) => e.metric || "—" },
              {
                label: "Competencies",
                cell: (e) => (e.competencies || []).map((c) => h("span", { class: "tag" }, c)),
              },
            ],
            records,
            { className: "data compact" },
          ),
        )
      : null,
    bullets.length
      ? section(
          "Resume bullets",
          list(bullets, (b) =>
            typeof b === "string" ? b : b.text || b.bullet || JSON.stringify(b),
          ),
        )
      : null,
  );
}

function certifications(r) {
  const certs = Array.isArray(r) ? r : r.certifications || r.standings || r.plans || [];
  return withRest(
    Array.isArray(r) ? {} : r,
    ["certifications", "standings", "plans"],
    section(
      "Certifications",
      table(
        [
          {
            label: "Name",
            cell: (c) => [c.name, h("div", { class: "muted small" }, c.provider || "")],
          },
          {
            label: "Status",
            cell: (c) => stateTag(c.expired ? "expired" : c.expiring ? "expiring" : c.status),
          },
          {
            label: "Exam",
            cell: (c) =>
              c.target
                ? [
                    c.target,
                    c.days_to_target != null
                      ? h("div", { class: "muted small" }, `in ${plural(c.days_to_target, "day")}`)
                      : null,
                  ]
                : "—",
          },
          {
            label: "Expires",
            cell: (c) =>
              c.expires
                ? [
                    c.expires,
                    c.days_to_expiry != null
                      ? h(
                          "div",
                          { class: c.days_to_expiry < 0 ? "small warn-text" : "muted small" },
                          c.days_to_expiry < 0
                            ? `${plural(-c.days_to_expiry, "day")} ago`
                            : `in ${plural(c.days_to_expiry, "day")}`,
                        )
                      : null,
                  ]
                : "—",
          },
          { label: "Cost", cell: (c) => c.cost || "—" },
        ],
        certs,
        { className: "data compact" },
      ),
    ),
  );
}

function funnelBars(funnel) {
  const stages = funnel.stages || [];
  const top = Math.max(1, ...stages.map((s) => s.reached));
  return h(
    "div",
    {
      class: "funnel",
      role: "img",
      "aria-label": stages.map((s) => `${s.stage} ${s.reached}`).join(", "),
    },
    stages.map((s) =>
      h(
        "div",
        { class: "funnel-row", dataset: { stage: s.stage } },
        h("span", { class: "funnel-label" }, words(s.stage)),
        h(
          "span",
          { class: "funnel-bar" },
          h("span", { style: `width: ${((s.reached / top) * 100).toFixed(1)}%` }),
        ),
        h(
          "span",
          { class: "funnel-num" },
          String(s.reached),
          s.conversion != null
            ? h("span", { class: "muted small" }, ` ${pct(s.conversion, 2)}`)
            : null,
        ),
      ),
    ),
  );
}

export function renderFunnel(funnel) {
  return funnelBars(funnel);
}

function applications(r) {
  const funnel = r.funnel;
  const reminders = r.reminders || r.due || r.follow_ups || [];
  const apps = r.applications || [];
  return withRest(
    r,
    ["funnel", "reminders", "due", "follow_ups", "applications"],
    funnel
      ? h(
          "dl",
          { class: "figures" },
          figure("Applications", String(funnel.total ?? apps.length)),
          figure("Open", String(funnel.open ?? "—")),
          figure("Follow-ups due", String(reminders.filter((x) => x.status !== "upcoming").length)),
        )
      : null,
    funnel ? section("Funnel", funnelBars(funnel)) : null,
    section(
      "Follow-ups",
      list(
        reminders,
        (x) => [
          stateTag(x.status),
          " ",
          h("strong", {}, x.company),
          ` ${x.title || ""} `,
          h("span", { class: "muted small" }, `${x.date} · ${x.note || x.kind || ""}`),
        ],
        { empty: "No follow-up due." },
      ),
    ),
    apps.length
      ? section(
          "Applications",
          table(
            [
              { label: "Company", cell: (a) => a.company || a.posting?.company || a.id },
              { label: "Role", rowHeader: false, cell: (a) => a.title || a.posting?.title || "" },
              { label: "Stage", cell: (a) => words(a.stage || a.current?.stage || "") },
              { label: "Next", rowHeader: false, cell: (a) => a.next || a.next_action || "" },
            ],
            apps,
            { className: "data compact" },
          ),
        )
      : null,
  );
}
