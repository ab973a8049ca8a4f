// Draws every [data-chart] element with vega-embed (loaded before this file, with defer).
// data-chart names the id of a <script type="application/json"> block holding the
// Vega-Lite spec; data-chart-src instead names a URL answering {spec: ...} or
// {charts: [{id, spec}]} (data-chart-id picks one).
// The page's Content Security Policy forbids eval and inline styles, so vega uses its
// expression interpreter (ast: true) and no default styles are injected; piri.css and
// progress.css style the charts and their tooltips.
"use strict";
(function () {
  const OPTIONS = {
    ast: true,
    renderer: "canvas",
    actions: false,
    defaultStyle: false,
    tooltip: { disableDefaultStyle: true, theme: "piri" },
  };

  async function specFor(element) {
    const block = element.dataset.chart && document.getElementById(element.dataset.chart);
    if (block) return JSON.parse(block.textContent);
    const source = element.dataset.chartSrc;
    if (!source) throw new Error("no spec for this chart");
    const answer = await fetch(source, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!answer.ok) throw new Error(`the chart data did not load (${answer.status})`);
    const body = await answer.json();
    if (body.spec) return body.spec;
    const wanted = (body.charts || []).find((chart) => chart.id === element.dataset.chartId);
    if (!wanted || !wanted.spec) throw new Error("the chart data has no such chart");
    return wanted.spec;
  }

  async function draw(element) {
    if (typeof window.vegaEmbed !== "function") return;
    try {
      const spec = await specFor(element);
      const result = await window.vegaEmbed(element, spec, OPTIONS);
      element.dataset.drawn = "true";
      element.dispatchEvent(new CustomEvent("piri:chart-drawn", { bubbles: true, detail: result }));
    } catch (problem) {
      element.dataset.drawn = "failed";
      element.classList.add("chart-failed");
      element.removeAttribute("aria-hidden");
      element.textContent = "This chart could not be drawn; its numbers are in the table below.";
      console.warn("chart not drawn:", problem);
    }
  }

  function drawAll(root) {
    root.querySelectorAll("[data-chart]:not([data-drawn])").forEach(draw);
  }

  window.addEventListener("DOMContentLoaded", () => drawAll(document));
  // Charts that arrive in an htmx swap are drawn too.
  document.addEventListener("htmx:afterSwap", (event) => drawAll(event.detail.target));
  window.piriCharts = { drawAll };
})();
