// The story bank page: the stored stories, an editor whose check runs as you type, import
// and export, the coverage of the question bank, and rehearsal with a clock. The address
// /stories#12 opens story 12 (the Sharing page links a shared story there); a story shared
// with me carries its owner's tag and offers only what its role allows.

import { api, messageOf } from "./api.js";
import {
  clockText,
  rehearsal,
  renderCheck,
  renderCheckError,
  renderCoverage,
  strengthTag,
} from "./story-parts.js";
import {
  canDelete,
  canSave,
  deleteButton,
  saveStateText,
  sharedNote,
  sharedTag,
} from "./shared.js";
import { $, h, fill, ago, toast, reportError, debounce, latestOnly } from "./ui.js";

const CHECK_DELAY_MS = 300;

const els = {
  status: $("#stories-status"),
  body: $("#stories-body"),
  newStory: $("#new-story"),
  importFile: $("#import-file"),
  card: $("#editor-card"),
  heading: $("#editor-heading"),
  text: $("#story-text"),
  format: $("#story-format"),
  save: $("#save-story"),
  del: $("#delete-story"),
  close: $("#close-story"),
  saveState: $("#save-state"),
  saveError: $("#save-error"),
  sharedNote: $("#shared-note"),
  address: $("#address-status"),
  check: $("#check"),
  matrix: $("#matrix"),
  questionsBody: $("#questions-body"),
  questionsCount: $("#questions-count"),
  gapsOnly: $("#gaps-only"),
};

let stories = [];
let listed = false; // whether the list has loaded: only then does it say what exists
let coverage = null;
// The story in the editor: {id: number | null (not stored yet), savedText, savedFormat, row}
// where row is its entry of the list (its shared_by and role when it is someone else's).
let current = null;
let inflight = null;
let generation = 0;

const dirty = () =>
  current !== null &&
  (els.text.value !== current.savedText || els.format.value !== current.savedFormat);

function showSaveState(text) {
  const readOnly = current !== null && !canSave(current.row);
  els.saveState.textContent =
    text ?? saveStateText({ readOnly, stored: current?.id !== null, dirty: dirty() });
  els.saveState.dataset.state = current?.id === null || dirty() ? "dirty" : "clean";
}

// ---- the list -------------------------------------------------------------------------

async function loadStories() {
  try {
    stories = await api.listStories();
  } catch (err) {
    els.status.textContent = `The stories could not be loaded: ${err.message}`;
    els.status.dataset.state = "failed";
    return;
  }
  listed = true;
  els.status.dataset.state = "";
  const strong = stories.filter((s) => s.check?.strength === "strong").length;
  els.status.textContent = stories.length
    ? `${stories.length} stor${stories.length === 1 ? "y" : "ies"}, ${strong} strong.`
    : "";
  if (!stories.length)
    fill(
      els.body,
      h(
        "tr",
        { class: "placeholder" },
        h("td", { colspan: 7 }, "No stories yet: start a new one, or import a .yaml or .md file."),
      ),
    );
  else fill(els.body, ...stories.map(storyRow));
  markOpen();
  rehearse.refresh();
}

const storyOf = (id) => stories.find((s) => s.id === id) || null;

// The open story's row stands out in the list.
function markOpen() {
  const open = current?.id ?? null;
  for (const tr of els.body.querySelectorAll("tr[data-id]")) {
    if (open !== null && tr.dataset.id === String(open)) tr.setAttribute("aria-current", "true");
    else tr.removeAttribute("aria-current");
  }
}

function storyRow(s) {
  const when = ago(s.updated_at);
  const check = s.check;
  return h(
    "tr",
    { dataset: { id: s.id, strength: check?.strength || "broken" } },
    h(
      "th",
      { scope: "row" },
      h(
        "button",
        { type: "button", class: "link-button story-title", onclick: () => openStory(s.id) },
        s.title,
      ),
      sharedTag(s),
      s.summary ? h("div", { class: "muted small clamp" }, s.summary) : null,
    ),
    h(
      "td",
      { class: "tags" },
      ...(s.competencies || []).map((c) => h("span", { class: "tag" }, c)),
    ),
    h(
      "td",
      {},
      s.broken
        ? h("span", { class: "tag tag-bad", title: "stored before a stricter check" }, "broken")
        : strengthTag(check.strength),
    ),
    h("td", { class: "num" }, check ? String(check.score) : "—"),
    h("td", { class: "num" }, check ? clockText(check.seconds) : "—"),
    h("td", { class: "nowrap" }, h("span", { title: when.title }, when.text)),
    h(
      "td",
      { class: "actions" },
      // A viewer reads (Open), an editor edits; only the owner deletes.
      h(
        "button",
        { type: "button", class: "button button-small", onclick: () => openStory(s.id) },
        canSave(s) ? "Edit" : "Open",
        h("span", { class: "sr-only" }, `: ${s.title}`),
      ),
      deleteButton(s, s.title, () => remove(s.id, s.title)),
    ),
  );
}

