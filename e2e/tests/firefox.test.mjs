// The Firefox build in Firefox itself (ESR, headless, over WebDriver BiDi): the event page loads (module
// scripts, the wasm core), the query-page panel talks to it, and a booking runs end to end against sim12306 —
// through the page (content.fetch) and, with the tab closed, through the event page's fetch with the
// Origin/Referer set by declarativeNetRequest (Firefox's initiator is the moz-extension UUID, compat.js).
// Skipped when no Firefox is installed (./build.sh test installs firefox-esr when it can); by hand: apt-get install firefox-esr,
// then node --test tests/firefox.test.mjs (from e2e/, after ./build.sh).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createServer, connect } from "node:net";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { startSim } from "../harness/sim.mjs";
import { DATE, inventory } from "../harness/world.mjs";
import { KYFW } from "../harness/flow.mjs";
import { firefoxPath, launchFirefox } from "./firefox-lib.mjs";
import { until } from "./tasks-lib.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const EXTENSION = resolve(HERE, "../../extension");

/** An HTTP CONNECT proxy that sends every tunnel to the sim (Firefox has no host-resolver rules with ports). */
function tunnelTo(port) {
  const server = createServer((client) => {
    client.once("data", (head) => {
      if (!/^CONNECT /.test(String(head))) return client.destroy();
      const upstream = connect(port, "127.0.0.1", () => {
        client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        client.pipe(upstream).pipe(client);
      });
      upstream.on("error", () => client.destroy());
      client.on("error", () => upstream.destroy());
    });
  });
  return new Promise((r) => server.listen(0, "127.0.0.1", () => r(server)));
}

const skip = !firefoxPath() && "no Firefox installed";

test("Firefox: the panel books through the event page and the page transport", { skip }, () => bookInFirefox({ closeTab: false }));

test("Firefox: the 12306 tab closed while sold out → the event page's background transport books", { skip }, () =>
  bookInFirefox({ closeTab: true }),
);

// PROTOCOL.md §5.3/§5.8 in Firefox: the order page answers only navigations and the confirm needs the page's
// json_ua. The tab transport's hidden frame (a form POST from the content script) and the MAIN-world script
// (Firefox 128+) give what the official page sends.
test("Firefox: an order page that answers only navigations, a confirm that needs json_ua → books", { skip }, () =>
  bookInFirefox({ closeTab: false, scenario: { init_dc_navigation_only: true, confirm_needs_encrypted_data: true } }),
);

