// Login from the panel: the user who opens the query page logged out and presses the panel's login link scans
// the QR code and lands back on the query page with the same search (not on 个人中心), logged in.
import { test } from "node:test";
import assert from "node:assert/strict";
import { KYFW, openQuery } from "../harness/flow.mjs";
import { click, untilPanel, untilPanelState } from "../harness/panel.mjs";
import { DATE, ROUTE, inWorld } from "../harness/world.mjs";

test("after the QR login started from the panel, the user is back on the query page with the same search", async () => {
  await inWorld("login-return", async ({ sim, page }) => {
    await openQuery(page, { ...ROUTE, date: DATE });
    await untilPanelState(page, (s) => s.loginRequired, { what: "the panel asking to log in" });
    await Promise.all([page.waitForURL((url) => url.pathname.endsWith("/login.html"), { timeout: 15000 }), click(page, "#kyfw-login-required a")]);
    await page.waitForFunction(() => document.getElementById("qr_img")?.src.startsWith("data:image/png"), null, { timeout: 20000 });
    await sim.control("/scan", {});
    await page.waitForURL((url) => url.pathname === "/otn/leftTicket/init", { timeout: 20000 });
    const url = new URL(page.url());
    assert.equal(url.origin, KYFW);
    assert.equal(url.searchParams.get("date"), DATE);
    assert.equal(url.searchParams.get("fs"), `${ROUTE.from.name},${ROUTE.from.code}`);
    assert.equal(url.searchParams.get("ts"), `${ROUTE.to.name},${ROUTE.to.code}`);
    await page.waitForSelector("#queryLeftTable tr[id^='ticket_'] a.kyfw-book", { timeout: 20000 });
    assert.equal(await page.inputValue("#train_date"), DATE);
    await untilPanel(page, (root) => root.querySelectorAll("#kyfw-passengers li").length > 0, null, { what: "the passengers, logged in" });
    // Once: a later visit of 个人中心 stays there.
    await page.goto(`${KYFW}/otn/view/index.html`);
    await page.waitForTimeout(1000);
    assert.equal(new URL(page.url()).pathname, "/otn/view/index.html");
  });
});
