// The import form with an upload progress bar. Without this script the form is a plain
// multipart POST and the server answers with the whole page; with it, the files go up by
// XMLHttpRequest (its upload events drive the bar), and the server's answer (the import
// summary, or why the upload was refused) replaces #import-result.
"use strict";
(function () {
  const form = document.querySelector("form[data-upload]");
  if (!form || !window.XMLHttpRequest || !window.FormData) return;
  const box = document.getElementById("upload-progress");
  const bar = document.getElementById("upload-bar");
  const status = document.getElementById("upload-status");
  const result = document.getElementById("import-result");
  const button = form.querySelector("button[type=submit]");
  const input = form.querySelector("input[type=file]");
  const limit = Number(form.dataset.maxBytes || 0);

  const size = (bytes) => {
    if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
    if (bytes < 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
    return `${(bytes / 1024 / 1024 / 1024).toFixed(2)} GB`;
  };

  function showResult(html) {
    result.innerHTML = html;
    const focus = result.querySelector("[role=alert], h2");
    if (focus) {
      if (!focus.hasAttribute("tabindex")) focus.setAttribute("tabindex", "-1");
      focus.focus();
    }
  }

  function refuse(message) {
    const summary = document.createElement("div");
    summary.className = "error-summary";
    summary.setAttribute("role", "alert");
    const heading = document.createElement("h2");
    heading.textContent = "The upload was not imported";
    const text = document.createElement("p");
    text.textContent = message;
    summary.append(heading, text);
    result.replaceChildren(summary);
    summary.setAttribute("tabindex", "-1");
    summary.focus();
  }

  function finish() {
    button.disabled = false;
    form.removeAttribute("aria-busy");
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const files = Array.from(input.files || []);
    const total = files.reduce((sum, file) => sum + file.size, 0);
    if (limit && total > limit) {
      refuse(`files: the upload (${size(total)}) is larger than this server's limit of ${size(limit)}. ` +
        "Upload fewer files at a time, or split a big export into smaller ZIP files.");
      return;
    }
    const request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.setRequestHeader("X-CSRF-Token", window.piri ? window.piri.csrfToken() : "");
    request.setRequestHeader("HX-Request", "true");
    let announced = -1;
    request.upload.addEventListener("progress", (progress) => {
      if (!progress.lengthComputable) return;
      const percent = Math.floor((100 * progress.loaded) / progress.total);
      bar.value = percent;
      bar.textContent = `${percent}%`;
      // Say it every 10% only, so that a screen reader is not flooded.
      if (Math.floor(percent / 10) !== announced) {
        announced = Math.floor(percent / 10);
        status.textContent = `Uploading: ${percent}% (${size(progress.loaded)} of ${size(progress.total)})`;
      }
    });
    request.upload.addEventListener("load", () => {
      bar.value = 100;
      status.textContent = "Uploaded. Importing your activities…";
    });
    request.addEventListener("load", () => {
      finish();
      bar.value = 100;
      bar.textContent = "100%";
      if (request.status >= 200 && request.status < 300) {
        status.textContent = "Done: the import summary is below.";
      } else {
        status.textContent = "The upload was not imported: see why below.";
      }
      if ((request.getResponseHeader("Content-Type") || "").startsWith("text/html")) {
        showResult(request.responseText);
      } else {
        refuse(`The server answered with status ${request.status}. Reload the page and try again.`);
      }
    });
    const failed = () => {
      finish();
      status.textContent = "The upload stopped: check the connection and try again.";
      refuse("The upload stopped before it finished: check the connection and try again.");
    };
    request.addEventListener("error", failed);
    request.addEventListener("abort", failed);
    box.hidden = false;
    bar.value = 0;
    bar.textContent = "0%";
    status.textContent = files.length
      ? `Uploading ${files.length} file${files.length === 1 ? "" : "s"} (${size(total)})…`
      : "Sending…";
    button.disabled = true;
    form.setAttribute("aria-busy", "true");
    result.replaceChildren();
    request.send(new FormData(form));
  });
})();
