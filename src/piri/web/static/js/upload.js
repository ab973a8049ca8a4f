// The import form with an upload progress bar. Without this script the form is a plain
// multipart POST and the server answers with the whole page; with it, the files go up by
// XMLHttpRequest (its upload events drive the bar), and the server's answer (the import
// summary, or why the upload was refused) replaces #import-result.
"use strict";
(function () {
  const form = document.querySelector("form[data-upload]");
  if (!form || !window.XMLHttpRequest || !window.FormData || !window.piriUpload) return;
  const box = document.getElementById("upload-progress");
  const bar = document.getElementById("upload-bar");
  const status = document.getElementById("upload-status");
  const result = document.getElementById("import-result");
  const button = form.querySelector("button[type=submit]");
  const input = form.querySelector("input[type=file]");
  const limit = Number(form.dataset.maxBytes || 0);

  const size = window.piriUpload.size;

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
    const failed = () => {
      finish();
      status.textContent = "The upload stopped: check the connection and try again.";
      refuse("The upload stopped before it finished: check the connection and try again.");
    };
    const load = (request) => {
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
    };
    box.hidden = false;
    status.textContent = files.length
      ? `Uploading ${files.length} file${files.length === 1 ? "" : "s"} (${size(total)})…`
      : "Sending…";
    button.disabled = true;
    form.setAttribute("aria-busy", "true");
    result.replaceChildren();
    window.piriUpload.send(form, {
      bar,
      status,
      uploaded: "Uploaded. Importing your activities…",
      load,
      failed,
    });
  });
})();
