// Adds a 自动预订 button to every train row of the query table (#queryLeftTable tr[id^=ticket_]).
// The page re-renders the table on every query and auto-refresh, so a MutationObserver re-applies the buttons;
// applying is idempotent (a row that has our button is skipped).
"use strict";

var kyfw = globalThis.kyfw || (globalThis.kyfw = {});

kyfw.rowButtons = (() => {
  const MARK = "kyfw-book";

  function onClick(event) {
    event.preventDefault();
    event.stopPropagation();
    const row = event.currentTarget.closest("tr");
    const train = row ? kyfw.pageInfo.trainCode(row) : "";
    kyfw.panel.startFor(train);
  }

  function decorate(row) {
    if (row.querySelector(`.${MARK}`) || !kyfw.pageInfo.trainCode(row)) return;
    const button = kyfw.h(
      "a",
      { class: MARK, title: kyfw.t("rowButtonTitle"), role: "button", tabindex: "0" },
      kyfw.t("rowButton"),
    );
    button.addEventListener("click", onClick);
    // The last cell holds the page's own 预订 button; ours goes right under it.
    const cell = row.lastElementChild || row;
    cell.append(button);
  }

  function applyAll() {
    for (const row of document.querySelectorAll("#queryLeftTable tr[id^='ticket_']")) decorate(row);
  }

  function watch() {
    applyAll();
    let pending = false;
    const observer = new MutationObserver((mutations) => {
      // Our own panel's live log changes all the time and never holds train rows: ignore it.
      const panel = document.getElementById("kyfw-panel");
      if (panel && mutations.every((m) => panel.contains(m.target))) return;
      // Coalesce the burst of mutations of one re-render into one pass.
      if (pending) return;
      pending = true;
      queueMicrotask(() => {
        pending = false;
        applyAll();
      });
    });
    observer.observe(document.body, { childList: true, subtree: true });
  }

  return { watch, applyAll };
})();

kyfw.rowButtons.watch();
