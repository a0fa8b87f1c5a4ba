// A career page: the stored documents of one kind (a track assessment, the mentoring log,
// applications...), an editor whose text is checked as you type with its report beside it,
// import, save (a refused text keeps its place and shows its located problems), delete with
// undo, the saved document's pictures and exports. Which kinds exist, and what each offers,
// comes from GET /api/career/kinds: the page knows no kind by name except to pick a renderer.
// A document shared with me carries its owner's tag and offers only what my role allows.

import { api, messageOf } from "./api.js";
import { renderReport } from "./career-reports.js";
import { renderProblems } from "./results.js";
import {
  canDelete,
  canSave,
  deleteButton,
  saveStateText,
  sharedNote,
  sharedTag,
} from "./shared.js";
import { $, h, fill, ago, toast, reportError, debounce } from "./ui.js";

const CHECK_DELAY_MS = 300;

const kindId = document.querySelector("[data-kind]").dataset.kind;
const els = {
  title: $("#kind-title"),
  blurb: $("#kind-blurb"),
  nav: $("#career-nav"),
  newDoc: $("#new-doc"),
  importFile: $("#import-file"),
  status: $("#docs-status"),
  body: $("#docs-body"),
  card: $("#editor-card"),
  heading: $("#editor-heading"),
  name: $("#doc-name"),
  saveState: $("#save-state"),
  saveError: $("#save-error"),
  sharedNote: $("#shared-note"),
  save: $("#save-doc"),
  del: $("#delete-doc"),
  close: $("#close-doc"),
  exportMenu: $("#export"),
  exportList: $("#export-list"),
  file: $("#kind-file"),
  editor: $("#editor"),
  problemsSection: $("#problems-section"),
  problems: $("#problems"),
  report: $("#report"),
  picturesSection: $("#pictures-section"),
  pictures: $("#pictures"),
};

let kind = null; // this page's entry of /api/career/kinds
let docs = []; // the listed documents, with shared_by and role on those shared with me
let editor = null; // CodeMirror (or the textarea fallback) with getText/setText/...
// The document in the editor: {id: number | null (not stored yet), savedText, savedName, updated,
// row}, where row is its entry of the list (null for one not stored yet).
let current = null;
let inflight = null;
let generation = 0;
let saving = false;

// A viewer's changes cannot be saved: they are a scratch pad, never "unsaved changes".
const readOnly = () => current !== null && !canSave(current.row);

const dirty = () =>
  current !== null &&
  editor !== null &&
  !readOnly() &&
  (editor.getText() !== current.savedText || els.name.value !== current.savedName);

function showSaveState(text) {
  els.saveState.textContent =
    text ?? saveStateText({ readOnly: readOnly(), stored: current?.id !== null, dirty: dirty() });
  els.saveState.dataset.state = current?.id === null || dirty() ? "dirty" : "clean";
}

// ---- the kinds: title, blurb, tabs ------------------------------------------------------

async function loadKinds() {
  let kinds;
  try {
    kinds = await api.careerKinds();
  } catch (err) {
    reportError(err);
    return;
  }
  kind = kinds.find((k) => k.id === kindId) || null;
  fill(
    els.nav,
    ...kinds.map((k) =>
      h(
        "a",
        {
          href: `/career/${encodeURIComponent(k.id)}`,
          "aria-current": k.id === kindId ? "page" : null,
          title: k.blurb,
        },
        k.title,
        k.count ? h("span", { class: "count" }, String(k.count)) : null,
      ),
    ),
  );
  if (kind) {
    els.title.textContent = kind.title;
    els.blurb.textContent = kind.blurb;
    els.file.textContent = kind.file;
  }
}

// ---- the list ---------------------------------------------------------------------------

