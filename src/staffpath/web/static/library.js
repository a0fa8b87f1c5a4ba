// The library page: every stored design with its headline figures, and the ways to make one.

import { api } from "./api.js";
import { canDelete, sharedTag } from "./shared.js";
import { $, h, fill, mark, ms, money, ago, pick, toast, reportError, debounce } from "./ui.js";

const body = $("#designs-body");
const status = $("#library-status");
const empty = $("#library-empty");
const more = $("#library-more");
const search = $("#library-search");
const none = $("#library-none");
more.addEventListener("click", showMore);

const designUrl = (id) => `/designs/${encodeURIComponent(id)}`;

function row(d) {
  const id = pick(d, "id", "design_id");
  const name = pick(d, "name", "title") || `Design ${id}`;
  const updated = ago(pick(d, "updated_at", "updated", "modified_at", "created_at"));
  const meets = pick(d, "meets_goals");
  const problems = pick(d, "problems", "problem_count");
  const hasProblems =
    pick(d, "valid") === false ||
    (typeof problems === "number" ? problems > 0 : Array.isArray(problems) && problems.length > 0);
  const worst = pick(d, "worst_p99_ms", "worst_p99", "p99_ms");
  const cost = pick(d, "cost_per_month", "cost");
  return h(
    "tr",
    { dataset: { designId: id } },
    h(
      "th",
      { scope: "row" },
      h("a", { href: designUrl(id), class: "design-link" }, name),
      sharedTag(d),
      pick(d, "description") ? h("div", { class: "muted small clamp" }, d.description) : null,
    ),
    h(
      "td",
      { class: "center" },
      hasProblems
        ? h("span", { class: "tag tag-warn" }, "has problems")
        : mark(meets, { yes: "meets its goals", no: "misses a goal" }),
    ),
    h("td", { class: "num" }, ms(worst)),
    h("td", { class: "num" }, money(cost)),
    h("td", { title: updated.title }, updated.text),
    h(
      "td",
      { class: "actions" },
      h(
        "a",
        {
          class: "button button-small button-quiet",
          href: `${designUrl(id)}/simulate`,
          "aria-label": `Simulate ${name}`,
        },
        "Simulate",
      ),
      h(
        "button",
        {
          type: "button",
          class: "button button-small button-quiet",
          "data-action": "duplicate",
          "aria-label": `Duplicate ${name}`,
          onclick: () => duplicate(id, name),
        },
        "Duplicate",
      ),
      // Someone else's design (shared with me, as viewer or editor): only its owner deletes.
      canDelete(d)
        ? h(
            "button",
            {
              type: "button",
              class: "button button-small button-danger",
              "data-action": "delete",
              "aria-label": `Delete ${name}`,
              onclick: () => remove(id, name),
            },
            "Delete",
          )
        : null,
    ),
  );
}

// The library comes a page at a time, most recently changed first; "Show more" appends the
// next page, and a reload (after a delete, a duplicate, an import) keeps as many rows shown.
const PAGE = 100;
let shown = 0;

function showStatus(count, total) {
  const noun = `design${total === 1 ? "" : "s"}${wanted() ? ` named like “${wanted()}”` : ""}`;
  status.textContent = !total
    ? ""
    : count < total
      ? `${count} of ${total} ${noun}`
      : `${total} ${noun}`;
  more.hidden = count >= total;
  more.textContent = `Show ${Math.min(PAGE, total - count)} more`;
}

// The search box narrows the library to the names that hold its text (the server filters, so
// every page of a large library is searched); a newer search supersedes an older one.
let generation = 0;
const wanted = () => search.value.trim();

async function load({ focus } = {}) {
  const mine = ++generation;
  const q = wanted();
  try {
    const { rows, total } = await api.designsPage({ limit: Math.max(PAGE, shown), q });
    if (mine !== generation) return;
    shown = rows.length;
    fill(body, ...rows.map(row));
    // nothing at all (the welcome), or nothing that matches the search (say so)
    empty.hidden = total > 0 || q !== "";
    none.hidden = total > 0 || q === "";
    $("#library-none-q").textContent = q;
    $("#designs").hidden = total === 0;
    showStatus(shown, total);
    if (focus !== undefined) {
      const tr = body.querySelector(`tr[data-design-id="${CSS.escape(String(focus))}"]`);
      if (tr) {
        tr.classList.add("flash");
        tr.querySelector("a").focus();
      }
    }
  } catch (err) {
    fill(
      body,
      h(
        "tr",
        { class: "placeholder" },
        h("td", { colspan: 6 }, "The designs could not be loaded."),
      ),
    );
    more.hidden = true;
    reportError(err);
  }
}

