// The interviewer links this browser has seen, by interview id, so the page that started an
// interview (or opened its interviewer link) can show the link again. Kept in localStorage;
// without it (private windows, storage off) the links are simply not remembered.

const STORE = "staffpath.interviewer-keys";

function read() {
  try {
    return JSON.parse(localStorage.getItem(STORE) || "{}") || {};
  } catch {
    return {};
  }
}

export function interviewerKey(id) {
  return read()[String(id)] || null;
}

export function rememberKey(id, key) {
  try {
    localStorage.setItem(STORE, JSON.stringify({ ...read(), [String(id)]: key }));
  } catch {
    // storage off: nothing remembered
  }
}

export const interviewerUrl = (id, key) =>
  `/interviews/${encodeURIComponent(id)}/interviewer?key=${encodeURIComponent(key)}`;
