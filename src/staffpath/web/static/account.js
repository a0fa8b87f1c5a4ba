// The Account page of a multi-user studio: a new password, two-step sign-in on and off (the
// key shown as a QR code), and the download of one's data (a plain link).
import { api, messageOf } from "./api.js";
import { $, fill, reportError, safeSvg } from "./ui.js";

const els = {
  passwordForm: $("#password-form"),
  passwordStatus: $("#password-status"),
  state: $("#two-step-state"),
  setup: $("#two-step-setup"),
  begin: $("#two-step-begin"),
  onForm: $("#two-step-on-form"),
  qr: $("#two-step-qr"),
  key: $("#two-step-key"),
  onStatus: $("#two-step-on-status"),
  cancel: $("#two-step-cancel"),
  offForm: $("#two-step-off-form"),
  offStatus: $("#two-step-off-status"),
};

function say(status, text, state = "failed") {
  status.textContent = text;
  if (state) status.dataset.state = state;
  else delete status.dataset.state;
}

// One form's request: its button off while it runs, its status line saying so, and a
// network error said there too.
async function sending(button, status, text, work) {
  button.disabled = true;
  say(status, text, null);
  try {
    await work();
  } catch (err) {
    say(status, err.message);
  } finally {
    button.disabled = false;
  }
}

// A new session came back (after a new password, or two-step turned on): its CSRF token is
// the one every later change must carry.
function newSession(csrf) {
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (meta && csrf) meta.content = csrf;
}

// ---- password ---------------------------------------------------------------------------

async function changePassword(event) {
  event.preventDefault();
  const f = els.passwordForm.elements;
  if (!f.current.value || !f.new.value) {
    say(els.passwordStatus, "Enter your current password and a new one.");
    return;
  }
  if (f.new.value !== f.repeat.value) {
    say(els.passwordStatus, "The two new passwords differ.");
    f.repeat.focus();
    return;
  }
  await sending($("#password-submit"), els.passwordStatus, "Changing…", async () => {
    const r = await api.changePassword(f.current.value, f.new.value);
    if (r.ok) {
      newSession(r.data.csrf);
      els.passwordForm.reset();
      say(els.passwordStatus, "Password changed; your other browsers are signed out.", "done");
      return;
    }
    say(els.passwordStatus, messageOf(r.data, r.status));
    (r.status === 422 ? f.new : f.current).select();
  });
}

// ---- two-step sign-in -----------------------------------------------------------------------

let pendingKey = null;

function showTwoStep(on) {
  els.state.dataset.state = on ? "on" : "off";
  els.state.textContent = on
    ? "On: signing in asks for the code of your authenticator app after the password."
    : "Off: your password alone signs you in.";
  els.setup.hidden = on;
  els.offForm.hidden = !on;
  els.onForm.hidden = true;
  els.begin.hidden = false;
  pendingKey = null;
  fill(els.qr);
  els.key.textContent = "";
}

async function beginSetup() {
  els.begin.disabled = true;
  try {
    const k = await api.twoStepKey();
    pendingKey = k.key;
    const svg = safeSvg(k.qr_svg);
    if (svg) svg.setAttribute("aria-label", "QR code of the key for your authenticator app");
    fill(els.qr, svg);
    els.key.textContent = k.key.match(/.{1,4}/g).join(" ");
    els.begin.hidden = true;
    els.onForm.hidden = false;
    say(els.onStatus, "", null);
    els.onForm.elements.code.focus();
  } catch (err) {
    reportError(err, "No key: ");
  } finally {
    els.begin.disabled = false;
  }
}

async function turnOn(event) {
  event.preventDefault();
  const f = els.onForm.elements;
  if (!f.code.value.trim() || !f.password.value) {
    say(els.onStatus, "Enter the code the app shows and your password.");
    return;
  }
  await sending($("#two-step-on"), els.onStatus, "Checking…", async () => {
    const r = await api.twoStepOn(pendingKey, f.code.value.trim(), f.password.value);
    if (r.ok) {
      newSession(r.data.csrf);
      els.onForm.reset();
      showTwoStep(true);
      say(els.offStatus, "Two-step sign-in is on; your other browsers are signed out.", "done");
      return;
    }
    say(els.onStatus, messageOf(r.data, r.status));
    (r.status === 403 ? f.password : f.code).select();
  });
}

async function turnOff(event) {
  event.preventDefault();
  const f = els.offForm.elements;
  if (!f.password.value || !f.code.value.trim()) {
    say(els.offStatus, "Enter your password and the code the app shows.");
    return;
  }
  await sending($("#two-step-off"), els.offStatus, "Checking…", async () => {
    const r = await api.twoStepOff(f.password.value, f.code.value.trim());
    if (r.ok) {
      els.offForm.reset();
      showTwoStep(false);
      say(els.offStatus, "", null);
      return;
    }
    say(els.offStatus, messageOf(r.data, r.status));
    f.code.select();
  });
}

async function start() {
  if (!els.passwordForm) {
    document.body.dataset.ready = "true"; // single-user: nothing but the download link
    return;
  }
  els.passwordForm.addEventListener("submit", changePassword);
  els.begin.addEventListener("click", beginSetup);
  els.onForm.addEventListener("submit", turnOn);
  els.cancel.addEventListener("click", () => showTwoStep(false));
  els.offForm.addEventListener("submit", turnOff);
  try {
    showTwoStep((await api.me()).two_step);
  } catch (err) {
    reportError(err, "Not loaded: ");
  }
  document.body.dataset.ready = "true";
}

start();
