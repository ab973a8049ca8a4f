// The gait check. On /gait: the clip goes up by XMLHttpRequest, whose upload events drive the
// progress bar; the server answers 204 with X-Piri-Location (the check's page, where the
// browser then goes) or the page again with the reason, whose error summary is shown here.
// On /gait/{id} while the analysis runs: the check is read from the JSON API every 1.5 s to
// move the bar, and the page reloads when the report is ready. Without this script both
// still work: the form is a plain POST and the check page reloads itself (noscript refresh).
"use strict";
(function () {
  const size = (bytes) => window.piriUpload.size(bytes);

  function showErrors(box, summary) {
    box.replaceChildren(summary);
    summary.setAttribute("tabindex", "-1");
    summary.focus();
  }

  function refusal(message) {
    const summary = document.createElement("div");
    summary.className = "error-summary";
    summary.setAttribute("role", "alert");
    const heading = document.createElement("h2");
    heading.textContent = "The clip was not uploaded";
    const text = document.createElement("p");
    text.textContent = message;
    summary.append(heading, text);
    return summary;
  }

  function upload(form) {
    const box = document.getElementById("upload-progress");
    const bar = document.getElementById("upload-bar");
    const status = document.getElementById("upload-status");
    const errors = document.getElementById("gait-upload-errors");
    const button = form.querySelector("button[type=submit]");
    const input = form.querySelector("input[type=file]");
    const limit = Number(form.dataset.maxBytes || 0);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const file = input.files && input.files[0];
      if (!file) {
        showErrors(errors, refusal("video: choose a clip of the runner, 20 to 30 s long, filmed from the side or from behind."));
        return;
      }
      if (limit && file.size > limit) {
        showErrors(errors, refusal(`video: the clip (${size(file.size)}) is larger than this server's limit of ${size(limit)}. Film 20 to 30 s, or export it at a lower resolution.`));
        return;
      }
      const load = (request) => {
        const location = request.getResponseHeader("X-Piri-Location");
        if (request.status === 204 && location) {
          status.textContent = "Uploaded. Opening the analysis…";
          window.location.assign(location);
          return;
        }
        finish();
        box.hidden = true;
        const page = new DOMParser().parseFromString(request.responseText || "", "text/html");
        const summary = page.querySelector("#gait-upload-errors .error-summary");
        showErrors(errors, summary ? document.importNode(summary, true) :
          refusal(`The server answered ${request.status}: the clip was not uploaded. Try again.`));
      };
      const failed = () => {
        finish();
        box.hidden = true;
        showErrors(errors, refusal("The upload stopped: the connection to the server was lost. Try again."));
      };
      function finish() {
        button.disabled = false;
        form.removeAttribute("aria-busy");
      }
      button.disabled = true;
      form.setAttribute("aria-busy", "true");
      errors.replaceChildren();
      box.hidden = false;
      status.textContent = `Uploading ${file.name} (${size(file.size)})…`;
      window.piriUpload.send(form, {
        bar,
        status,
        uploaded: "Uploaded. Piri is opening the clip…",
        load,
        failed,
      });
    });
  }

  function follow(section) {
    const url = section.dataset.checkUrl;
    const bar = document.getElementById("analysis-bar");
    const status = document.getElementById("analysis-status");
    let announced = -1;
    async function poll() {
      try {
        const answer = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
        if (!answer.ok) throw new Error(String(answer.status));
        const check = await answer.json();
        if (check.status !== "queued" && check.status !== "running") {
          status.textContent = "The analysis is done. Showing the report…";
          window.location.reload();
          return;
        }
        if (check.percent !== null) {
          bar.value = check.percent;
          bar.textContent = `${check.percent}%`;
          if (Math.floor(check.percent / 10) !== announced) {
            announced = Math.floor(check.percent / 10);
            status.textContent = `Analysing: ${check.percent}% (${check.frames_done} of ${check.frames_expected} frames).`;
          }
        } else if (check.status === "queued") {
          status.textContent = "Waiting for the analysis to start…";
        }
      } catch (problem) {
        status.textContent = "Piri could not read the analysis' progress just now; it keeps trying.";
      }
      window.setTimeout(poll, 1500);
    }
    window.setTimeout(poll, 1000);
  }

  const form = document.querySelector("form[data-gait-upload]");
  if (form && window.XMLHttpRequest && window.FormData && window.piriUpload) upload(form);
  const section = document.querySelector("#analysis[data-check-url]");
  if (section && window.fetch) follow(section);
})();
