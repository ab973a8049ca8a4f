// Piri's small shared script (loaded with defer on every page; no inline scripts anywhere).
// - htmx requests carry the CSRF token from the page's <meta name="csrf-token">.
// - Buttons and forms with data-confirm ask before doing something that cannot be undone.
// - piri.fetchJSON: fetch with the CSRF header, for pages with their own scripts.
"use strict";
(function () {
  const token = () => document.querySelector('meta[name="csrf-token"]')?.content || "";

  document.addEventListener("htmx:configRequest", (event) => {
    event.detail.headers["X-CSRF-Token"] = token();
  });

  document.addEventListener("submit", (event) => {
    const form = event.target;
    const message = form.dataset.confirm || event.submitter?.dataset.confirm;
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  // After an htmx swap, move focus to the new content's heading or alert so that screen
  // readers and keyboards follow the page.
  // An outerHTML swap leaves event.detail.target detached (its replacement has the same id),
  // and a page restored from htmx's history has no target at all.
  document.addEventListener("htmx:afterSwap", (event) => {
    let target = event.detail && event.detail.target;
    if (target && !target.isConnected) target = target.id ? document.getElementById(target.id) : null;
    if (!target) return;
    const focus = target.querySelector("[data-focus], [role=alert], h1, h2");
    if (focus) {
      if (!focus.hasAttribute("tabindex")) focus.setAttribute("tabindex", "-1");
      focus.focus();
    }
  });

  // On a page with an error summary, bring it into view and focus for the reader.
  window.addEventListener("DOMContentLoaded", () => {
    const summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  });

  window.piri = {
    csrfToken: token,
    async fetchJSON(url, options = {}) {
      const headers = Object.assign(
        { "Content-Type": "application/json", "X-CSRF-Token": token() },
        options.headers || {}
      );
      const response = await fetch(url, Object.assign({}, options, { headers, credentials: "same-origin" }));
      const body = await response.json().catch(() => ({}));
      if (!response.ok) {
        const error = new Error(body.message || `Request failed (${response.status})`);
        error.body = body;
        error.status = response.status;
        throw error;
      }
      return body;
    },
  };
})();
