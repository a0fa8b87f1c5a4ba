// The Sharing page of a multi-user studio: what I share (revoke), what is shared with me
// (open it where it lives), my mentors and mentees (invite, accept, end), and the peers I
// named for my mock interviews (name, remove) and the interviews I am a peer of. Everything
// comes from the API (docs/security.md), but the peers I named, which the page is given as
// data (no route lists them). Every refusal is shown in words next to what was refused.

import { api, messageOf } from "./api.js";
import { $, h, fill, ago, toast } from "./ui.js";

const els = {
  shareForm: $("#share-form"),
  shareObject: $("#share-object"),
  shareUser: $("#share-user"),
  shareRole: $("#share-role"),
  shareSubmit: $("#share-submit"),
  shareStatus: $("#share-status"),
  givenStatus: $("#given-status"),
  givenBody: $("#given-body"),
  receivedStatus: $("#received-status"),
  receivedBody: $("#received-body"),
  mentorForm: $("#mentor-form"),
  mentorUser: $("#mentor-user"),
  mentorStatus: $("#mentor-status"),
  mentorsBody: $("#mentors-body"),
  menteesBody: $("#mentees-body"),
  peersCard: $("#peers-card"),
  peerForm: $("#peer-form"),
  peerInterview: $("#peer-interview"),
  peerUser: $("#peer-user"),
  peerStatus: $("#peer-status"),
  peersBody: $("#peers-body"),
  peerOf: $("#peer-of"),
};

const OBJECTS = { design: "Design", story: "Story", document: "Career document" };

// The peers I named: [{interview, title, started_at, finished, user, live}], from the page.
let peers = [];
try {
  peers = JSON.parse(els.peersCard.dataset.peers || "[]");
} catch {
  peers = [];
}
let kindTitles = {}; // career kind id -> its title

// ---- feedback -----------------------------------------------------------------------------

function say(el, text, failed = false) {
  el.textContent = text;
  if (failed) el.dataset.state = "failed";
  else delete el.dataset.state;
}

// A change's answer: true when it went through; otherwise its refusal is shown in `el`.
function done(r, el, prefix) {
  if (r.ok) return true;
  say(el, `${prefix}${messageOf(r.data, r.status)}`, true);
  return false;
}

// Network errors and 5xx (ApiError) from a change, shown where it was asked for.
async function attempt(el, prefix, fn) {
  try {
    return await fn();
  } catch (err) {
    if (err && err.name === "AbortError") return false;
    say(el, `${prefix}${err && err.message ? err.message : String(err)}`, true);
    return false;
  }
}

function placeholder(body, columns, text) {
  fill(body, h("tr", { class: "placeholder" }, h("td", { colspan: columns }, text)));
}

function since(when) {
  const t = ago(when);
  return h("span", { title: t.title }, t.text);
}

function smallButton(label, context, onclick, extra = "") {
  return h(
    "button",
    { type: "button", class: `button button-small ${extra}`.trim(), onclick },
    label,
    h("span", { class: "sr-only" }, `: ${context}`),
  );
}

// Where a shared object opens: the editor, the story in the story bank, the document on the
// career page of its kind.
function objectUrl(s) {
  if (s.object === "design") return `/designs/${encodeURIComponent(s.object_id)}`;
  if (s.object === "story") return `/stories#${encodeURIComponent(s.object_id)}`;
  return `/career/${encodeURIComponent(s.kind)}#${encodeURIComponent(s.object_id)}`;
}

function objectLabel(s) {
  if (s.object === "document" && s.kind) return kindTitles[s.kind] || s.kind;
  return OBJECTS[s.object] || s.object;
}

// ---- shares -------------------------------------------------------------------------------

async function loadShares() {
  let data;
  try {
    data = await api.listShares();
  } catch (err) {
    say(els.givenStatus, `The shares could not be loaded: ${err.message}`, true);
    say(els.receivedStatus, `The shares could not be loaded: ${err.message}`, true);
    return;
  }
  showGiven(data.given || []);
  showReceived(data.received || []);
}

function showGiven(given) {
  say(els.givenStatus, given.length ? `${given.length} share${given.length === 1 ? "" : "s"}` : "");
  if (!given.length) {
    placeholder(els.givenBody, 6, "You share nothing yet: pick something above.");
    return;
  }
  fill(
    els.givenBody,
    ...given.map((s) => {
      const whom = s.mentors ? "my mentors" : s.user;
      return h(
        "tr",
        { dataset: { id: s.id, object: s.object, objectId: s.object_id } },
        h("th", { scope: "row" }, s.name),
        h("td", {}, objectLabel(s)),
        h("td", {}, s.mentors ? h("em", {}, whom) : whom),
        h("td", {}, h("span", { class: `tag share-role-${s.role}` }, s.role)),
        h("td", { class: "nowrap" }, since(s.created_at)),
        h(
          "td",
          { class: "actions nowrap" },
          smallButton("Revoke", `${s.name} with ${whom}`, () => revoke(s), "button-danger"),
        ),
      );
    }),
  );
}

