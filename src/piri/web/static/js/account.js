// The account page: a "Copy the token" button beside a new API token, where the browser
// allows scripts to write to the clipboard (HTTPS or this computer).
"use strict";
(function () {
  window.addEventListener("DOMContentLoaded", () => {
    for (const button of document.querySelectorAll("[data-copy]")) {
      const field = document.getElementById(button.dataset.copy);
      const status = button.parentElement.querySelector("[data-copy-status]");
      if (!field || !navigator.clipboard) continue;
      button.hidden = false;
      button.addEventListener("click", async () => {
        try {
          await navigator.clipboard.writeText(field.value);
          if (status) status.textContent = "Copied.";
        } catch (error) {
          field.select();
          if (status) status.textContent = "Select the token and copy it yourself.";
        }
      });
    }
    const token = document.getElementById("new-token-value");
    if (token) token.addEventListener("focus", () => token.select());
  });
})();
