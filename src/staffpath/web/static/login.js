// The sign-in page, and the "Sign out" button of every page of a multi-user studio.
import { messageOf, request } from "./api.js";

const form = document.getElementById("login-form");
if (form) {
  const status = document.getElementById("login-status");
  const submit = document.getElementById("login-submit");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const username = form.elements.username.value.trim();
    const password = form.elements.password.value;
    if (!username || !password) {
      status.textContent = "Enter your username and password.";
      status.dataset.state = "failed";
      return;
    }
    submit.disabled = true;
    status.textContent = "Signing in…";
    delete status.dataset.state;
    try {
      const r = await request("POST", "/api/login", { body: { username, password } });
      if (r.ok) {
        const next = form.dataset.next || "/";
        location.assign(next.startsWith("/") && !next.startsWith("//") ? next : "/");
        return;
      }
      status.textContent = messageOf(r.data, r.status);
      status.dataset.state = "failed";
    } catch (err) {
      status.textContent = err.message;
      status.dataset.state = "failed";
    }
    submit.disabled = false;
    form.elements.password.select();
  });
}

const signOut = document.getElementById("sign-out");
if (signOut) {
  signOut.addEventListener("click", async () => {
    signOut.disabled = true;
    try {
      await request("POST", "/api/logout");
    } finally {
      location.assign("/login");
    }
  });
}