// ---- coverage -------------------------------------------------------------------------

async function loadCoverage() {
  try {
    coverage = await api.storyCoverage();
  } catch (err) {
    const cell = h("td", { colspan: 5 }, err.message);
    fill(els.questionsBody, h("tr", { class: "placeholder" }, cell));
    return;
  }
  drawCoverage();
}

function drawCoverage() {
  if (!coverage) return;
  renderCoverage(coverage, stories, {
    matrix: els.matrix,
    body: els.questionsBody,
    count: els.questionsCount,
    gapsOnly: els.gapsOnly.checked,
    onOpen: (id) => id && openStory(id),
  });
}

async function refresh() {
  await loadStories();
  await loadCoverage();
}

// ---- the editor -----------------------------------------------------------------------

// What the editor offers for a story: a viewer's is read only, only the owner deletes.
function allow(row) {
  const save = canSave(row);
  els.text.readOnly = !save;
  els.format.disabled = !save;
  els.save.hidden = !save;
  els.del.hidden = current.id === null || !canDelete(row);
  els.sharedNote.textContent = sharedNote(row, "story");
  els.sharedNote.hidden = !els.sharedNote.textContent;
}

function edit(id, text, format, heading) {
  const row = id === null ? null : storyOf(id);
  current = { id, savedText: id === null ? "" : text, savedFormat: format, row };
  els.text.value = text;
  els.format.value = format;
  els.heading.textContent = heading;
  els.saveError.textContent = "";
  allow(row);
  els.card.hidden = false;
  markOpen();
  setAddress(id);
  showSaveState();
  check();
  els.card.scrollIntoView({ block: "start" });
  els.text.focus();
}

// The address names the open story (#12), so it can be kept, reloaded and linked.
function setAddress(id) {
  const hash = id === null || id === undefined ? "" : `#${id}`;
  history.replaceState(null, "", `${location.pathname}${location.search}${hash}`);
}

// Two stories clicked in quick succession open the second, whichever answer comes last.
const opening = latestOnly();

async function openStory(id) {
  if (dirty() && !confirm("Discard the unsaved changes to this story?")) return;
  const current = opening();
  try {
    const s = await api.getStory(id);
    if (!current()) return;
    edit(s.id, s.text, s.format, s.title);
    if (s.broken) els.saveError.textContent = s.problem;
  } catch (err) {
    reportError(err, "Not opened: ");
  }
}

// /stories#12 (or #story-12, the coverage's name for it) opens story 12 once the list is in;
// one the list does not hold (deleted, never shared with me, a typo) is said so above it.
const ADDRESS = /^#(?:story-)?(\d+)$/;

async function openFromAddress() {
  const found = ADDRESS.exec(location.hash);
  els.address.hidden = true;
  els.address.textContent = "";
  if (!found || !listed) return;
  const id = Number(found[1]);
  if (current?.id === id) return;
  if (!storyOf(id)) {
    els.address.textContent =
      `There is no story ${id} for you to open: it was deleted, or it is not shared with ` +
      "you (any longer). Your stories are listed below.";
    els.address.hidden = false;
    els.address.scrollIntoView({ block: "nearest" });
    return;
  }
  await openStory(id);
}

async function newStory() {
  if (dirty() && !confirm("Discard the unsaved changes to this story?")) return;
  try {
    const starter = await api.storyStarter();
    edit(null, starter.text, starter.format, "New story");
  } catch (err) {
    reportError(err, "No starter: ");
  }
}

// One check in flight: a newer one aborts the older, and an older answer never overwrites a
// newer one.
async function check() {
  inflight?.abort();
  const controller = new AbortController();
  inflight = controller;
  const mine = ++generation;
  els.check.setAttribute("aria-busy", "true");
  const text = els.text.value;
  try {
    if (!text.trim()) {
      renderCheckError(els.check, "The story is empty.");
      return;
    }
    const r = await api.checkStory(text, els.format.value, controller.signal);
    if (mine !== generation) return;
    if (r.ok) renderCheck(els.check, r.data);
    else renderCheckError(els.check, messageOf(r.data, r.status));
  } catch (err) {
    if (err.name !== "AbortError" && mine === generation) renderCheckError(els.check, err.message);
  } finally {
    if (mine === generation) els.check.removeAttribute("aria-busy");
  }
}