async function loadList({ focus } = {}) {
  try {
    docs = await api.careerList(kindId);
  } catch (err) {
    els.status.textContent = `The documents could not be loaded: ${err.message}`;
    els.status.dataset.state = "failed";
    return;
  }
  els.status.dataset.state = "";
  els.status.textContent = docs.length
    ? `${docs.length} document${docs.length === 1 ? "" : "s"}`
    : "";
  if (!docs.length)
    fill(
      els.body,
      h(
        "tr",
        { class: "placeholder" },
        h(
          "td",
          { colspan: 3 },
          "Nothing stored yet: start from the example, or import the file you keep on disk.",
        ),
      ),
    );
  else fill(els.body, ...docs.map(docRow));
  if (focus !== undefined) {
    const tr = els.body.querySelector(`tr[data-id="${CSS.escape(String(focus))}"]`);
    tr?.classList.add("flash");
  }
}

function docRow(d) {
  const when = ago(d.updated_at);
  return h(
    "tr",
    { dataset: { id: d.id } },
    h(
      "th",
      { scope: "row" },
      h(
        "button",
        { type: "button", class: "link-button doc-title", onclick: () => open(d.id) },
        d.name,
      ),
      sharedTag(d),
    ),
    h("td", { class: "nowrap" }, h("span", { title: when.title }, when.text)),
    h(
      "td",
      { class: "actions" },
      h(
        "button",
        { type: "button", class: "button button-small", onclick: () => open(d.id) },
        "Open",
        h("span", { class: "sr-only" }, `: ${d.name}`),
      ),
      // Only the owner deletes; a viewer or an editor of a shared document may not.
      deleteButton(d, d.name, () => remove(d.id, d.name)),
    ),
  );
}

// ---- the editor -------------------------------------------------------------------------

function makeEditor(text) {
  if (window.staffpathEditor) {
    fill(els.editor);
    const ed = window.staffpathEditor.create(els.editor, text, {
      label: kind ? `${kind.title} text` : "Document text",
      onSave: save,
      onChange: changed,
    });
    els.editor.dataset.state = "ready";
    return ed;
  }
  // Without the bundle a plain textarea does the same work, without marks at the lines.
  const area = h("textarea", {
    class: "code-area",
    rows: 28,
    spellcheck: "false",
    "aria-label": "Document text",
  });
  area.value = text;
  area.addEventListener("input", () => changed(area.value));
  fill(els.editor, area);
  els.editor.dataset.state = "ready";
  return {
    getText: () => area.value,
    setText: (t) => {
      area.value = t;
      changed(t);
    },
    setDiagnostics: () => {},
    setReadOnly: (on) => {
      area.readOnly = Boolean(on);
    },
    goTo: (line) => {
      const lines = area.value.split("\n").slice(0, Math.max(0, line - 1));
      const at = lines.reduce((n, l) => n + l.length + 1, 0);
      area.focus();
      area.setSelectionRange(at, at);
    },
    focus: () => area.focus(),
  };
}

function changed(text) {
  showSaveState();
  checkSoon(text);
}

// What the editor offers for a document: a viewer's is read only, only the owner deletes.
function allow(row) {
  const save = canSave(row);
  els.save.hidden = !save;
  els.name.readOnly = !save;
  els.del.hidden = current.id === null || !canDelete(row);
  els.sharedNote.textContent = sharedNote(row, "document");
  els.sharedNote.hidden = !els.sharedNote.textContent;
}

function edit({ id, text, name, updated, heading }) {
  const row = id === null ? null : docs.find((d) => d.id === id) || null;
  current = { id, savedText: id === null ? "" : text, savedName: name, updated, row };
  els.name.value = name;
  els.heading.textContent = heading;
  els.saveError.textContent = "";
  allow(row);
  els.card.hidden = false;
  if (editor === null) editor = makeEditor(text);
  else editor.setText(text);
  editor.setReadOnly(!canSave(row)); // a viewer's text can be read and copied, not changed
  window.career = { editor, save, check: () => check(editor.getText()) }; // for tests and the console
  showSaveState();
  showSaved();
  check(text);
  els.card.scrollIntoView({ block: "start" });
  editor.focus();
}