async function revoke(s) {
  const whom = s.mentors ? "your mentors" : s.user;
  const ok = await attempt(els.givenStatus, "Not revoked: ", async () =>
    done(await api.revokeShare(s.id), els.givenStatus, "Not revoked: "),
  );
  if (!ok) return;
  toast(`“${s.name}” is no longer shared with ${whom}.`, {
    actionLabel: "Share again",
    action: async () => {
      const body = s.mentors
        ? { object: s.object, id: s.object_id, mentors: true }
        : { object: s.object, id: s.object_id, user: s.user, role: s.role };
      await attempt(els.givenStatus, "Not shared again: ", async () =>
        done(await api.share(body), els.givenStatus, "Not shared again: "),
      );
      await loadShares();
    },
  });
  await loadShares();
}

function showReceived(received) {
  say(els.receivedStatus, received.length ? `${received.length} shared with you` : "");
  if (!received.length) {
    placeholder(els.receivedBody, 6, "Nothing is shared with you yet.");
    return;
  }
  fill(
    els.receivedBody,
    ...received.map((s) =>
      h(
        "tr",
        { dataset: { id: s.id, object: s.object, objectId: s.object_id } },
        h("th", { scope: "row" }, h("a", { href: objectUrl(s) }, s.name)),
        h("td", {}, objectLabel(s)),
        h("td", {}, s.owner),
        h(
          "td",
          {},
          h("span", { class: `tag share-role-${s.role}` }, s.mentors ? "mentor" : s.role),
        ),
        h("td", { class: "nowrap" }, since(s.created_at)),
        h(
          "td",
          { class: "actions nowrap" },
          h(
            "a",
            { class: "button button-small", href: objectUrl(s) },
            "Open",
            h("span", { class: "sr-only" }, `: ${s.name}`),
          ),
        ),
      ),
    ),
  );
}

// The share form's choices: my own designs, stories and career documents (not what is
// shared with me, which I may not share again).
async function loadMine() {
  const own = (rows) => (rows || []).filter((r) => !r.shared_by);
  let designs, stories, kinds;
  try {
    [designs, stories, kinds] = await Promise.all([
      api.listDesigns(),
      api.listStories(),
      api.careerKinds(),
    ]);
  } catch (err) {
    fill(els.shareObject, h("option", { value: "" }, "Could not load your work"));
    say(els.shareStatus, `Your work could not be loaded: ${err.message}`, true);
    return;
  }
  kindTitles = Object.fromEntries(kinds.map((k) => [k.id, k.title]));
  const withDocs = kinds.filter((k) => k.count);
  let lists = [];
  try {
    lists = await Promise.all(withDocs.map((k) => api.careerList(k.id)));
  } catch (err) {
    say(els.shareStatus, `Your career documents could not be loaded: ${err.message}`, true);
  }
  const groups = [
    ["Designs", own(designs).map((d) => ["design", d.id, d.name])],
    ["Stories", own(stories).map((s) => ["story", s.id, s.title])],
    ...withDocs.map((k, i) => [
      k.title,
      own(lists[i]).map((d) => ["document", d.id, d.name]),
    ]),
  ].filter(([, options]) => options.length);
  if (!groups.length) {
    fill(els.shareObject, h("option", { value: "" }, "Nothing of yours to share yet"));
    return;
  }
  fill(
    els.shareObject,
    h("option", { value: "" }, "Choose…"),
    ...groups.map(([label, options]) =>
      h(
        "optgroup",
        { label },
        options.map(([object, id, name]) => h("option", { value: `${object}:${id}` }, name)),
      ),
    ),
  );
}

function audience() {
  return els.shareForm.elements.namedItem("audience").value;
}

function syncAudience() {
  const mentors = audience() === "mentors";
  els.shareUser.disabled = mentors;
  els.shareRole.disabled = mentors;
  if (mentors) els.shareRole.value = "viewer";
}

