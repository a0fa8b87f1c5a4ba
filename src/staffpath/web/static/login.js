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
    // two-step sign-in: the code field shows once the server says the password was right
    const codeField = document.getElementById("login-code-field");
    const code = codeField.hidden ? null : form.elements.code.value.trim();
    if (code === "") {
      status.textContent = "Enter the code your authenticator app shows.";
      status.dataset.state = "failed";
      form.elements.code.focus();
      return;
    }
    submit.disabled = true;
    status.textContent = "Signing in…";
    delete status.dataset.state;
    let focus = form.elements.password;
    try {
      const body = code === null ? { username, password } : { username, password, code };
      const r = await request("POST", "/api/login", { body });
      if (r.ok) {
        const next = form.dataset.next || "/";
        location.assign(next.startsWith("/") && !next.startsWith("//") ? next : "/");
        return;
      }
      status.textContent = messageOf(r.data, r.status);
      status.dataset.state = "failed";
      if (r.data?.code_required) {
        codeField.hidden = false;
        focus = form.elements.code;
      }
    } catch (err) {
      status.textContent = err.message;
      status.dataset.state = "failed";
    }
    submit.disabled = false;
    focus.select();
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
