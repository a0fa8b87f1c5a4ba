// Every call the studio's pages make to the JSON API, in one place: a route that moves or
// changes its body is changed here only.

export class ApiError extends Error {
  constructor(message, status, data) {
    super(message);
    this.status = status;
    this.data = data;
  }
}

// The human message of an error body: FastAPI's {detail}, or our {problems} / {error}.
export function messageOf(data, status) {
  if (data && typeof data === "object") {
    if (typeof data.detail === "string") return data.detail;
    if (Array.isArray(data.detail) && data.detail.length)
      return data.detail.map((d) => d.msg || String(d)).join("; ");
    if (Array.isArray(data.problems) && data.problems.length) {
      const p = data.problems[0];
      const more = data.problems.length > 1 ? ` (and ${data.problems.length - 1} more)` : "";
      return `${p.line ? `line ${p.line}: ` : ""}${p.message}${more}`;
    }
    if (typeof data.error === "string") return data.error;
    if (typeof data.message === "string") return data.message;
  }
  if (typeof data === "string" && data.trim()) return data.trim().slice(0, 300);
  return `The server answered ${status}.`;
}

// fetch with JSON in and JSON (or text) out. Resolves {ok, status, data} for 2xx and 4xx
// answers, so a page can show a 422's problems; rejects with ApiError for network errors
// and 5xx, and with the AbortError when `signal` aborts.
export async function request(method, url, { body, signal, accept = "application/json" } = {}) {
  let response;
  const headers =
    body === undefined ? { Accept: accept } : { Accept: accept, "Content-Type": "application/json" };
  // A signed-in page of a multi-user studio carries its session's CSRF token (docs/security.md).
  const csrf = document.querySelector('meta[name="csrf-token"]');
  if (csrf && method !== "GET" && method !== "HEAD") headers["X-CSRF-Token"] = csrf.content;
  try {
    response = await fetch(url, {
      method,
      signal,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    if (err.name === "AbortError") throw err;
    throw new ApiError(
      "The studio's server cannot be reached. Is `staffpath studio` still running?",
      0,
      null,
    );
  }
  const type = response.headers.get("Content-Type") || "";
  const data = type.includes("json")
    ? await response.json().catch(() => null)
    : await response.text();
  if (response.status >= 500)
    throw new ApiError(messageOf(data, response.status), response.status, data);
  // Signed out (session ended or expired) in a multi-user studio: to the sign-in page.
  if (response.status === 401 && url !== "/api/login")
    location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
  return { ok: response.ok, status: response.status, data, headers: response.headers };
}

// As request, but anything other than 2xx is an ApiError: for calls with nothing to show
// from a 4xx but its message.
export async function call(method, url, options) {
  const r = await request(method, url, options);
  if (!r.ok) throw new ApiError(messageOf(r.data, r.status), r.status, r.data);
  return r.data;
}

const enc = encodeURIComponent;

export const api = {
  // library
  // One page of the library (of the names that hold q, if given), newest first: {rows, total}.
  designsPage: async ({ limit = 100, offset = 0, q = "" } = {}) => {
    const find = q ? `&q=${enc(q)}` : "";
    const url = `/api/designs?limit=${enc(limit)}&offset=${enc(offset)}${find}`;
    const r = await request("GET", url);
    if (!r.ok) throw new ApiError(messageOf(r.data, r.status), r.status, r.data);
    const total = Number(r.headers.get("X-Total-Count"));
    return { rows: r.data, total: Number.isFinite(total) ? total : r.data.length };
  },
  // Every design (for the pickers of the compare and sharing pages), a page at a time.
  listDesigns: async () => {
    const all = [];
    for (;;) {
      const { rows, total } = await api.designsPage({ limit: 1000, offset: all.length });
      all.push(...rows);
      if (!rows.length || all.length >= total) return all;
    }
  },
  listExamples: () => call("GET", "/api/examples"),
  createDesign: (body) => request("POST", "/api/designs", { body }), // {example} | {yaml, name?} | {} for a blank design
  getDesign: (id) => call("GET", `/api/designs/${enc(id)}`),
  saveDesign: (id, yaml, note) =>
    request("PUT", `/api/designs/${enc(id)}`, { body: note ? { yaml, note } : { yaml } }),
  duplicateDesign: (id) => call("POST", `/api/designs/${enc(id)}/duplicate`),
  deleteDesign: (id) => call("DELETE", `/api/designs/${enc(id)}`),
  undeleteDesign: (id) => call("POST", `/api/designs/${enc(id)}/undelete`),
  // versions
  listVersions: (id) => call("GET", `/api/designs/${enc(id)}/versions`),
  diffVersions: (id, a, b) =>
    call("GET", `/api/designs/${enc(id)}/diff?a=${enc(a)}&b=${enc(b)}`, {
      accept: "application/json, text/plain",
    }),
  restoreVersion: (id, n) => call("POST", `/api/designs/${enc(id)}/versions/${enc(n)}/restore`),
  exportUrl: (id, format) => `/api/designs/${enc(id)}/export?format=${enc(format)}`,
  // engine
  analyze: (yaml, signal) => request("POST", "/api/analyze", { body: { yaml }, signal }),
  diagram: (yaml, signal) =>
    call("POST", "/api/diagram", {
      body: { yaml },
      signal,
      accept: "image/svg+xml, text/plain",
    }),
  // Optional: the design language's JSON Schema, for completion in the editor. Without the
  // route the editor works as before, with no completion.
  schema: () => call("GET", "/api/schema"),
  // simulation
  // body: {multiplier, requests, failure: index into the design's failures, or null}
  startSimulation: (id, body) => call("POST", `/api/designs/${enc(id)}/simulations`, { body }),
  job: (job, signal) => call("GET", `/api/jobs/${enc(job)}`, { signal }),
  // comparison
  compare: (items) => request("POST", "/api/compare", { body: { items } }), // 422: {label, problems}
  // mock interviews: the candidate's calls take the interview id; the interviewer's add its key
  listProblems: () => call("GET", "/api/problems"),
  listInterviews: () => call("GET", "/api/interviews"),
  startInterview: (problem, minutes) =>
    call("POST", "/api/interviews", { body: { problem, minutes } }),
  getInterview: (id, key, signal) =>
    call("GET", `/api/interviews/${enc(id)}${key ? `?key=${enc(key)}` : ""}`, { signal }),
  // body: {notes?, estimates?: {name: "1.2k/s" | number}, design_yaml?}; 422 {detail}
  updateInterview: (id, body) => request("PUT", `/api/interviews/${enc(id)}`, { body }),
  askQuestion: (id, question) =>
    call("POST", `/api/interviews/${enc(id)}/questions`, { body: { question } }),
  nextPhase: (id) => call("POST", `/api/interviews/${enc(id)}/phase`, { body: {} }),
  curveball: (id) => request("POST", `/api/interviews/${enc(id)}/curveball`, { body: {} }), // 422: {problems}
  finishInterview: (id) => call("POST", `/api/interviews/${enc(id)}/finish`, { body: {} }),
  // body: {interviewer_notes?, scores?: {phase: 1..4}}; no key: as a peer of the interview
  saveInterviewer: (id, key, body) =>
    call("PUT", `/api/interviews/${enc(id)}/interviewer${key ? `?key=${enc(key)}` : ""}`, {
      body,
    }),
  // the candidate names a peer (a signed-in user) who gets the interviewer's view; 422 {detail}
  addPeer: (id, user) => request("POST", `/api/interviews/${enc(id)}/peer`, { body: { user } }),
  removePeer: (id, user) => request("DELETE", `/api/interviews/${enc(id)}/peer/${enc(user)}`),
  // practice: the story bank (422 {detail} on a story that does not parse; the text is kept)
  listStories: () => call("GET", "/api/stories"),
  storyStarter: () => call("GET", "/api/stories/starter"),
  getStory: (id) => call("GET", `/api/stories/${enc(id)}`),
  checkStory: (text, format, signal) =>
    request("POST", "/api/stories/check", { body: { text, format }, signal }),
  createStory: (text, format) => request("POST", "/api/stories", { body: { text, format } }),
  saveStory: (id, text, format) =>
    request("PUT", `/api/stories/${enc(id)}`, { body: { text, format } }),
  deleteStory: (id) => call("DELETE", `/api/stories/${enc(id)}`),
  undeleteStory: (id) => call("POST", `/api/stories/${enc(id)}/undelete`),
  storyCoverage: () => call("GET", "/api/stories/coverage"),
  // a random question for a rehearsal, optionally for one competency
  storyQuestion: (competency) =>
    call("GET", `/api/stories/question${competency ? `?competency=${enc(competency)}` : ""}`),
  storiesExportUrl: () => "/api/stories/export",
  // practice: flashcards
  cardDecks: () => call("GET", "/api/cards/decks"),
  // params: {deck?, mode: "due" | "deadline" | "cram", deadline?: "YYYY-MM-DD", target?, limit?}
  cardQueue: (params) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params || {}))
      if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
    return call("GET", `/api/cards/queue?${q}`);
  },
  rateCard: (id, rating) => call("POST", `/api/cards/${enc(id)}/review`, { body: { rating } }),
  cardStats: (deck) => call("GET", `/api/cards/stats${deck ? `?deck=${enc(deck)}` : ""}`),
  deckExportUrl: (deck) => `/api/cards/decks/${enc(deck)}/export`,
  // practice: the review coach
  lintReview: (text) => call("POST", "/api/review/lint", { body: { text } }),
  listKatas: () => call("GET", "/api/katas"),
  getKata: (id) => call("GET", `/api/katas/${enc(id)}`),
  // 422 {detail} on an empty review
  checkKata: (id, text) => request("POST", `/api/katas/${enc(id)}/check`, { body: { text } }),
  // career documents, one route family per kind (see /api/career/kinds); a text that does
  // not parse: check answers {ok: false, problems}, create and save a 422 with the problems
  careerKinds: () => call("GET", "/api/career/kinds"),
  careerList: (kind) => call("GET", `/api/career/${enc(kind)}`),
  careerStarter: (kind) => call("GET", `/api/career/${enc(kind)}/starter`),
  careerCheck: (kind, text, signal) =>
    call("POST", `/api/career/${enc(kind)}/check`, { body: { text }, signal }),
  careerGet: (kind, id) => call("GET", `/api/career/${enc(kind)}/${enc(id)}`),
  careerCreate: (kind, text, name) =>
    request("POST", `/api/career/${enc(kind)}`, { body: name ? { text, name } : { text } }),
  careerSave: (kind, id, text, name) =>
    request("PUT", `/api/career/${enc(kind)}/${enc(id)}`, {
      body: name ? { text, name } : { text },
    }),
  careerDelete: (kind, id) => call("DELETE", `/api/career/${enc(kind)}/${enc(id)}`),
  careerUndelete: (kind, id) => call("POST", `/api/career/${enc(kind)}/${enc(id)}/undelete`),
  careerPictureUrl: (kind, id, name) =>
    `/api/career/${enc(kind)}/${enc(id)}/pictures/${enc(name)}.svg`,
  careerExportUrl: (kind, id, name) => `/api/career/${enc(kind)}/${enc(id)}/export/${enc(name)}`,
  // the dashboard: the stage at a glance, read-only
  dashboard: () => call("GET", "/api/dashboard"),
  // sharing (multi-user studios): shares given and received, mentors. The changes resolve
  // {ok, status, data} so a page can show a 403, 404 or 422's {detail} where it happened.
  listShares: () => call("GET", "/api/shares"), // {given: [...], received: [...]}
  // body: {object: "design"|"story"|"document", id, user, role: "viewer"|"editor"}
  // or {object, id, mentors: true}; 201 new, 200 a new role for an existing share
  share: (body) => request("POST", "/api/shares", { body }),
  revokeShare: (id) => request("DELETE", `/api/shares/${enc(id)}`),
  listMentors: () => call("GET", "/api/mentors"), // {mentors: [...], mentees: [...]}
  inviteMentor: (user) => request("POST", "/api/mentors", { body: { user } }),
  acceptMentor: (id) => request("POST", `/api/mentors/${enc(id)}/accept`),
  endMentorship: (id) => request("DELETE", `/api/mentors/${enc(id)}`),

  // account: who I am, my password, two-step sign-in
  me: () => call("GET", "/api/me"), // {username, is_admin, multi_user, two_step}
  changePassword: (current, next) =>
    request("POST", "/api/password", { body: { current, new: next } }), // {username, csrf}
  twoStepKey: () => call("POST", "/api/me/two-step/key"), // {key, uri, qr_svg}
  twoStepOn: (key, code, password) =>
    request("POST", "/api/me/two-step", { body: { key, code, password } }), // {csrf}
  twoStepOff: (password, code) =>
    request("POST", "/api/me/two-step/off", { body: { password, code } }),
};
