// The editor page's History: the saved versions, newest first, each with its changes
// against the one before (a unified diff in a dialog) and a Restore button.

import { api } from "./api.js";
import { h, fill, mark, ago, pick } from "./ui.js";

const versionNumber = (v) => pick(v, "version", "n", "number");

// list: the <ol>; dialog, diff, title, restoreButton: the diff dialog's parts; onRestore(n)
// restores version n (the page owns the editor, so it decides what restoring means).
export function versionHistory({ designId, list, dialog, diff, title, restoreButton, onRestore }) {
  async function load() {
    try {
      const data = await api.listVersions(designId);
      const versions = (Array.isArray(data) ? data : pick(data, "versions", "items") || [])
        .slice()
        .sort((x, y) => versionNumber(y) - versionNumber(x));
      const latest = versions.length ? versionNumber(versions[0]) : null;
      const numbers = versions.map(versionNumber);
      fill(
        list,
        ...versions.map((v) => {
          const n = versionNumber(v);
          const when = ago(pick(v, "created_at", "saved_at", "updated_at"));
          const previous = numbers.filter((m) => m < n).reduce((a, b) => Math.max(a, b), -Infinity);
          const note = pick(v, "message", "summary", "note");
          return h(
            "li",
            { class: "version", dataset: { version: n } },
            h(
              "div",
              { class: "version-main" },
              h("strong", {}, `Version ${n}`),
              n === latest ? h("span", { class: "tag" }, "latest") : null,
              h("span", { class: "muted", title: when.title }, when.text),
              v.meets_goals === undefined || v.meets_goals === null
                ? null
                : mark(v.meets_goals, {
                    yes: "met its goals",
                    no: "missed a goal",
                  }),
              note ? h("div", { class: "muted small" }, note) : null,
            ),
            h(
              "div",
              { class: "version-actions" },
              Number.isFinite(previous)
                ? h(
                    "button",
                    {
                      type: "button",
                      class: "button button-small button-quiet",
                      "data-action": "diff",
                      onclick: () => showDiff(previous, n, n !== latest),
                    },
                    "Changes",
                  )
                : h("span", { class: "muted small" }, "first version"),
              n !== latest
                ? h(
                    "button",
                    {
                      type: "button",
                      class: "button button-small",
                      "data-action": "restore",
                      onclick: () => onRestore(n),
                    },
                    "Restore",
                  )
                : null,
            ),
          );
        }),
      );
      if (!versions.length) list.append(h("li", { class: "muted" }, "No saved versions yet."));
    } catch (err) {
      fill(list, h("li", { class: "muted" }, `History unavailable: ${err.message}`));
    }
  }

  async function showDiff(a, b, restorable) {
    title.textContent = `Changes from version ${a} to version ${b}`;
    fill(diff, "Loading…");
    restoreButton.hidden = !restorable;
    restoreButton.onclick = () => {
      dialog.close();
      onRestore(b);
    };
    dialog.showModal();
    try {
      const data = await api.diffVersions(designId, a, b);
      const text = typeof data === "string" ? data : pick(data, "diff", "text", "unified") || "";
      fill(
        diff,
        ...(text.trim() ? text.split("\n") : ["(no changes)"]).map((line) => {
          const kind = line.startsWith("@@")
            ? "hunk"
            : line.startsWith("+++") || line.startsWith("---")
              ? "file"
              : line.startsWith("+")
                ? "add"
                : line.startsWith("-")
                  ? "del"
                  : "ctx";
          return h("span", { class: `diff-line diff-${kind}` }, `${line}\n`);
        }),
      );
    } catch (err) {
      fill(diff, `The changes could not be loaded: ${err.message}`);
    }
  }

  return { load };
}
