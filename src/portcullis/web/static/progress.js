// A running request's progress, live: the page asks the server for its figures every two seconds
// and writes them in place; when the road has finished, the page loads once more for the outcomes.
// Without this script the page reloads itself every few seconds instead.
"use strict";

(function () {
  const EVERY_MS = 2000;
  const box = document.querySelector("#progress[data-progress-url]");
  if (!box) {
    return;
  }
  const url = box.dataset.progressUrl;
  const bar = box.querySelector("progress");
  const figure = (name) => box.querySelector(`[data-figure=${name}]`);

  async function poll() {
    let figures;
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      if (!response.ok || !response.headers.get("content-type")?.startsWith("application/json")) {
        window.location.reload();
        return;
      }
      figures = await response.json();
    } catch (error) {
      window.setTimeout(poll, EVERY_MS * 2);
      return;
    }
    if (bar) {
      bar.max = figures.total;
      bar.value = figures.decided;
      bar.textContent = `${figures.decided} of ${figures.total}`;
    }
    figure("decided").textContent = figures.decided.toLocaleString("en-US");
    figure("total").textContent = figures.total.toLocaleString("en-US");
    figure("rate").textContent = figures.text;
    box.dataset.polled = String(Number(box.dataset.polled || 0) + 1);
    if (figures.running) {
      window.setTimeout(poll, EVERY_MS);
    } else {
      window.location.reload();
    }
  }

  window.setTimeout(poll, EVERY_MS);
})();