async function bookInFirefox({ closeTab, scenario }) {
  const build = mkdtempSync(join(tmpdir(), "kyfw-ff-build-"));
  const made = spawnSync(process.execPath, [resolve(HERE, "../../tools/firefox.mjs"), EXTENSION, build], { encoding: "utf8" });
  assert.equal(made.status, 0, made.stderr);
  const sim = await startSim();
  const proxy = await tunnelTo(sim.ports.https);
  const ff = await launchFirefox({
    prefs: {
      "network.proxy.type": 1,
      "network.proxy.ssl": "127.0.0.1",
      "network.proxy.ssl_port": proxy.address().port,
      "network.proxy.no_proxies_on": "",
    },
  });
  try {
    // Loading a scenario resets the sim: before anything else.
    if (scenario) await sim.control("/scenario", scenario);
    await inventory(sim, { G2: { O: closeTab ? 0 : 50 } });
    await ff.send("webExtension.install", { extensionData: { type: "path", path: build } });
    const { cookies } = await sim.control("/session", {});
    for (const pair of cookies.split("; ")) {
      const [name, ...rest] = pair.split("=");
      await ff.send("storage.setCookie", {
        cookie: { name, value: { type: "string", value: rest.join("=") }, domain: "kyfw.12306.cn", path: "/" },
      });
    }
    const { contexts } = await ff.send("browsingContext.getTree", {});
    const context = contexts[0].context;
    // As wide as the Chromium tests' window: in a narrow one the panel (fixed, bottom right) covers the rows' buttons.
    await ff.send("browsingContext.setViewport", { context, viewport: { width: 1800, height: 1000 } });
    const query =
      `${KYFW}/otn/leftTicket/init?linktypeid=dc&fs=${encodeURIComponent("上海虹桥,AOH")}` +
      `&ts=${encodeURIComponent("北京南,VNP")}&date=${DATE}&flag=N,N,Y`;
    await ff.send("browsingContext.navigate", { context, url: query, wait: "complete" });

    // The user's steps on the page: the panel (content scripts) lists the passengers through the event page. The
    // panel is in a closed shadow root and acts on trusted input only: it is read through BiDi's shared reference
    // to that root and clicked with real pointer input (input.performActions).
    const root = await until(() => ff.panelRoot(context), 30000, "the panel");
    const inPanel = (selector) =>
      ff.call(context, "(root, sel) => root.querySelector(sel)", root, selector).then((r) => (r.type === "node" ? r : null));
    const isChecked = (node) => ff.call(context, "(el) => el.checked", node).then((r) => r.value === true);
    const box = await until(() => inPanel('#kyfw-passengers li.kyfw-passenger[data-name="张三"] input.kyfw-pass-check'), 30000, "张三");
    for (const node of [box, await inPanel('#kyfw-seats input[value="O"]')]) {
      if (!(await isChecked(node))) await ff.click(context, node);
      assert.ok(await isChecked(node), "ticked by a trusted click");
    }
    const rowButton = await until(
      () =>
        ff
          .call(
            context,
            `() => [...document.querySelectorAll("#queryLeftTable tr[id^='ticket_']")]
              .find((tr) => tr.querySelector("a.number")?.textContent.trim() === "G2")?.querySelector("a.kyfw-book") || null`,
          )
          .then((r) => (r.type === "node" ? r : null)),
      30000,
      "the row button",
    );
    await ff.click(context, rowButton);
    // The press prepares the task; the panel's 开始抢票 starts it (once the panel, grown by the list, has moved to
    // its place on the next frame).
    const start = await until(() => inPanel("#kyfw-draft:not([hidden]) #kyfw-start"), 30000, "the start button");
    await new Promise((r) => setTimeout(r, 500));
    await ff.click(context, start);

    let closedAt = 0;
    if (closeTab) {
      // The task is in its query loop; another tab keeps the browser open; the 12306 tab goes; tickets come.
      await until(async () => (await sim.requests()).filter((r) => r.path.includes("leftTicket/query")).length >= 3, 30000, "queries");
      await ff.send("browsingContext.create", { type: "tab" });
      await ff.send("browsingContext.close", { context });
      closedAt = Date.now();
      await inventory(sim, { G2: { O: 50 } });
    }
    const order = await until(async () => (await sim.orders()).find((o) => o.status === "unpaid"), 60000, "the order");
    assert.equal(order.train, "G2");
    if (!closeTab) {
      const shown = await until(
        async () => (await ff.call(context, `(root) => root.getElementById("kyfw-result").getAttribute("data-order-id")`, root)).value || null,
        20000,
        "the panel's order id",
      );
      assert.equal(shown, order.id);
    }
    // Page transport (content.fetch) or background transport (fetch + DNR rule): the cookies, the Origin and
    // the Referer of each step as on the page.
    const posts = (await sim.requests()).filter(
      (r) => r.t_ms > closedAt && r.method === "POST" && /confirmPassenger\/(checkOrderInfo|confirmSingleForQueue)/.test(r.path),
    );
    assert.ok(posts.length >= 2);
    for (const r of posts) {
      assert.equal(r.headers.origin, KYFW, `${r.path} Origin`);
      assert.equal(r.headers.referer, `${KYFW}/otn/confirmPassenger/initDc`, `${r.path} Referer`);
      assert.match(r.headers.cookie || "", /JSESSIONID=/);
    }
    if (scenario) {
      const requests = await sim.requests();
      const pages = requests.filter((r) => r.path.includes("confirmPassenger/initDc"));
      const modes = pages.map((r) => [r.headers["sec-fetch-mode"], r.status]);
      assert.deepEqual(modes, [["cors", 302], ["navigate", 200]], JSON.stringify(modes));
      assert.equal(pages[1].headers.origin, KYFW, "the frame's form POST comes from the page");
      assert.match(pages[1].headers.cookie || "", /JSESSIONID=/);
      const confirms = requests.filter((r) => r.path.includes("confirmSingleForQueue"));
      assert.equal(confirms.length, 1, "one confirm, accepted");
      assert.match(new URLSearchParams(confirms[0].body).get("encryptedData"), /^[0-9a-f]{64}$/);
    }
  } finally {
    await ff.close();
    proxy.close();
    await sim.stop();
  }
}
