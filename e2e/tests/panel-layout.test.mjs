// The panel's place on the query page, by element geometry: at 1366×768 and 1800×1000 it covers none of the
// rows' booking buttons (the page's 预订 and our 自动预订) wherever the page is scrolled; dragged by its title
// bar onto the buttons it moves beside them; its place and its collapsed state survive a reload.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loginWithQr, openQuery, screenshot } from "../harness/flow.mjs";
import { click, panelEval, untilPanel } from "../harness/panel.mjs";
import { DATE, ROUTE, inWorld } from "../harness/world.mjs";

const panelBox = (page) =>
  panelEval(page, (root) => {
    const r = root.getElementById("kyfw-panel").getBoundingClientRect();
    return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height };
  });

const headerBox = (page) =>
  panelEval(page, (root) => {
    const r = root.querySelector("#kyfw-panel header").getBoundingClientRect();
    return { x: r.left + 40, y: r.top + r.height / 2 };
  });

/** Every row button on the page (the page's 预订 and ours) with its box in the viewport. */
const rowButtons = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll("#queryLeftTable tr[id^='ticket_'] a.kyfw-book, #queryLeftTable tr[id^='ticket_'] td:last-child a.btn72")].map(
      (a) => {
        const r = a.getBoundingClientRect();
        return { text: a.textContent.trim(), left: r.left, top: r.top, right: r.right, bottom: r.bottom };
      },
    ),
  );

const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/** Asserts that the panel covers no row button at the page's current scroll position. */
async function assertNoCover(page, where) {
  const panel = await panelBox(page);
  const buttons = await rowButtons(page);
  assert.ok(buttons.length >= 10, `${where}: ${buttons.length} buttons`);
  const viewport = page.viewportSize();
  assert.ok(panel.left >= 0 && panel.right <= viewport.width && panel.top >= 0 && panel.bottom <= viewport.height, `${where}: panel inside the window ${JSON.stringify(panel)}`);
  const covered = buttons.filter((b) => overlaps(panel, b));
  assert.deepEqual(covered, [], `${where}: the panel ${JSON.stringify(panel)} covers buttons`);
}

/** Scrolls through the page top to bottom and checks at each stop. */
async function assertNoCoverAnywhere(page, label) {
  const height = await page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight);
  for (const y of [0, Math.round(height / 3), Math.round((2 * height) / 3), height]) {
    await page.evaluate((to) => window.scrollTo(0, to), y);
    await page.waitForTimeout(150);
    await assertNoCover(page, `${label} scrolled to ${y}`);
  }
}

for (const viewport of [
  { width: 1366, height: 768 },
  { width: 1800, height: 1000 },
]) {
  test(`${viewport.width}×${viewport.height}: the panel covers no row button, moved or not, and keeps its place`, async () => {
    await inWorld(
      `panel-layout-${viewport.width}`,
      async ({ sim, browser, page }) => {
        await loginWithQr(browser.context, sim, page);
        await openQuery(page, { ...ROUTE, date: DATE });
        await untilPanel(page, (root) => root.querySelectorAll("#kyfw-passengers li").length > 0, null, { what: "the passengers" });
        await page.waitForTimeout(300);
        await assertNoCoverAnywhere(page, "as placed");
        await page.evaluate(() => window.scrollTo(0, 0));
        await screenshot(page, `panel-layout-${viewport.width}`);

        // Dragged by its title bar onto the buttons' column of the rows in view: it ends beside the column.
        const button = (await rowButtons(page)).find((b) => b.top > 200 && b.bottom < viewport.height - 50);
        const from = await headerBox(page);
        await page.mouse.move(from.x, from.y);
        await page.mouse.down();
        await page.mouse.move((button.left + button.right) / 2, button.top, { steps: 8 });
        await page.mouse.move((button.left + button.right) / 2 - 20, button.top + 10, { steps: 4 });
        await page.mouse.up();
        await page.waitForTimeout(300);
        const dropped = await panelBox(page);
        await assertNoCoverAnywhere(page, "after a drag onto the buttons");

        // Collapsed, and reloaded: the same place, still collapsed.
        await click(page, "#kyfw-collapse");
        await page.waitForTimeout(300);
        const collapsed = await panelBox(page);
        assert.ok(collapsed.height < 60, `collapsed: ${collapsed.height}px high`);
        await page.reload();
        await page.waitForSelector("#queryLeftTable tr[id^='ticket_'] a.kyfw-book", { timeout: 20000 });
        await untilPanel(page, (root) => root && root.getElementById("kyfw-panel")?.classList.contains("kyfw-collapsed"), null, {
          what: "the panel collapsed after the reload",
        });
        await page.waitForTimeout(300);
        const again = await panelBox(page);
        assert.ok(Math.abs(again.right - collapsed.right) <= 2 && Math.abs(again.bottom - collapsed.bottom) <= 2, `kept its place: ${JSON.stringify({ collapsed, again })}`);
        await click(page, "#kyfw-collapse");
        await page.waitForTimeout(300);
        const expanded = await panelBox(page);
        assert.ok(Math.abs(expanded.right - dropped.right) <= 2, `expanded where it was dropped: ${JSON.stringify({ dropped, expanded })}`);
        await assertNoCoverAnywhere(page, "after the reload");
      },
      { viewport },
    );
  });
}
