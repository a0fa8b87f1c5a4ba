// The flashcards page: the decks with their due counts, a review session (due, deadline or
// cram), the card shown front first, rated with buttons or the keys 1–4, and the deck's
// statistics afterwards. In cram mode no rating leaves the page.

import { api } from "./api.js";
import { $, h, fill, figure, pct, reportError, toast } from "./ui.js";

const RATINGS = ["again", "hard", "good", "easy"];
const MODE_NAMES = { due: "due", deadline: "deadline", cram: "cram: nothing saved" };

const els = {
  status: $("#decks-status"),
  body: $("#decks-body"),
  form: $("#session-form"),
  deck: $("#deck-select"),
  deadlineFields: $("#deadline-fields"),
  deadline: $("#deadline"),
  target: $("#target"),
  modeNote: $("#mode-note"),
  sessionStatus: $("#session-status"),
  start: $("#start"),
  review: $("#review"),
  progress: $("#progress"),
  progressFill: $("#progress-fill"),
  progressMore: $("#progress-more"),
  mode: $("#review-mode"),
  end: $("#end"),
  card: $("#flashcard"),
  cardDeck: $("#card-deck"),
  front: $("#card-front"),
  backBox: $("#card-back-box"),
  back: $("#card-back"),
  source: $("#card-source"),
  reveal: $("#reveal"),
  ratings: $("#ratings"),
  statsCard: $("#stats-card"),
  statsSummary: $("#stats-summary"),
  stats: $("#stats"),
  again: $("#again"),
};

let decks = [];
// {mode, deck, cards, total, index, revealed, rated, busy}
let session = null;

const mode = () => els.form.elements.namedItem("mode").value;
const deckTitle = (id) => decks.find((d) => d.id === id)?.title || id;

// ---- decks ----------------------------------------------------------------------------

async function loadDecks() {
  try {
    decks = await api.cardDecks();
  } catch (err) {
    els.status.textContent = `The decks could not be loaded: ${err.message}`;
    els.status.dataset.state = "failed";
    return;
  }
  els.status.dataset.state = "";
  const due = decks.reduce((n, d) => n + d.due, 0);
  const cards = decks.reduce((n, d) => n + d.cards, 0);
  els.status.textContent = `${decks.length} decks, ${cards} cards, ${due} due now.`;
  els.status.dataset.due = String(due);
  fill(els.body, ...decks.map(deckRow));
  const chosen = els.deck.value;
  fill(
    els.deck,
    h("option", { value: "" }, `All decks (${due} due)`),
    ...decks.map((d) =>
      h("option", { value: d.id, selected: d.id === chosen }, `${d.title} (${d.due} due)`),
    ),
  );
}

function deckRow(d) {
  return h(
    "tr",
    { dataset: { deck: d.id } },
    h(
      "th",
      { scope: "row" },
      d.title,
      d.mine ? h("span", { class: "tag tag-ok", title: "made from your own work" }, "mine") : null,
      d.description ? h("div", { class: "muted small clamp deck-desc" }, d.description) : null,
    ),
    h("td", { class: "num" }, String(d.cards)),
    h("td", { class: "num due" }, String(d.due)),
    h("td", { class: "num" }, String(d.new)),
    h(
      "td",
      { class: "actions" },
      h(
        "button",
        {
          type: "button",
          class: "button button-small",
          disabled: d.cards === 0,
          onclick: () => {
            els.deck.value = d.id;
            els.start.focus();
            els.form.scrollIntoView({ block: "center" });
          },
        },
        "Choose",
        h("span", { class: "sr-only" }, `: ${d.title}`),
      ),
      d.cards
        ? h(
            "a",
            {
              class: "button button-small button-quiet",
              href: api.deckExportUrl(d.id),
              download: `${d.id}.apkg`,
            },
            "Anki",
            h("span", { class: "sr-only" }, ` export of ${d.title}`),
          )
        : null,
    ),
  );
}

// ---- the session ----------------------------------------------------------------------

function showMode() {
  const m = mode();
  els.deadlineFields.hidden = m !== "deadline";
  els.deadline.required = m === "deadline";
  els.modeNote.hidden = m !== "cram";
}

async function start(event) {
  event.preventDefault();
  if (!els.form.reportValidity()) return;
  const m = mode();
  els.start.disabled = true;
  els.sessionStatus.dataset.state = "";
  let queue;
  try {
    queue = await api.cardQueue({
      deck: els.deck.value,
      mode: m,
      deadline: m === "deadline" ? els.deadline.value : null,
      target: m === "deadline" ? els.target.value : null,
      limit: 100,
    });
  } catch (err) {
    els.sessionStatus.textContent = err.message;
    els.sessionStatus.dataset.state = "failed";
    return;
  } finally {
    els.start.disabled = false;
  }
  if (!queue.cards.length) {
    els.sessionStatus.textContent =
      m === "deadline"
        ? "Nothing to review: every card is predicted above the target on that day."
        : "Nothing is due. Come back later, or cram.";
    return;
  }
  els.sessionStatus.textContent = "";
  session = {
    mode: m,
    deck: els.deck.value,
    cards: queue.cards,
    total: queue.total,
    index: 0,
    revealed: false,
    rated: 0,
    counts: { again: 0, hard: 0, good: 0, easy: 0 },
    busy: false,
  };
  els.statsCard.hidden = true;
  els.review.hidden = false;
  els.review.dataset.mode = m;
  els.mode.textContent = MODE_NAMES[m];
  els.mode.className = `tag ${m === "cram" ? "tag-warn" : ""}`.trim();
  show();
  els.review.scrollIntoView({ block: "start" });
}

