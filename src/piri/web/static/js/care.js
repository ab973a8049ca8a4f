// The care team page: a "Copy the code" button beside a new invitation code, where the
// browser allows scripts to write to the clipboard (HTTPS or this computer).
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
          if (status) status.textContent = "Select the code and copy it yourself.";
        }
      });
    }
    const code = document.getElementById("new-code-value");
    if (code) code.addEventListener("focus", () => code.select());
  });
})();