async function open(id) {
  if (dirty() && !confirm("Discard the unsaved changes to this document?")) return;
  try {
    const d = await api.careerGet(kindId, id);
    edit({ id: d.id, text: d.text, name: d.name, updated: d.updated_at, heading: d.name });
    history.replaceState(null, "", `#${d.id}`);
  } catch (err) {
    reportError(err, "Not opened: ");
  }
}

async function newDoc() {
  if (dirty() && !confirm("Discard the unsaved changes to this document?")) return;
  try {
    const starter = await api.careerStarter(kindId);
    const title = kind?.title || "Document";
    edit({ id: null, text: starter.text, name: title, heading: `New ${title.toLowerCase()}` });
  } catch (err) {
    reportError(err, "No example: ");
  }
}

// A file read in the browser opens unsaved, as a new document named after the file.
async function importFile(file) {
  if (dirty() && !confirm("Discard the unsaved changes to this document?")) return;
  try {
    const text = await file.text();
    const name = file.name.replace(/\.(ya?ml|json)$/i, "");
    edit({ id: null, text, name, heading: `Imported “${file.name}”` });
    toast(`Read “${file.name}”: check it, then save.`);
  } catch (err) {
    reportError(err, `“${file.name}”: `);
  }
}

function closeEditor() {
  if (dirty() && !confirm("Discard the unsaved changes to this document?")) return;
  current = null;
  els.card.hidden = true;
  history.replaceState(null, "", location.pathname);
}

// ---- the live check --------------------------------------------------------------------

async function check(text) {
  inflight?.abort();
  const controller = new AbortController();
  inflight = controller;
  const mine = ++generation;
  els.report.setAttribute("aria-busy", "true");
  try {
    const r = await api.careerCheck(kindId, text, controller.signal);
    if (mine !== generation) return;
    if (r.ok) {
      showProblems([]);
      els.report.dataset.state = "fresh";
      renderReport(kindId, r.report, els.report);
    } else {
      showProblems(r.problems || []);
      els.report.dataset.state = "stale";
    }
  } catch (err) {
    if (err.name === "AbortError" || mine !== generation) return;
    els.report.dataset.state = "stale";
    showProblems([{ line: 0, column: 0, message: `Not checked: ${err.message}` }]);
  } finally {
    if (mine === generation) els.report.removeAttribute("aria-busy");
  }
}

const checkSoon = debounce((text) => check(text), CHECK_DELAY_MS);

function showProblems(problems) {
  editor?.setDiagnostics(problems);
  renderProblems(els.problemsSection, els.problems, problems, (line, column) =>
    editor.goTo(line, column),
  );
}

// ---- pictures and exports of the saved document ----------------------------------------

function showSaved() {
  const id = current?.id;
  const saved = id !== null && id !== undefined;
  const pictures = saved ? kind?.pictures || [] : [];
  els.picturesSection.hidden = pictures.length === 0;
  const version = encodeURIComponent(current?.updated || "");
  fill(
    els.pictures,
    ...pictures.map((name) =>
      h(
        "figure",
        { class: "career-picture" },
        h("img", {
          src: `${api.careerPictureUrl(kindId, id, name)}?v=${version}`,
          alt: `${name} chart of ${current.savedName}`,
          dataset: { picture: name },
        }),
        h(
          "figcaption",
          { class: "muted small" },
          h(
            "a",
            { href: api.careerPictureUrl(kindId, id, name), download: `${name}.svg` },
            `${name}.svg`,
          ),
        ),
      ),
    ),
  );
  els.exportMenu.hidden = !saved;
  if (!saved) return;
  const exports = [{ id: "file", label: kind ? `The file (${kind.file})` : "The file" }];
  exports.push(...(kind?.exports || []));
  fill(
    els.exportList,
    ...exports.map((e) =>
      h(
        "li",
        {},
        h(
          "a",
          { href: api.careerExportUrl(kindId, id, e.id), download: "", dataset: { export: e.id } },
          e.label,
        ),
      ),
    ),
  );
}

