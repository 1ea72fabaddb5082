// Where the panel sits: a floating box the user moves by its title bar (mouse, touch or the arrow keys), kept
// inside the window and never over the train table's booking buttons (the page's 预订 and our 自动预订 in the
// rows' last cell). The position is remembered as the distance from the window's right and bottom edges, so the
// panel keeps to its corner when the window is resized; a position that would cover the buttons' column is moved
// beside it, to the side nearest to where the user put it.
"use strict";

/** The scripts' shared namespace (typed in types/content.d.ts); each script adds its part. @type {KyfwContent} */
var kyfw = globalThis.kyfw || (globalThis.kyfw = /** @type {KyfwContent} */ ({}));

kyfw.panelPlace = (() => {
  const KEY = "panelPlace";
  /** Space kept between the panel and the window's edges or the buttons' column (px). */
  const GAP = 8;
  const STEP = 24;

  /** @type {{right: number, bottom: number, collapsed: boolean}} */
  let place = { right: 12, bottom: 12, collapsed: false };
  /** @type {HTMLElement | null} */
  let panel = null;

  /**
   * The horizontal extent of the rows' button cells (the last cell of every train row), or null without rows.
   * The cells, not the buttons: a row that gets its button later, or a longer label, stays inside its cell.
   */
  function buttonColumn() {
    let left = Infinity;
    let right = -Infinity;
    for (const cell of document.querySelectorAll("#queryLeftTable tr[id^='ticket_'] > td:last-child")) {
      const r = cell.getBoundingClientRect();
      if (r.width === 0) continue;
      left = Math.min(left, r.left);
      right = Math.max(right, r.right);
    }
    return left < right ? { left, right } : null;
  }

  /** @param {number} v @param {number} lo @param {number} hi */
  const clamp = (v, lo, hi) => Math.min(Math.max(v, lo), Math.max(lo, hi));

  /** Puts the panel where the saved place says, inside the window and off the buttons' column. */
  function apply() {
    if (!panel) return;
    const vw = document.documentElement.clientWidth || window.innerWidth;
    const vh = window.innerHeight;
    const { width, height } = panel.getBoundingClientRect();
    let left = clamp(vw - place.right - width, 0, vw - width);
    const top = clamp(vh - place.bottom - height, 0, vh - height);
    const column = buttonColumn();
    if (column && left < column.right + GAP && left + width > column.left - GAP) {
      // Beside the column: right of it when the window has room there, else left of it; the nearer one wins.
      const sides = [];
      if (column.right + GAP + width <= vw) sides.push(column.right + GAP);
      if (column.left - GAP - width >= 0) sides.push(column.left - GAP - width);
      if (sides.length) left = sides.reduce((a, b) => (Math.abs(b - left) < Math.abs(a - left) ? b : a));
    }
    panel.style.left = `${Math.round(left)}px`;
    panel.style.top = `${Math.round(top)}px`;
  }

  function save() {
    chrome.storage.local.set({ [KEY]: place });
  }

  /** Takes the panel's current box as the place the user chose. */
  function remember() {
    if (!panel) return;
    const vw = document.documentElement.clientWidth || window.innerWidth;
    const r = panel.getBoundingClientRect();
    place.right = Math.max(0, Math.round(vw - r.right));
    place.bottom = Math.max(0, Math.round(window.innerHeight - r.bottom));
    apply();
    save();
  }

  /**
   * Makes `handle` move `box`: pointer drag and the arrow keys (focus the handle). Trusted input only.
   * @param {HTMLElement} box
   * @param {HTMLElement} handle
   */
  function attach(box, handle) {
    panel = box;
    /** @type {{dx: number, dy: number, id: number} | null} */
    let drag = null;
    handle.addEventListener(
      "pointerdown",
      kyfw.trusted((/** @type {PointerEvent} */ e) => {
        // A press on a control of the title bar (collapse) is a click, not a drag.
        if (e.button !== 0 || (e.target instanceof Element && e.target.closest("a, button"))) return;
        const r = box.getBoundingClientRect();
        drag = { dx: e.clientX - r.left, dy: e.clientY - r.top, id: e.pointerId };
        handle.setPointerCapture(e.pointerId);
        e.preventDefault();
      }),
    );
    handle.addEventListener(
      "pointermove",
      kyfw.trusted((/** @type {PointerEvent} */ e) => {
        if (!drag || e.pointerId !== drag.id) return;
        const vw = document.documentElement.clientWidth || window.innerWidth;
        const r = box.getBoundingClientRect();
        box.style.left = `${clamp(e.clientX - drag.dx, 0, vw - r.width)}px`;
        box.style.top = `${clamp(e.clientY - drag.dy, 0, window.innerHeight - r.height)}px`;
      }),
    );
    const drop = kyfw.trusted((/** @type {PointerEvent} */ e) => {
      if (!drag || e.pointerId !== drag.id) return;
      drag = null;
      remember();
    });
    handle.addEventListener("pointerup", drop);
    handle.addEventListener("pointercancel", drop);
    handle.addEventListener(
      "keydown",
      kyfw.trusted((/** @type {KeyboardEvent} */ e) => {
        /** @type {Record<string, [number, number]>} */
        const moves = { ArrowLeft: [STEP, 0], ArrowRight: [-STEP, 0], ArrowUp: [0, STEP], ArrowDown: [0, -STEP] };
        const move = moves[e.key];
        if (!move || e.target !== handle) return;
        e.preventDefault();
        place.right = Math.max(0, place.right + move[0]);
        place.bottom = Math.max(0, place.bottom + move[1]);
        apply();
        remember();
      }),
    );
    let pending = false;
    const soon = () => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        if (!drag) apply();
      });
    };
    window.addEventListener("resize", soon);
    // A horizontal scroll moves the table under the fixed panel.
    window.addEventListener("scroll", soon, { passive: true });
    new ResizeObserver(soon).observe(box);
    apply();
  }

  async function load() {
    try {
      const saved = (await chrome.storage.local.get(KEY))[KEY];
      if (saved && typeof saved === "object") {
        const { right, bottom, collapsed } = /** @type {Record<string, unknown>} */ (saved);
        place = {
          right: typeof right === "number" && Number.isFinite(right) ? Math.max(0, right) : place.right,
          bottom: typeof bottom === "number" && Number.isFinite(bottom) ? Math.max(0, bottom) : place.bottom,
          collapsed: collapsed === true,
        };
      }
    } catch {
      // the default place
    }
    return place;
  }

  /** @param {boolean} collapsed */
  function setCollapsed(collapsed) {
    place.collapsed = collapsed;
    save();
    apply();
  }

  return { load, attach, apply, setCollapsed };
})();