async function share(event) {
  event.preventDefault();
  const picked = els.shareObject.value;
  const user = els.shareUser.value.trim();
  const mentors = audience() === "mentors";
  if (!picked) return say(els.shareStatus, "Choose what to share.", true);
  if (!mentors && !user) {
    say(els.shareStatus, "Enter the user name of the person to share with.", true);
    els.shareUser.focus();
    return;
  }
  const [object, id] = picked.split(":");
  const body = mentors
    ? { object, id: Number(id), mentors: true }
    : { object, id: Number(id), user, role: els.shareRole.value };
  els.shareSubmit.disabled = true;
  say(els.shareStatus, "Sharing…");
  let answer = null;
  await attempt(els.shareStatus, "Not shared: ", async () => {
    const r = await api.share(body);
    if (done(r, els.shareStatus, "Not shared: ")) answer = r;
  });
  els.shareSubmit.disabled = false;
  if (!answer) return;
  const s = answer.data;
  const whom = s.mentors ? "your mentors" : s.user;
  say(
    els.shareStatus,
    answer.status === 201
      ? `Shared “${s.name}” with ${whom} as ${s.role}.`
      : `“${s.name}” was already shared with ${whom}: now as ${s.role}.`,
  );
  els.shareUser.value = "";
  await loadShares();
}

// ---- mentors ------------------------------------------------------------------------------

async function loadMentors() {
  let data;
  try {
    data = await api.listMentors();
  } catch (err) {
    say(els.mentorStatus, `The mentors could not be loaded: ${err.message}`, true);
    return;
  }
  showMentors(data.mentors || []);
  showMentees(data.mentees || []);
}

function showMentors(rows) {
  if (!rows.length) {
    placeholder(els.mentorsBody, 3, "No mentor yet: invite one above.");
    return;
  }
  fill(
    els.mentorsBody,
    ...rows.map((m) =>
      h(
        "tr",
        { dataset: { id: m.id, user: m.mentor, accepted: m.accepted ? "true" : "false" } },
        h("th", { scope: "row" }, m.mentor),
        h(
          "td",
          {},
          m.accepted
            ? h("span", { class: "tag tag-ok" }, "accepted")
            : h("span", { class: "tag tag-warn" }, "invited"),
        ),
        h(
          "td",
          { class: "actions nowrap" },
          smallButton(m.accepted ? "End" : "Withdraw", m.mentor, () => end(m, m.mentor)),
        ),
      ),
    ),
  );
}

function showMentees(rows) {
  if (!rows.length) {
    placeholder(els.menteesBody, 3, "Nobody has invited you as a mentor.");
    return;
  }
  fill(
    els.menteesBody,
    ...rows.map((m) =>
      h(
        "tr",
        { dataset: { id: m.id, user: m.mentee, accepted: m.accepted ? "true" : "false" } },
        h("th", { scope: "row" }, m.mentee),
        h(
          "td",
          {},
          m.accepted
            ? h("span", { class: "tag tag-ok" }, "accepted")
            : h("span", { class: "tag tag-warn" }, "invites you"),
        ),
        h(
          "td",
          { class: "actions nowrap" },
          m.accepted
            ? null
            : smallButton("Accept", m.mentee, () => accept(m), "button-primary"),
          smallButton(m.accepted ? "End" : "Decline", m.mentee, () => end(m, m.mentee)),
        ),
      ),
    ),
  );
}

async function invite(event) {
  event.preventDefault();
  const user = els.mentorUser.value.trim();
  if (!user) {
    say(els.mentorStatus, "Enter the user name of the mentor to invite.", true);
    els.mentorUser.focus();
    return;
  }
  say(els.mentorStatus, "Inviting…");
  const ok = await attempt(els.mentorStatus, "Not invited: ", async () =>
    done(await api.inviteMentor(user), els.mentorStatus, "Not invited: "),
  );
  if (!ok) return;
  say(els.mentorStatus, `Invited ${user}: they see the invitation on their Sharing page.`);
  els.mentorUser.value = "";
  await loadMentors();
}

async function accept(m) {
  const ok = await attempt(els.mentorStatus, "Not accepted: ", async () =>
    done(await api.acceptMentor(m.id), els.mentorStatus, "Not accepted: "),
  );
  if (!ok) return;
  say(els.mentorStatus, `You now mentor ${m.mentee}: you read what they share with their mentors.`);
  await Promise.all([loadMentors(), loadShares()]);
}

async function end(m, other) {
  const ok = await attempt(els.mentorStatus, "Not ended: ", async () =>
    done(await api.endMentorship(m.id), els.mentorStatus, "Not ended: "),
  );
  if (!ok) return;
  say(els.mentorStatus, `No mentorship with ${other} any more.`);
  await Promise.all([loadMentors(), loadShares()]);
}