const checkSoon = debounce(check, CHECK_DELAY_MS);

async function save() {
  if (!current || !canSave(current.row)) return;
  const text = els.text.value;
  const format = els.format.value;
  els.save.disabled = true;
  showSaveState("Saving…");
  try {
    const r =
      current.id === null
        ? await api.createStory(text, format)
        : await api.saveStory(current.id, text, format);
    if (!r.ok) {
      els.saveError.textContent = `Not saved: ${messageOf(r.data, r.status)}`;
      showSaveState();
      return;
    }
    const created = current.id === null;
    current = { id: r.data.id, savedText: text, savedFormat: format, row: current.row };
    els.heading.textContent = r.data.title;
    els.saveError.textContent = "";
    els.del.hidden = !canDelete(current.row);
    if (created) setAddress(r.data.id);
    showSaveState();
    renderCheck(els.check, r.data.check);
    toast(created ? `Saved “${r.data.title}”.` : `Saved.`);
    await refresh();
  } catch (err) {
    showSaveState();
    reportError(err, "Not saved: ");
  } finally {
    els.save.disabled = false;
  }
}

async function remove(id, title) {
  try {
    await api.deleteStory(id);
  } catch (err) {
    reportError(err, "Not deleted: ");
    return;
  }
  if (current?.id === id) closeEditor(true);
  toast(`Deleted “${title}”.`, {
    action: async () => {
      try {
        await api.undeleteStory(id);
        toast(`Restored “${title}”.`);
        await refresh();
      } catch (err) {
        reportError(err, "Not restored: ");
      }
    },
  });
  await refresh();
}

function closeEditor(force = false) {
  if (!force && dirty() && !confirm("Discard the unsaved changes to this story?")) return;
  current = null;
  els.card.hidden = true;
  markOpen();
  setAddress(null);
}

// ---- import ---------------------------------------------------------------------------

const formatOf = (name) => (/\.(md|markdown)$/i.test(name) ? "markdown" : "yaml");

async function importFile(event) {
  const file = event.target.files[0];
  event.target.value = "";
  if (!file) return;
  const format = formatOf(file.name);
  let text;
  try {
    text = await file.text();
    const r = await api.createStory(text, format);
    if (r.ok) {
      toast(`Imported “${r.data.title}”: ${r.data.check.strength}, ${r.data.check.score}/100.`);
      await refresh();
      edit(r.data.id, r.data.text, r.data.format, r.data.title);
      return;
    }
    // Not stored: open it as a new story so the problem can be fixed and saved.
    edit(null, text, format, `New story from ${file.name}`);
    els.saveError.textContent = `Not imported: ${messageOf(r.data, r.status)}`;
  } catch (err) {
    reportError(err, `“${file.name}”: `);
  }
}

// ---- start ----------------------------------------------------------------------------

const rehearse = rehearsal({ stories: () => stories });

els.newStory.addEventListener("click", newStory);
els.importFile.addEventListener("change", importFile);
els.save.addEventListener("click", save);
els.close.addEventListener("click", () => closeEditor());
els.del.addEventListener("click", () => {
  const s = stories.find((x) => x.id === current?.id);
  if (current?.id) remove(current.id, s ? s.title : els.heading.textContent);
});
els.text.addEventListener("input", () => {
  showSaveState();
  checkSoon();
});
els.format.addEventListener("change", () => {
  showSaveState();
  check();
});
els.gapsOnly.addEventListener("change", drawCoverage);
document.addEventListener("keydown", (event) => {
  if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s" && current) {
    event.preventDefault();
    save();
  }
});
window.addEventListener("beforeunload", (event) => {
  if (dirty()) event.preventDefault();
});
window.addEventListener("hashchange", openFromAddress);

api
  .storyStarter()
  .then((s) => rehearse.setCompetencies(s.competencies))
  .catch((err) => reportError(err, "The competencies could not be loaded: "));
loadStories().then(() => Promise.all([openFromAddress(), loadCoverage()]));
// for browser tests and the console
window.studio = { check: () => check(), stories: () => stories };
