// The review queue from the keyboard: A approve, R refuse, S skip, Enter in the reason records.
// Decisions, skips and list links are fetched and the page's main part swapped in place, so the
// next item arrives without a full reload. Without this script every form and link still works.
"use strict";

(function () {
  const REVIEW_PATH = "/ui/review";
  let busy = false;

  function isTyping(target) {
    return target instanceof HTMLElement &&
      (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
  }

  function focusItem() {
    const heading = document.querySelector("#evidence h2");
    const notice = document.querySelector("#notice, [role=alert]");
    (heading || notice || document.querySelector("main")).focus();
  }

  function swap(html, url, push) {
    const fresh = new DOMParser().parseFromString(html, "text/html");
    const main = fresh.querySelector("main");
    if (!main) {
      window.location.assign(url);
      return;
    }
    document.querySelector("main").innerHTML = main.innerHTML;
    document.title = fresh.title;
    if (push) {
      window.history.pushState({}, "", url);
    }
    focusItem();
  }

  async function load(url, init, push) {
    if (busy) {
      return;
    }
    busy = true;
    document.body.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(url, { credentials: "same-origin", ...init });
      const landed = new URL(response.url);
      if (landed.pathname !== REVIEW_PATH && response.redirected) {
        // The session ended: follow the server to the sign-in page.
        window.location.assign(response.url);
        return;
      }
      swap(await response.text(), response.url, push && landed.pathname === REVIEW_PATH);
    } catch (error) {
      window.location.assign(url);
    } finally {
      busy = false;
      document.body.removeAttribute("aria-busy");
    }
  }

  function choose(value) {
    const choice = document.querySelector(`#decision input[name=decision][value=${value}]`);
    const reason = document.querySelector("#decision #reason");
    if (!choice || choice.disabled || !reason) {
      return false;
    }
    choice.checked = true;
    reason.focus();
    return true;
  }

  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) {
      return;
    }
    const key = event.key.toLowerCase();
    let handled = false;
    if (key === "a") {
      handled = choose("approve");
    } else if (key === "r") {
      handled = choose("refuse");
    } else if (key === "s") {
      const skip = document.querySelector("#skip");
      if (skip) {
        load(skip.href, {}, true);
        handled = true;
      }
    }
    if (handled) {
      event.preventDefault();
    }
  });

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || form.id !== "decision") {
      return;
    }
    event.preventDefault();
    if (!form.reportValidity()) {
      return;
    }
    load(form.action, { method: "POST", body: new URLSearchParams(new FormData(form)) }, true);
  });

  document.addEventListener("click", (event) => {
    const link = event.target instanceof Element ? event.target.closest("a") : null;
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    const target = new URL(link.href, window.location.href);
    const inQueue = link.closest(".queue") !== null;
    if (inQueue && target.origin === window.location.origin && target.pathname === REVIEW_PATH) {
      event.preventDefault();
      load(target.href, {}, true);
    }
  });

  window.addEventListener("popstate", () => load(window.location.href, {}, false));
  document.documentElement.dataset.reviewKeys = "ready";
})();
