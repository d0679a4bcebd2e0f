"""Accessibility checks run inside the page: labels, graphic titles, text contrast, Tab reach."""

from __future__ import annotations

from typing import Any, cast

from playwright.sync_api import Page

# Every visible form control must have an accessible name from a label or ARIA.
_UNLABELLED = """
() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
  .filter((el) => el.getClientRects().length > 0)
  .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                  && !el.getAttribute('aria-labelledby'))
  .map((el) => el.outerHTML.slice(0, 120))
"""

# Every SVG needs a <title> (or an ARIA label) and every image an alt text.
_UNTITLED = """
() => [
  ...[...document.querySelectorAll('svg')]
    .filter((svg) => !svg.querySelector(':scope > title') && !svg.getAttribute('aria-label'))
    .map((svg) => svg.outerHTML.slice(0, 120)),
  ...[...document.querySelectorAll('img:not([alt])')].map((img) => img.outerHTML.slice(0, 120)),
]
"""

# WCAG 2 contrast of each visible text run against the first opaque background behind it.
_CONTRAST = """
() => {
  const parse = (text) => {
    const m = text.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const parts = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { rgb: parts.slice(0, 3), alpha: parts.length > 3 ? parts[3] : 1 };
  };
  const luminance = (rgb) => {
    const [r, g, b] = rgb.map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const background = (el) => {
    for (let node = el; node; node = node.parentElement) {
      const colour = parse(getComputedStyle(node).backgroundColor);
      if (colour && colour.alpha > 0) return colour.rgb;
    }
    return [255, 255, 255];
  };
  const findings = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || el.getClientRects().length === 0) continue;
    if (el.closest('title, desc, script, style, option')) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    const isSvg = el instanceof SVGElement;
    const ink = parse(isSvg ? style.fill : style.color);
    if (!ink) continue;
    const [a, b] = [luminance(ink.rgb), luminance(background(el))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < 4.5) {
      findings.push({ text: node.textContent.trim().slice(0, 40), ratio: ratio.toFixed(2) });
    }
  }
  return findings;
}
"""

_MARK_FOCUSABLE = """
() => {
  const selector = 'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), '
    + 'select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';
  const keys = new Set();
  document.querySelectorAll(selector).forEach((el, i) => {
    if (el.getClientRects().length === 0) return;
    // A radio group is one Tab stop; arrow keys move inside it.
    const key = el.type === 'radio' ? 'radio:' + el.form?.action + ':' + el.name : 'el:' + i;
    el.dataset.tabKey = key;
    keys.add(key);
  });
  return [...keys];
}
"""


def unlabelled_controls(page: Page) -> list[str]:
    """Return the visible form controls that have no label."""
    return cast(list[str], page.evaluate(_UNLABELLED))


def untitled_graphics(page: Page) -> list[str]:
    """Return the SVG graphics without a title and the images without alt text."""
    return cast(list[str], page.evaluate(_UNTITLED))


def low_contrast_text(page: Page) -> list[dict[str, Any]]:
    """Return the text runs whose contrast with their background is below 4.5:1."""
    return cast(list[dict[str, Any]], page.evaluate(_CONTRAST))


def unreachable_by_tab(page: Page) -> set[str]:
    """Press Tab through the page and return the interactive elements focus never reached."""
    wanted = set(cast(list[str], page.evaluate(_MARK_FOCUSABLE)))
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    reached: set[str] = set()
    for _ in range(len(wanted) * 2 + 5):
        page.keyboard.press("Tab")
        key = page.evaluate("() => document.activeElement?.dataset?.tabKey ?? null")
        if key is not None:
            reached.add(str(key))
        if reached == wanted:
            break
    return wanted - reached