// ---- save, delete, undo ----------------------------------------------------------------

async function save() {
  if (saving || current === null || editor === null || readOnly()) return;
  saving = true;
  els.save.disabled = true;
  showSaveState("Saving…");
  const text = editor.getText();
  const name = els.name.value.trim();
  try {
    const r =
      current.id === null
        ? await api.careerCreate(kindId, text, name)
        : await api.careerSave(kindId, current.id, text, name);
    if (r.ok) {
      const d = r.data;
      const row = current.row;
      current = { id: d.id, savedText: text, savedName: d.name, updated: d.updated_at, row };
      els.name.value = d.name;
      els.heading.textContent = d.name;
      els.saveError.textContent = "";
      els.del.hidden = !canDelete(row);
      history.replaceState(null, "", `#${d.id}`);
      showSaveState("Saved");
      showSaved();
      if (d.report) {
        showProblems([]);
        renderReport(kindId, d.report, els.report);
      }
      await Promise.all([loadList({ focus: d.id }), loadKinds()]);
    } else {
      // The text stays as typed; its problems are shown where they are.
      const problems = r.data?.problems;
      if (Array.isArray(problems)) showProblems(problems);
      els.saveError.textContent = `Not saved: ${messageOf(r.data, r.status)}`;
      showSaveState("Not saved");
      els.saveState.dataset.state = "failed";
    }
  } catch (err) {
    showSaveState("Not saved");
    reportError(err, "Not saved: ");
  } finally {
    saving = false;
    els.save.disabled = false;
  }
}

async function remove(id, name) {
  try {
    await api.careerDelete(kindId, id);
    if (current?.id === id) {
      current = null;
      els.card.hidden = true;
      history.replaceState(null, "", location.pathname);
    }
    await Promise.all([loadList(), loadKinds()]);
    const item = toast(`Deleted “${name}”.`, {
      actionLabel: "Undo",
      timeout: 10000,
      action: async () => {
        try {
          await api.careerUndelete(kindId, id);
          await Promise.all([loadList({ focus: id }), loadKinds()]);
          toast(`Restored “${name}”.`);
        } catch (err) {
          reportError(err);
        }
      },
    });
    item?.querySelector("button")?.focus();
  } catch (err) {
    reportError(err);
  }
}

// ---- start ------------------------------------------------------------------------------

function menuBehaviour(menu) {
  document.addEventListener("click", (event) => {
    if (menu.open && !menu.contains(event.target)) menu.open = false;
  });
  menu.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && menu.open) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });
}

async function start() {
  els.newDoc.addEventListener("click", newDoc);
  els.importFile.addEventListener("change", (event) => {
    const [file] = event.target.files;
    event.target.value = "";
    if (file) importFile(file);
  });
  els.save.addEventListener("click", save);
  els.del.addEventListener("click", () => current?.id && remove(current.id, current.savedName));
  els.close.addEventListener("click", closeEditor);
  els.name.addEventListener("input", () => showSaveState());
  menuBehaviour(els.exportMenu);
  document.addEventListener("keydown", (event) => {
    const key = event.key.toLowerCase();
    if (
      (event.ctrlKey || event.metaKey) &&
      !event.altKey &&
      key === "s" &&
      !event.defaultPrevented
    ) {
      if (current === null) return;
      event.preventDefault();
      if (!event.repeat) save();
    }
  });
  window.addEventListener("beforeunload", (event) => {
    if (dirty()) event.preventDefault();
  });
  // The editor bundle is a deferred classic script: it has run before this module's body.
  await loadKinds();
  await loadList();
  const wanted = Number(location.hash.slice(1));
  if (wanted) open(wanted);
}

start();