function show() {
  const c = session.cards[session.index];
  session.revealed = false;
  const n = session.cards.length;
  els.progress.textContent = `${session.index + 1} of ${n}`;
  els.progressMore.textContent =
    session.total > n ? `(${session.total} in the queue; the rest come next session)` : "";
  els.progressFill.style.width = `${(100 * session.index) / n}%`;
  els.cardDeck.textContent = deckTitle(c.deck);
  els.front.textContent = c.front;
  els.back.textContent = c.back;
  els.source.textContent = c.source ? `Source: ${c.source}` : "";
  els.backBox.hidden = true;
  els.ratings.hidden = true;
  els.reveal.hidden = false;
  els.card.dataset.card = c.id;
  els.card.dataset.side = "front";
  els.card.focus();
}

function reveal() {
  if (!session || session.revealed) return;
  session.revealed = true;
  els.backBox.hidden = false;
  els.ratings.hidden = false;
  els.reveal.hidden = true;
  els.card.dataset.side = "back";
  els.card.focus();
}

async function rate(rating) {
  if (!session || !session.revealed || session.busy) return;
  const c = session.cards[session.index];
  session.busy = true;
  try {
    if (session.mode !== "cram") await api.rateCard(c.id, rating);
    session.rated += 1;
    session.counts[rating] += 1;
  } catch (err) {
    reportError(err, "Not rated: ");
    return;
  } finally {
    session.busy = false;
  }
  session.index += 1;
  if (session.index >= session.cards.length) finish();
  else show();
}

async function finish() {
  if (!session) return;
  const done = session;
  session = null;
  els.review.hidden = true;
  els.statsCard.hidden = false;
  const c = done.counts;
  const saved = done.mode === "cram" ? " Cram mode: nothing was saved." : "";
  const where = done.deck ? deckTitle(done.deck) : "All decks";
  els.statsSummary.textContent =
    `${where}: ${done.rated} card${done.rated === 1 ? "" : "s"} rated: ` +
    `${c.again} again, ${c.hard} hard, ${c.good} good, ${c.easy} easy.` +
    saved;
  fill(els.stats);
  try {
    const s = await api.cardStats(done.deck);
    fill(
      els.stats,
      figure("Cards", String(s.cards), done.deck ? "in this deck" : "in all decks"),
      figure("Due now", String(s.due_now)),
      figure("New", String(s.new)),
      figure("Reviewed", String(s.reviewed), `${s.reviews} reviews in all`),
      figure(
        "Retention",
        s.retention === null ? "—" : pct(s.retention),
        "recalled after a day or more",
      ),
      figure("In review", String(s.mature), "past the learning steps"),
    );
  } catch (err) {
    reportError(err, "No statistics: ");
  }
  els.statsCard.focus();
  await loadDecks();
}

// ---- keys -----------------------------------------------------------------------------

function onKey(event) {
  if (!session || event.ctrlKey || event.metaKey || event.altKey) return;
  const t = event.target;
  if (t.closest && t.closest("input, select, textarea")) return;
  const onControl = t.closest && t.closest("button, a");
  if ((event.key === " " || event.key === "Enter") && !onControl) {
    event.preventDefault();
    reveal();
    return;
  }
  const i = ["1", "2", "3", "4"].indexOf(event.key);
  if (i >= 0 && session.revealed) {
    event.preventDefault();
    rate(RATINGS[i]);
  }
}

// ---- start ----------------------------------------------------------------------------

function defaultDeadline() {
  const d = new Date(Date.now() + 14 * 86400 * 1000);
  const pad = (x) => String(x).padStart(2, "0");
  const today = new Date(Date.now() + 86400 * 1000);
  els.deadline.min = `${today.getFullYear()}-${pad(today.getMonth() + 1)}-${pad(today.getDate())}`;
  els.deadline.value = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

els.form.addEventListener("submit", start);
els.form.addEventListener("change", showMode);
els.reveal.addEventListener("click", reveal);
for (const b of els.ratings.querySelectorAll("[data-rating]"))
  b.addEventListener("click", () => rate(b.dataset.rating));
els.end.addEventListener("click", () => {
  if (session?.mode !== "cram" && session?.rated === 0) toast("Ended: nothing rated.");
  finish();
});
els.again.addEventListener("click", () => els.start.click());
document.addEventListener("keydown", onKey);
defaultDeadline();
showMode();
loadDecks();