// ---- interview peers ----------------------------------------------------------------------

function showPeers() {
  if (!peers.length) {
    placeholder(els.peersBody, 4, "You have named no peer.");
    return;
  }
  fill(
    els.peersBody,
    ...peers.map((p) =>
      h(
        "tr",
        { dataset: { interview: p.interview, user: p.user } },
        h("th", { scope: "row" }, p.title, h("span", { class: "muted small" }, ` #${p.interview}`)),
        h("td", {}, p.user),
        h(
          "td",
          {},
          p.live
            ? h("span", { class: "tag tag-ok" }, p.finished ? "finished, open a day" : "open")
            : h("span", { class: "tag" }, "ended"),
        ),
        h(
          "td",
          { class: "actions nowrap" },
          smallButton("Remove", `${p.user} from ${p.title}`, () => removePeer(p), "button-danger"),
        ),
      ),
    ),
  );
}

const finished = (r) => Boolean(r.finished_at);

async function loadInterviews() {
  let rows;
  try {
    rows = await api.listInterviews();
  } catch (err) {
    fill(els.peerInterview, h("option", { value: "" }, "Could not load your interviews"));
    fill(els.peerOf, h("li", { class: "muted" }, `Not loaded: ${err.message}`));
    return;
  }
  const mine = rows.filter((r) => r.role !== "peer");
  const theirs = rows.filter((r) => r.role === "peer");
  fill(
    els.peerInterview,
    mine.length
      ? h("option", { value: "" }, "Choose…")
      : h("option", { value: "" }, "No interview of yours yet"),
    ...mine.map((r) =>
      h(
        "option",
        { value: r.id, dataset: { title: r.title || r.problem } },
        `${r.title || r.problem} · ${ago(r.started_at).text}${finished(r) ? " · finished" : ""}`,
      ),
    ),
  );
  if (!theirs.length) {
    fill(els.peerOf, h("li", { class: "muted" }, "None: nobody has named you as a peer."));
    return;
  }
  fill(
    els.peerOf,
    ...theirs.map((r) =>
      h(
        "li",
        { dataset: { interview: r.id } },
        h(
          "a",
          { href: `/interviews/${encodeURIComponent(r.id)}/interviewer` },
          r.title || r.problem,
        ),
        h(
          "span",
          { class: "muted small" },
          ` · ${r.shared_by}'s interview, ${ago(r.started_at).text}`,
          finished(r) ? ", finished" : "",
        ),
      ),
    ),
  );
}

async function addPeer(event) {
  event.preventDefault();
  const option = els.peerInterview.selectedOptions[0];
  const id = els.peerInterview.value;
  const user = els.peerUser.value.trim();
  if (!id) return say(els.peerStatus, "Choose one of your interviews.", true);
  if (!user) {
    say(els.peerStatus, "Enter the peer's user name.", true);
    els.peerUser.focus();
    return;
  }
  say(els.peerStatus, "Naming the peer…");
  let answer = null;
  await attempt(els.peerStatus, "Not named: ", async () => {
    const r = await api.addPeer(id, user);
    if (done(r, els.peerStatus, "Not named: ")) answer = r.data;
  });
  if (!answer) return;
  const title = option?.dataset.title || `Interview ${id}`;
  if (!peers.some((p) => p.interview === answer.interview && p.user === answer.user))
    peers.unshift({ interview: answer.interview, title, user: answer.user, live: true });
  say(
    els.peerStatus,
    `${answer.user} is a peer of “${title}”: signed in, they open it from their Sharing page.`,
  );
  els.peerUser.value = "";
  showPeers();
}

async function removePeer(p) {
  const ok = await attempt(els.peerStatus, "Not removed: ", async () =>
    done(await api.removePeer(p.interview, p.user), els.peerStatus, "Not removed: "),
  );
  if (!ok) return;
  peers = peers.filter((x) => !(x.interview === p.interview && x.user === p.user));
  say(els.peerStatus, `${p.user} is no longer a peer of “${p.title}”.`);
  showPeers();
}

// ---- start --------------------------------------------------------------------------------

async function start() {
  els.shareForm.addEventListener("submit", share);
  els.shareForm.addEventListener("change", (e) => {
    if (e.target.name === "audience") syncAudience();
  });
  els.mentorForm.addEventListener("submit", invite);
  els.peerForm.addEventListener("submit", addPeer);
  syncAudience();
  showPeers();
  await loadMine(); // the kinds' titles first: the share lists name a document's kind
  await Promise.all([loadShares(), loadMentors(), loadInterviews()]);
  document.body.dataset.ready = "true";
}

start();
