// After a QR login started from the panel, 12306 lands the user on 个人中心 (/otn/view/index.html). The panel
// remembered its query page with the search the table showed (`loginReturn` in storage, task-panel.js); this
// brings the user back there, once, if that was moments ago. Only a query page of kyfw.12306.cn is a place to
// return to.
"use strict";

(async () => {
  const KEY = "loginReturn";
  const FRESH_MS = 10 * 60 * 1000;
  try {
    const stored = (await chrome.storage.local.get(KEY))[KEY];
    if (!stored || typeof stored !== "object") return;
    const saved = /** @type {{url?: unknown, at?: unknown}} */ (stored);
    await chrome.storage.local.remove(KEY);
    const url = new URL(String(saved.url || ""));
    const fresh = typeof saved.at === "number" && Date.now() - saved.at < FRESH_MS;
    if (fresh && url.origin === location.origin && url.pathname === "/otn/leftTicket/init") location.replace(url.href);
  } catch {
    // nothing to return to
  }
})();
