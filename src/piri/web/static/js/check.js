// The symptom check: let htmx show a question card that came back with 422 (a missing or
// wrong answer, with its message and what was typed). Without JavaScript the same forms
// post and the server answers with the whole page.
"use strict";
(function () {
  document.addEventListener("htmx:beforeSwap", (event) => {
    const target = event.detail.target;
    if (event.detail.xhr.status === 422 && target && target.id === "check-area") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
