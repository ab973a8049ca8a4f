// The exercise library's filters. htmx keeps a copy of each page for the back button, but it
// takes the copy as the page is left: by then the select already shows the new choice. So
// when htmx restores a page, the filters are set again from that page's own address.
"use strict";
document.addEventListener("htmx:historyRestore", () => {
  const chosen = new URLSearchParams(window.location.search);
  document.querySelectorAll("form.filters select").forEach((select) => {
    select.value = chosen.get(select.name) || "";
  });
});
