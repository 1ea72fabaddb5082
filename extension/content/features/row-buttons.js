// Adds a 自动预订 button to every train row of the query table (#queryLeftTable tr[id^=ticket_]).
// The page re-renders the table on every query and auto-refresh, so a MutationObserver re-applies the buttons;
// applying is idempotent (a row that has our button is skipped).
// The buttons live in the page's own table, where the page's scripts can reach them: only the user's own clicks
// (`isTrusted`) start a booking, and the train a button books is the one its row showed when the button was made.
"use strict";

/** The scripts' shared namespace (typed in types/content.d.ts); each script adds its part. @type {KyfwContent} */
var kyfw = globalThis.kyfw || (globalThis.kyfw = /** @type {KyfwContent} */ ({}));

kyfw.rowButtons = (() => {
  const MARK = "kyfw-book";

  /** @param {Element} row a `tr[id^=ticket_]` of the query table */
  function decorate(row) {
    const train = kyfw.pageInfo.trainCode(row);
    if (row.querySelector(`.${MARK}`) || !train) return;
    const button = kyfw.h(
      "a",
      {
        class: MARK,
        title: kyfw.t("rowButtonTitle"),
        role: "button",
        tabindex: "0",
        onclick: (event) => {
          event.preventDefault();
          event.stopPropagation();
          // A row the page rewrote in place shows another train now: this button is stale, the row gets a new one.
          if (kyfw.pageInfo.trainCode(row) !== train) {
            event.currentTarget.remove();
            decorate(row);
            return;
          }
          kyfw.panel?.press(train);
        },
      },
      kyfw.t("rowButton"),
    );
    // The last cell holds the page's own 预订 button; ours goes right under it.
    const cell = row.lastElementChild || row;
    cell.append(button);
  }

  function applyAll() {
    // Before the buttons: the query of a table rendered anew is read from the form as it is now.
    kyfw.pageInfo.tableRendered();
    for (const row of document.querySelectorAll("#queryLeftTable tr[id^='ticket_']")) decorate(row);
    if (kyfw.panel && kyfw.panel.tableChanged) kyfw.panel.tableChanged();
  }

  function watch() {
    applyAll();
    let pending = false;
    // The panel's own changes happen inside its shadow root, which this observer does not see.
    const observer = new MutationObserver(() => {
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
