// The design editor page: YAML on the left, the live analysis on the right.
//
// Typing re-analyses after a short pause (one request in flight: a newer one aborts the
// older); problems become editor diagnostics and a list; a valid design redraws the results
// and the diagram. Save (button, Ctrl/Cmd+S) stores a version; History lists, diffs and
// restores versions.

import { api } from "./api.js";
import { versionHistory } from "./history.js";
import { renderAnalysis, renderProblems, setVerdict } from "./results.js";
import { canSave, saveStateText, sharedNote } from "./shared.js";
import { $, h, fill, pick, toast, reportError, debounce, safeSvg } from "./ui.js";

const ANALYZE_DELAY_MS = 150;

const designId = document.querySelector("[data-design-id]").dataset.designId;
const els = {
  name: $("#design-name"),
  editor: $("#editor"),
  saveState: $("#save-state"),
  sharedNote: $("#shared-note"),
  save: $("#save"),
  verdict: $("#verdict"),
  summary: $("#summary"),
  problemsSection: $("#problems-section"),
  problems: $("#problems"),
  analysis: $("#analysis"),
  goals: $("#goals"),
  flows: $("#flows"),
  components: $("#components"),
  chart: $("#chart-utilization"),
  diagram: $("#diagram"),
  estimates: $("#estimates"),
  cost: $("#cost"),
  assumptions: $("#assumptions"),
  versions: $("#versions"),
  dialog: $("#diff-dialog"),
  diff: $("#diff"),
  diffTitle: $("#diff-title"),
  diffRestore: $("#diff-restore"),
};

const history = versionHistory({
  designId,
  list: els.versions,
  dialog: els.dialog,
  diff: els.diff,
  title: els.diffTitle,
  restoreButton: els.diffRestore,
  onRestore: (n) => restore(n),
});

let editor = null;
let savedText = "";
let saving = false;
let readOnly = false; // a design shared with me as viewer: read, analyse, export; never saved
let inflight = null; // AbortController of the newest analysis
let generation = 0;

const dirty = () => editor !== null && editor.getText() !== savedText;

function showSaveState(text) {
  els.saveState.textContent =
    text ?? saveStateText({ readOnly, stored: true, dirty: dirty() });
  els.saveState.dataset.state = dirty() ? "dirty" : "clean";
}

// ---- analysis ---------------------------------------------------------------------------

async function analyze(text) {
  inflight?.abort();
  const controller = new AbortController();
  inflight = controller;
  const mine = ++generation;
  els.analysis.setAttribute("aria-busy", "true");
  try {
    const r = await api.analyze(text, controller.signal);
    if (mine !== generation) return;
    const problems = pick(r.data, "problems") || [];
    editor.setDiagnostics(problems);
    showProblems(problems);
    if (r.ok && r.data && r.data.analysis) {
      showAnalysis(r.data.analysis);
      drawDiagram(text, controller.signal, mine);
    } else if (r.status === 422 || (r.data && r.data.ok === false)) {
      renderInvalid(problems);
    } else {
      renderFailure(`The analysis failed: the server answered ${r.status}.`);
    }
  } catch (err) {
    if (err.name === "AbortError") return;
    if (mine === generation) renderFailure(err.message);
  } finally {
    if (mine === generation) els.analysis.removeAttribute("aria-busy");
  }
}

const analyzeSoon = debounce((text) => analyze(text), ANALYZE_DELAY_MS);

function showProblems(problems) {
  renderProblems(els.problemsSection, els.problems, problems, (line, column) =>
    editor.goTo(line, column),
  );
}

function showAnalysis(a) {
  els.analysis.dataset.state = "fresh";
  if (a.design) {
    els.name.textContent = a.design;
    document.title = `${a.design} · staffpath studio`;
  }
  renderAnalysis(els, a);
}

function renderInvalid(problems) {
  const errors = problems.filter((p) => p.severity !== "warning").length || problems.length;
  setVerdict(
    els.verdict,
    "invalid",
    `${errors} problem${errors === 1 ? "" : "s"} to fix`,
    els.analysis.dataset.state === "pending"
      ? "The results appear once the design checks."
      : "The results below are from the last version that checked.",
  );
  if (els.analysis.dataset.state !== "pending") els.analysis.dataset.state = "stale";
}

function renderFailure(message) {
  setVerdict(els.verdict, "error", "No analysis", message);
  if (els.analysis.dataset.state !== "pending") els.analysis.dataset.state = "stale";
}

