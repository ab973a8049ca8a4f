// A "Copy" button beside a secret shown once (a new API token, a calendar feed address, an
// invitation code), where the browser allows scripts to write to the clipboard (HTTPS or
// this computer). The button names its field: <button data-copy="field-id" hidden>.
"use strict";
(function () {
  window.addEventListener("DOMContentLoaded", () => {
    for (const button of document.querySelectorAll("[data-copy]")) {
      const field = document.getElementById(button.dataset.copy);
      if (!field) continue;
      field.addEventListener("focus", () => field.select());
      const status = button.parentElement.querySelector("[data-copy-status]");
      if (!navigator.clipboard) continue;
      button.hidden = false;
      button.addEventListener("click", async () => {
        try {
          await navigator.clipboard.writeText(field.value);
          if (status) status.textContent = "Copied.";
        } catch (error) {
          field.select();
          if (status) status.textContent = "Select it and copy it yourself.";
        }
      });
    }
  });
})();
