// What a list row shared with me may do, and the tag that says who shared it. The lists of a
// multi-user studio (designs, stories, career documents) mark a row someone else owns with
// `shared_by` (its owner) and `role` ("viewer" or "editor"); the actor's own rows carry
// neither (docs/security.md). The API decides: a viewer reads, an editor also saves, only the
// owner deletes; the pages offer no more than that.

import { h } from "./ui.js";

export const isShared = (row) => Boolean(row && row.shared_by);

// Saving: the owner and an editor.
export const canSave = (row) => !isShared(row) || row.role === "editor";

// Deleting (and undeleting, sharing again): the owner only.
export const canDelete = (row) => !isShared(row);

// "shared by ana · viewer", or null for the actor's own row.
export function sharedTag(row) {
  if (!isShared(row)) return null;
  const role = row.role === "editor" ? "editor" : "viewer";
  return h(
    "span",
    {
      class: `tag shared-tag share-role-${role}`,
      title:
        role === "editor"
          ? `${row.shared_by} shares it with you: you may edit it`
          : `${row.shared_by} shares it with you: read only`,
      dataset: { sharedBy: row.shared_by, role },
    },
    `shared by ${row.shared_by} · ${role}`,
  );
}

// The sentence over an editor holding a shared object, or "" for the actor's own.
export function sharedNote(row, what) {
  if (!isShared(row)) return "";
  const by = row.shared_by;
  return row.role === "editor"
    ? `Shared with you by ${by} as editor: you may save changes to this ${what}; only ${by} may delete it.`
    : `Shared with you by ${by} as viewer: this ${what} is read only for you.`;
}

// A list row's Delete button ("Delete: <name>" to a screen reader), or null when the row is
// someone else's: only the owner deletes.
export function deleteButton(row, name, onclick) {
  if (!canDelete(row)) return null;
  return h(
    "button",
    { type: "button", class: "button button-small button-danger", onclick },
    "Delete",
    h("span", { class: "sr-only" }, `: ${name}`),
  );
}

// The editor's save state in words: a viewer's text is read only; a stored text is saved or
// has unsaved changes; a new one is not saved yet.
export function saveStateText({ readOnly, stored, dirty }) {
  if (readOnly) return "Read only";
  if (!stored) return "Not saved yet";
  return dirty ? "Unsaved changes" : "Saved";
}
