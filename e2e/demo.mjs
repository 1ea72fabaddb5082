// ./build.sh demo: books a ticket end to end in Chromium against sim12306 and saves the screenshots that the
// README shows. Headless unless $DISPLAY is set. Exits non-zero when no order was placed.
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loginWithQr, openQuery, choose, book, outcome } from "./harness/flow.mjs";
import { DATE, ROUTE, inWorld, inventory, summarize } from "./harness/world.mjs";

const SHOTS = resolve(dirname(fileURLToPath(import.meta.url)), "../docs/screenshots");
const TRAIN = "G2";

async function demo({ sim, browser, page }) {
  mkdirSync(SHOTS, { recursive: true });
  await inventory(sim, { [TRAIN]: { O: 36, M: 12, 9: 3 } });
  console.log(`sim12306 on https ${sim.ports.https}, control ${sim.ports.control}`);

  console.log("1. logging in the demo account (QR code + scan on the control API)");
  await loginWithQr(browser.context, sim, page);

  console.log(`2. opening the query page: ${ROUTE.from.name} → ${ROUTE.to.name}, ${DATE}`);
  await openQuery(page, { ...ROUTE, date: DATE });
  await choose(page, { passengers: [{ name: "张三" }, { name: "李四" }], seats: ["O", "M"] });
  // The row's button in view, next to the panel.
  await page.locator("#queryLeftTable tr[id^='ticket_']").first().scrollIntoViewIfNeeded();
  await page.screenshot({ path: resolve(SHOTS, "query-page.png") });

  console.log(`3. pressing 自动预订 on ${TRAIN}`);
  await book(page, TRAIN);
  const result = await outcome(page);
  await page.screenshot({ path: resolve(SHOTS, "order-placed.png") });

  console.log("\nstep log:");
  for (const line of result.log) console.log(`  ${line}`);
  const orders = (await sim.orders()).map(summarize);
  if (!result.ok || !result.orderId || orders.length !== 1) {
    console.error(`\nno order: ${result.text}`);
    return 1;
  }
  const tickets = orders[0].tickets.map((t) => `${t.name} ${t.seat}`).join(", ");
  console.log(`\norder id: ${result.orderId} (${orders[0].train}, ${tickets})`);
  console.log(`screenshots: ${SHOTS}/query-page.png, ${SHOTS}/order-placed.png`);
  return 0;
}

const headed = !!process.env.DISPLAY;
inWorld("demo", demo, { headed })
  .then((code) => process.exit(code))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