async function drawDiagram(text, signal, mine) {
  try {
    const svgText = await api.diagram(text, signal);
    if (mine !== generation) return;
    const svg = typeof svgText === "string" ? safeSvg(svgText) : null;
    if (svg) {
      svg.removeAttribute("width");
      svg.removeAttribute("height");
      fill(els.diagram, svg);
    } else fill(els.diagram, h("p", { class: "muted" }, "The diagram could not be drawn."));
  } catch (err) {
    if (err.name === "AbortError" || mine !== generation) return;
    fill(els.diagram, h("p", { class: "muted" }, `The diagram could not be drawn: ${err.message}`));
  }
}

// ---- saving and versions ----------------------------------------------------------------

async function save() {
  if (saving || editor === null || readOnly) return;
  saving = true;
  els.save.disabled = true;
  showSaveState("Saving…");
  const text = editor.getText();
  try {
    const r = await api.saveDesign(designId, text);
    if (r.ok) {
      savedText = text;
      const version = pick(r.data, "version", "latest_version");
      showSaveState(typeof version === "number" ? `Saved as version ${version}` : "Saved");
      history.load();
    } else {
      showSaveState("Not saved");
      const problems = pick(r.data, "problems");
      if (Array.isArray(problems)) {
        editor.setDiagnostics(problems);
        showProblems(problems);
      }
      toast(
        `Not saved: ${pick(r.data, "detail") || (problems ? `${problems.length} problem(s) to fix first` : `the server answered ${r.status}`)}`,
        { kind: "error" },
      );
    }
  } catch (err) {
    showSaveState("Not saved");
    reportError(err, "Not saved: ");
  } finally {
    saving = false;
    els.save.disabled = false;
  }
}

async function restore(n) {
  if (readOnly) return;
  if (dirty() && !confirm(`Restore version ${n}? Your unsaved changes will be replaced.`)) return;
  try {
    await api.restoreVersion(designId, n);
    const design = await api.getDesign(designId);
    const yaml = pick(design, "yaml", "text") || "";
    savedText = yaml;
    editor.setText(yaml);
    showSaveState(`Restored version ${n}`);
    toast(`Restored version ${n} as the latest version.`);
    history.load();
  } catch (err) {
    reportError(err, "Not restored: ");
  }
}

// The export menu closes on Escape (focus back on its button) and on a click elsewhere.
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

// ---- start --------------------------------------------------------------------------------

function onKeydown(event) {
  if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "s") {
    event.preventDefault();
    if (!event.repeat) save();
  }
}

async function start() {
  let design;
  let schema = null;
  try {
    [design, schema] = await Promise.all([api.getDesign(designId), api.schema().catch(() => null)]);
  } catch (err) {
    els.editor.dataset.state = "error";
    fill(
      els.editor,
      h("p", { class: "pane-error" }, `This design could not be loaded: ${err.message}`),
    );
    setVerdict(els.verdict, "error", "Not loaded", err.message);
    return;
  }
  const name = pick(design, "name", "title");
  if (name) {
    els.name.textContent = name;
    document.title = `${name} · staffpath studio`;
  }
  savedText = pick(design, "yaml", "text") || "";
  // Someone else's design: an editor may save it; a viewer reads it (the API would refuse).
  readOnly = !canSave(design);
  els.save.hidden = readOnly;
  document.body.classList.toggle("read-only", readOnly);
  els.sharedNote.textContent = sharedNote(design, "design");
  els.sharedNote.hidden = !els.sharedNote.textContent;
  if (!window.staffpathEditor) {
    fill(
      els.editor,
      h("p", { class: "pane-error" }, "The editor bundle (static/vendor/editor.js) did not load."),
    );
    return;
  }
  fill(els.editor);
  editor = window.staffpathEditor.create(els.editor, savedText, {
    schema,
    label: "Design YAML",
    readOnly,
    onSave: save,
    onChange: (text) => {
      showSaveState();
      analyzeSoon(text);
    },
  });
  els.editor.dataset.state = "ready";
  $("#complete-hint").hidden = !schema;
  window.studio = { editor, analyze: () => analyze(editor.getText()), save }; // for browser tests and the console
  showSaveState();
  els.save.addEventListener("click", save);
  menuBehaviour($("#export"));
  document.addEventListener("keydown", (event) => {
    if (!event.defaultPrevented) onKeydown(event);
  });
  window.addEventListener("beforeunload", (event) => {
    if (dirty()) event.preventDefault();
  });
  analyze(savedText);
  history.load();
}

start();
