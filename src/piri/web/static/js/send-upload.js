// Sends a form's files by XMLHttpRequest, whose upload events drive a <progress> bar and a
// status line (said every 10% only, so that a screen reader is not flooded). Used by the runs
// import (upload.js) and the gait check (gait.js); each says what to do with the answer.
"use strict";
(function () {
  const size = (bytes) => {
    if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
    if (bytes < 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
    return `${(bytes / 1024 / 1024 / 1024).toFixed(2)} GB`;
  };

  // options: bar, status, uploaded (the status once every byte is sent), load(request),
  // failed() (the connection was lost or the upload aborted).
  function send(form, options) {
    const { bar, status } = options;
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
      if (Math.floor(percent / 10) !== announced) {
        announced = Math.floor(percent / 10);
        status.textContent = `Uploading: ${percent}% (${size(progress.loaded)} of ${size(progress.total)})`;
      }
    });
    request.upload.addEventListener("load", () => {
      bar.value = 100;
      status.textContent = options.uploaded;
    });
    request.addEventListener("load", () => options.load(request));
    request.addEventListener("error", options.failed);
    request.addEventListener("abort", options.failed);
    bar.value = 0;
    bar.textContent = "0%";
    request.send(new FormData(form));
    return request;
  }

  window.piriUpload = { size, send };
})();
