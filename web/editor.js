// The studio's design editor: CodeMirror 6 with YAML highlighting, lint diagnostics placed
// from the engine's located problems, and completion driven by the design language's JSON
// Schema (`staffpath schema`).
//
// scripts/web-build.sh bundles this file into src/staffpath/web/static/vendor/editor.js, one
// minified script that sets window.staffpathEditor:
//
//   const ed = staffpathEditor.create(parent, yamlText, {onChange(text) {}, onSave() {}, schema, nonce, readOnly});
//   ed.setDiagnostics([{line, column, message, hint, severity, path}]);   // 1-based line/column
//   ed.getText(); ed.setText(text); ed.goTo(line, column); ed.focus(); ed.view  // the EditorView
//   ed.setReadOnly(true)  // lock (or unlock) the text, as the readOnly option does at creation
//
// onChange fires on every change of the text, setText included. Completion reads the schema
// only: a key's properties, enum values, const and examples, plus the document's own component
// names (and component.operation) where a flow step is expected.
//
// CodeMirror writes its theme into a <style> element at run time; the studio's
// Content-Security-Policy applies it only if it carries the page's nonce. `nonce` defaults to
// the one the page gives in <meta name="csp-nonce" nonce="...">.

import { EditorView, basicSetup } from "codemirror";
import { keymap } from "@codemirror/view";
import { Compartment, EditorState } from "@codemirror/state";
import { indentUnit, HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { tags as t } from "@lezer/highlight";
import { yaml } from "@codemirror/lang-yaml";
import { setDiagnostics, lintGutter } from "@codemirror/lint";
import { autocompletion } from "@codemirror/autocomplete";
import { indentWithTab } from "@codemirror/commands";
import { schemaCompletions } from "./schema-complete.js";

const theme = EditorView.theme({
  "&": { height: "100%", fontSize: "13.5px", backgroundColor: "#fff" },
  ".cm-scroller": {
    fontFamily: "ui-monospace, 'DejaVu Sans Mono', 'Liberation Mono', Menlo, Consolas, monospace",
    lineHeight: "1.5",
  },
  ".cm-gutters": { backgroundColor: "#f6f8fa", borderRight: "1px solid #d0d7de", color: "#6e7781" },
  ".cm-activeLineGutter": { backgroundColor: "#eaeef2" },
  ".cm-activeLine": { backgroundColor: "#f6f8fa80" },
  "&.cm-focused": { outline: "2px solid #0969da", outlineOffset: "-2px" },
  ".cm-tooltip-lint, .cm-tooltip-autocomplete": { fontSize: "13px" },
  ".cm-diagnosticText": { whiteSpace: "pre-wrap" },
});

// Quiet colours in the spirit of GitHub's light theme: keys stand out, comments step back.
const highlight = HighlightStyle.define([
  { tag: t.comment, color: "#6e7781", fontStyle: "italic" },
  { tag: [t.definition(t.propertyName), t.propertyName], color: "#0550ae" },
  { tag: [t.string, t.special(t.string), t.attributeValue], color: "#0a3069" },
  { tag: [t.number, t.bool, t.null, t.atom, t.keyword], color: "#cf222e" },
  { tag: [t.labelName, t.typeName], color: "#8250df" },
  { tag: [t.separator, t.punctuation, t.brace, t.squareBracket], color: "#57606a" },
  { tag: t.contentSeparator, color: "#8250df", fontWeight: "bold" },
]);

function clamp(n, lo, hi) {
  return Math.max(lo, Math.min(hi, n));
}

// A problem's span: from its column to the end of the word or scalar there, at least one char.
function toDiagnostic(doc, problem) {
  const lineNo = clamp(Number(problem.line) || 1, 1, doc.lines);
  const line = doc.line(lineNo);
  const col = clamp((Number(problem.column) || 1) - 1, 0, line.length);
  const from = line.from + col;
  const rest = line.text.slice(col);
  const m = /^[^\s,{}\[\]#]+(?:[ \t]+[^\s,{}\[\]#:]+)*/.exec(rest);
  let to = from + (m ? m[0].length : 0);
  if (to === from) to = Math.min(line.to, from + 1); // an empty line: a point diagnostic
  return { from, to, ...text(problem) };
}

function text(problem) {
  const severity =
    problem.severity === "warning" ? "warning" : problem.severity === "info" ? "info" : "error";
  const where = problem.path ? `${problem.path}: ` : "";
  const hint = problem.hint ? `\n${problem.hint}` : "";
  return { severity, message: `${where}${problem.message}${hint}`, source: "staffpath" };
}

// The nonce of the page's style elements (the browser hides the attribute; the property keeps it).
function pageNonce() {
  return document.querySelector('meta[name="csp-nonce"]')?.nonce || "";
}

function create(parent, doc, options = {}) {
  const {
    onChange,
    onSave,
    schema,
    label = "Design YAML",
    nonce = pageNonce(),
    readOnly = false,
  } = options;
  const extensions = [
    basicSetup,
    yaml(),
    indentUnit.of("  "),
    EditorState.tabSize.of(2),
    keymap.of([
      indentWithTab,
      {
        key: "Mod-s",
        preventDefault: true,
        run: () => {
          if (onSave) onSave();
          return Boolean(onSave);
        },
      },
    ]),
    lintGutter(),
    theme,
    syntaxHighlighting(highlight),
    EditorView.contentAttributes.of({ "aria-label": label }),
    EditorView.cspNonce.of(nonce || ""),
    EditorView.updateListener.of((update) => {
      if (update.docChanged && onChange) onChange(update.state.doc.toString());
    }),
  ];
  if (schema) extensions.push(autocompletion({ override: [schemaCompletions(schema)] }));
  // Someone else's text shared with me to read: it can be selected and copied, not changed.
  // In a compartment, so a page that reuses one editor for several texts can switch it.
  const lock = new Compartment();
  const locked = (on) => (on ? [EditorState.readOnly.of(true), EditorView.editable.of(false)] : []);
  extensions.push(lock.of(locked(readOnly)));
  const view = new EditorView({ doc: doc || "", extensions, parent });

  return {
    view,
    getText: () => view.state.doc.toString(),
    setText(value) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: value || "" } });
    },
    setDiagnostics(problems) {
      const doc = view.state.doc;
      const diagnostics = (problems || []).map((p) => toDiagnostic(doc, p));
      view.dispatch(setDiagnostics(view.state, diagnostics));
    },
    // Put the cursor at a 1-based line and column and show it.
    goTo(line, column = 1) {
      const doc = view.state.doc;
      const l = doc.line(clamp(Number(line) || 1, 1, doc.lines));
      const anchor = l.from + clamp((Number(column) || 1) - 1, 0, l.length);
      view.dispatch({ selection: { anchor }, scrollIntoView: true });
      view.focus();
    },
    focus: () => view.focus(),
    setReadOnly(on) {
      view.dispatch({ effects: lock.reconfigure(locked(Boolean(on))) });
    },
    destroy: () => view.destroy(),
  };
}

window.staffpathEditor = { create };