async function showMore() {
  more.disabled = true;
  try {
    const { rows, total } = await api.designsPage({ limit: PAGE, offset: shown, q: wanted() });
    body.append(...rows.map(row));
    shown += rows.length;
    showStatus(shown, total);
    // the first new row takes the focus, so a keyboard reader goes on where the list grew
    const id = rows.length ? CSS.escape(String(pick(rows[0], "id"))) : null;
    const first = id === null ? null : body.querySelector(`tr[data-design-id="${id}"] a`);
    if (first) first.focus();
  } catch (err) {
    reportError(err);
  } finally {
    more.disabled = false;
  }
}

async function loadExamples() {
  const select = $("#example-select");
  try {
    const examples = await api.listExamples();
    fill(
      select,
      ...examples.map((e) =>
        h("option", { value: e.name }, e.title && e.title !== e.name ? `${e.title}` : e.name),
      ),
    );
  } catch (err) {
    fill(select, h("option", { value: "" }, "No examples"));
    reportError(err);
  }
}

// A created design opens in the editor; one the server turned down says why.
async function create(body, what) {
  const r = await api.createDesign(body);
  if (!r.ok) {
    const problems = pick(r.data, "problems");
    const detail =
      Array.isArray(problems) && problems.length
        ? problems
            .map((p) => `${p.line ? `line ${p.line}: ` : ""}${p.message}`)
            .slice(0, 3)
            .join("; ")
        : pick(r.data, "detail", "error") || `the server answered ${r.status}`;
    toast(
      `${what} was not created: ${typeof detail === "string" ? detail : JSON.stringify(detail)}`,
      { kind: "error", timeout: 15000 },
    );
    return null;
  }
  return pick(r.data, "id", "design_id");
}

$("#new-example-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const example = $("#example-select").value;
  if (!example) return;
  try {
    const id = await create({ example }, "The design");
    if (id !== null && id !== undefined) location.assign(designUrl(id));
  } catch (err) {
    reportError(err);
  }
});

$("#new-blank").addEventListener("click", async () => {
  try {
    const id = await create({}, "The design");
    if (id !== null && id !== undefined) location.assign(designUrl(id));
  } catch (err) {
    reportError(err);
  }
});

$("#import-file").addEventListener("change", async (event) => {
  const files = [...event.target.files];
  event.target.value = "";
  let last;
  for (const file of files) {
    try {
      const yaml = await file.text();
      const id = await create({ yaml, name: file.name.replace(/\.ya?ml$/i, "") }, `“${file.name}”`);
      if (id !== null && id !== undefined) {
        last = id;
        toast(`Imported “${file.name}”.`);
      }
    } catch (err) {
      reportError(err, `“${file.name}”: `);
    }
  }
  if (files.length === 1 && last !== undefined) location.assign(designUrl(last));
  else if (last !== undefined) load({ focus: last });
});

async function duplicate(id, name) {
  try {
    const copy = await api.duplicateDesign(id);
    toast(`Duplicated “${name}”.`);
    await load({ focus: pick(copy, "id", "design_id") });
  } catch (err) {
    reportError(err);
  }
}

async function remove(id, name) {
  try {
    await api.deleteDesign(id);
    await load();
    const item = toast(`Deleted “${name}”.`, {
      actionLabel: "Undo",
      timeout: 10000,
      action: async () => {
        try {
          await api.undeleteDesign(id);
          await load({ focus: id });
          toast(`Restored “${name}”.`);
        } catch (err) {
          reportError(err);
        }
      },
    });
    // The row and its focus are gone: land on Undo, the likeliest next key press.
    item?.querySelector("button")?.focus();
  } catch (err) {
    reportError(err);
  }
}

search.addEventListener(
  "input",
  debounce(() => {
    shown = 0; // a new search starts again at its first page
    load();
  }, 200),
);

loadExamples();
load();
