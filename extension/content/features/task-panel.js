// The compact 自动预订 panel on the query page: login state, the account's passengers (loaded through the
// background from getPassengerDTOs) with a ticket type and an optional seat each, seat classes in priority order,
// 无座, the query interval, a stop button and the live step log of this tab's task.
// Settings persist in chrome.storage.local so the panel comes back as the user left it.
//
// The panel lives in a closed shadow root: the page's scripts cannot find, read or change it (no page script
// may tick a passenger, change a class or press Stop), and its handlers act only on the user's own input
// (`isTrusted`, kyfw.h). Everything it shows comes from the background already masked and capped.
// `kyfw.panel.root` is that shadow root for the end-to-end tests: it lives in this content script's isolated
// world, which page scripts cannot reach (e2e/harness/panel.mjs evaluates there through the DevTools protocol).
"use strict";

/** The scripts' shared namespace (typed in types/content.d.ts); each script adds its part. @type {KyfwContent} */
var kyfw = globalThis.kyfw || (globalThis.kyfw = /** @type {KyfwContent} */ ({}));

kyfw.panel = (() => {
  const { h, t, send } = kyfw;
  const SETTINGS_KEY = "panelSettings";
  const LOGIN_URL = "https://kyfw.12306.cn/otn/resources/login.html";
  const UNFINISHED_URL = "https://kyfw.12306.cn/otn/view/train_order.html";
  /**
   * The seat classes to offer, with the query table's column of each: the core's list (SeatClass::ALL), handed
   * over by the background (`seatClasses`; a content script cannot load the core). 无座 is the separate "accept
   * 无座" switch because it is never submitted as a class of its own.
   * @type {import("../../wasm/kyfw.js").SeatClasses}
   */
  let seatChoices = { classes: [], emuTrainLetters: "" };

  /**
   * The classes the trains the table shows sell (a cell that is not `--`), or null when the table shows no
   * train (then every class is offered). A shared column (软卧/一等卧, 硬卧/二等卧, 高级软卧/高级动卧) counts
   * for the class of the row's kind of train; the core checks the exact class against the train's own seat
   * codes when the task runs.
   */
  function offeredSeats() {
    const rows = document.querySelectorAll("#queryLeftTable tr[id^='ticket_']");
    if (rows.length === 0) return null;
    const offered = new Set();
    for (const row of rows) {
      const train = kyfw.pageInfo.trainCode(row);
      const emu = train !== "" && seatChoices.emuTrainLetters.includes(train[0]);
      for (const seat of seatChoices.classes) {
        if (!seat.column || (seat.trains === "emu" && !emu) || (seat.trains === "conventional" && emu)) continue;
        const cell = row.querySelector(`td[id^='${seat.column}_']`);
        const text = cell && cell.textContent ? cell.textContent.trim() : "";
        if (text && text !== "--") offered.add(seat.code);
      }
    }
    return offered;
  }

  /** The classes to show: those the shown trains sell, plus whatever is ticked already (never hidden silently). */
  function visibleSeats() {
    const offered = offeredSeats();
    return seatChoices.classes.filter(({ code }) => !offered || offered.has(code) || settings.seats.includes(code));
  }

  const TICKET_TYPES = [
    ["1", "ticketAdult"],
    ["2", "ticketChild"],
    ["3", "ticketStudent"],
    ["4", "ticketDisabled"],
  ];

  // 选座/选铺 wishes (sent only where 12306's order page offers the choice).
  const PLACES = [
    ["", "placeAny"],
    ["A", "placeWindowA"],
    ["F", "placeWindowF"],
    ["C", "placeAisleC"],
    ["D", "placeAisleD"],
    ["B", "placeMiddleB"],
    ["Lower", "berthLower"],
    ["Middle", "berthMiddle"],
    ["Upper", "berthUpper"],
  ];
  const WAITLIST = [
    ["off", "waitlistOff"],
    ["whenSoldOut", "waitlistWhenSoldOut"],
    ["only", "waitlistOnly"],
  ];

  /** @type {import("../../types/extension").PanelSettings} */
  let settings = { passengers: {}, seats: ["O"], acceptNoSeat: false, intervalS: 3 };
  /** @type {import("../../wasm/kyfw.js").PassengerChoice[]} */
  let passengers = [];
  /** @type {string | null} */
  let currentTaskId = null;
  /** @type {ShadowRoot | null} */
  let root = null;
  /**
   * The panel's elements, made by build().
   * @typedef {{panel: HTMLElement, status: HTMLElement, login: HTMLElement, body: HTMLElement,
   *   passengerState: HTMLElement, passengers: HTMLElement, seats: HTMLElement, log: HTMLElement,
   *   result: HTMLElement, stop: HTMLButtonElement}} PanelElements
   */
  const el = /** @type {PanelElements} */ ({});

  /** @param {{name: string, idNo: string}} p */
  const passengerKey = (p) => `${p.name}|${p.idNo}`;

  async function loadSettings() {
    const stored = await chrome.storage.local.get(SETTINGS_KEY);
    const saved = stored[SETTINGS_KEY];
    if (saved && typeof saved === "object") settings = { ...settings, ...saved };
  }

  function saveSettings() {
    chrome.storage.local.set({ [SETTINGS_KEY]: settings });
  }

  /** @param {import("../../wasm/kyfw.js").PassengerChoice} p */
  function passengerRow(p) {
    const key = passengerKey(p);
    const saved = settings.passengers[key] || {};
    const ticketType = saved.ticketType || (["1", "2", "3", "4"].includes(p.passengerType) ? p.passengerType : "1");
    /** @param {Partial<import("../../types/extension").PassengerSetting>} patch */
    const update = (patch) => {
      settings.passengers[key] = { ...(settings.passengers[key] || { ticketType }), ...patch };
      saveSettings();
    };
    return h(
      "li",
      { class: "kyfw-passenger", "data-name": p.name },
      h(
        "label",
        {},
        h("input", {
          type: "checkbox",
          class: "kyfw-pass-check",
          checked: !!saved.checked,
          onchange: (e) => update({ checked: e.target.checked }),
        }),
        p.name,
      ),
      h(
        "select",
        { class: "kyfw-ticket-type", onchange: (e) => update({ ticketType: e.target.value }) },
        TICKET_TYPES.map(([code, label]) => h("option", { value: code, selected: code === ticketType }, t(label))),
      ),
      h(
        "select",
        { class: "kyfw-pass-seat", onchange: (e) => update({ seat: e.target.value || null }) },
        h("option", { value: "" }, t("seatAny")),
        seatChoices.classes.map(({ code, name }) => h("option", { value: code, selected: code === saved.seat }, name)),
      ),
      h(
        "select",
        { class: "kyfw-pass-place", onchange: (e) => update({ place: e.target.value || null }) },
        PLACES.map(([value, label]) => h("option", { value, selected: value === (saved.place || "") }, t(label))),
      ),
    );
  }

  function renderPassengers() {
    el.passengers.replaceChildren(...passengers.map(passengerRow));
  }

  // Shows each ticked class's priority as a small number; updated in place so the checkboxes stay the same nodes.
  function renderRanks() {
    for (const label of el.seats.querySelectorAll("label.kyfw-seat")) {
      const rank = settings.seats.indexOf(label.getAttribute("data-code") || "");
      const sup = label.querySelector("sup");
      if (sup) sup.textContent = rank >= 0 ? String(rank + 1) : "";
    }
  }

  // What the seat list last showed, so that a re-render of the table that changes nothing changes nothing here.
  let shownSeats = "";

  function renderSeats() {
    const visible = visibleSeats();
    shownSeats = visible.map(({ code }) => code).join("");
    el.seats.replaceChildren(
      ...visible.map(({ code, name }) =>
        h(
          "label",
          { class: "kyfw-seat", "data-code": code },
          h("input", {
            type: "checkbox",
            value: code,
            checked: settings.seats.includes(code),
            onchange: (e) => {
              // Ticking appends (lowest priority so far); unticking removes: the order of ticking is the priority.
              settings.seats = settings.seats.filter((c) => c !== code);
              if (e.target.checked) settings.seats.push(code);
              saveSettings();
              renderRanks();
            },
          }),
          name,
          h("sup", {}),
        ),
      ),
    );
    renderRanks();
  }

  async function loadPassengers() {
    el.passengerState.textContent = t("passengersLoading");
    const answer = await send({ type: "passengers" });
    if (answer.ok) {
      passengers = answer.passengers;
      el.passengerState.textContent = "";
      renderPassengers();
    } else if (answer.loginRequired) {
      showLoginRequired();
    } else {
      el.passengerState.textContent = t("passengersFailed", answer.error || "?");
    }
  }

  function showLoginRequired() {
    el.login.hidden = false;
    el.body.hidden = true;
  }

  async function checkLogin() {
    el.login.hidden = true;
    el.status.textContent = t("loginChecking");
    const answer = await send({ type: "loginStatus" });
    el.status.textContent = "";
    if (answer.ok && answer.loggedIn === false) {
      showLoginRequired();
      return false;
    }
    el.body.hidden = false;
    return true;
  }

  /** @param {import("../../types/extension").TaskView | null} task */
  function renderTask(task) {
    if (!task) return;
    if (task.id !== currentTaskId) say(""); // the "starting…" note is superseded by the task's own log
    currentTaskId = task.id;
    // Exposed on the panel for styling and for tests that wait on the outcome.
    el.panel.dataset.taskId = task.id;
    el.panel.dataset.state = task.state;
    el.stop.disabled = task.state !== "running";
    el.log.replaceChildren(
      ...(task.log || []).map((line) => h("li", { class: `kyfw-log-${line.kind || "info"}` }, line.text)),
    );
    el.log.scrollTop = el.log.scrollHeight;
    el.result.replaceChildren();
    el.result.removeAttribute("data-order-id");
    el.result.className = "";
    if (task.state === "done" && task.orderId) {
      el.result.className = "kyfw-ok";
      el.result.setAttribute("data-order-id", task.orderId);
      el.result.append(
        t("orderPlaced", task.orderId),
        " ",
        h("a", { href: UNFINISHED_URL, target: "_blank" }, t("payLink")),
      );
    } else if (task.state === "failed") {
      el.result.className = "kyfw-err";
      el.result.append(t("failed", task.message || ""));
    } else if (task.state === "needsUser") {
      el.result.className = "kyfw-err";
      if (task.reasonKind === "login") {
        el.result.append(t("loginRequired"), " ", h("a", { href: LOGIN_URL }, t("loginLink")));
      } else {
        el.result.append(
          t("needsUser", task.message || ""),
          " ",
          h("a", { href: UNFINISHED_URL, target: "_blank" }, t("unfinishedLink")),
        );
      }
    } else if (task.state === "stopped" && task.orderMayExist) {
      el.result.className = "kyfw-err";
      el.result.append(
        t("stoppedOrderMayExist"),
        " ",
        h("a", { href: UNFINISHED_URL, target: "_blank" }, t("unfinishedLink")),
      );
    } else if (task.state === "stopped") {
      el.result.append(t("taskStopped"));
    }
  }

  /** @param {string} text @param {"err" | "ok"} [kind] */
  function say(text, kind) {
    el.status.textContent = text;
    el.status.className = kind ? `kyfw-${kind}` : "";
  }

  /** Starts a task for `train` from the current query and the panel's choices. @param {string} train */
  async function startFor(train) {
    const query = kyfw.pageInfo.query();
    if (!train || !query.date || !query.from.code || !query.to.code) return say(t("noTrainInfo"), "err");
    if (!(await checkLogin())) return;
    const chosen = passengers.filter((p) => settings.passengers[passengerKey(p)]?.checked);
    if (chosen.length === 0) return say(t("noPassenger"), "err");
    if (settings.seats.length === 0 && !settings.acceptNoSeat && chosen.every((p) => !settings.passengers[passengerKey(p)].seat)) {
      return say(t("noSeat"), "err");
    }
    /** @type {import("../../wasm/kyfw.js").TaskSpec} */
    const spec = {
      train,
      date: query.date,
      from: query.from.code,
      to: query.to.code,
      fromName: query.from.name,
      toName: query.to.name,
      queryPath: kyfw.pageInfo.queryPath(),
      seats: settings.seats,
      acceptNoSeat: settings.acceptNoSeat,
      intervalMs: Math.max(1, Number(settings.intervalS) || 3) * 1000,
      passengers: chosen.map((p) => {
        const s = settings.passengers[passengerKey(p)];
        const place = s.place || null;
        const berth = place === "Lower" || place === "Middle" || place === "Upper" ? place : null;
        const letter = place === "A" || place === "B" || place === "C" || place === "D" || place === "F" ? place : null;
        return {
          name: p.name,
          idNo: p.idNo,
          ticketType: s.ticketType || "1",
          seat: s.seat || null,
          passengerType: p.passengerType,
          seatLetter: letter,
          berth,
        };
      }),
      waitlist: { policy: settings.waitlist || "off", keepPolling: false, deadlineMin: 360 },
    };
    say(t("taskStarted", train));
    const answer = await send({ type: "startTask", spec });
    if (!answer.ok) return say(answer.error || "?", "err");
    renderTask(answer.task);
  }

  function build() {
    el.status = h("div", { id: "kyfw-status", role: "status" });
    el.login = h(
      "div",
      { id: "kyfw-login-required", hidden: true },
      h("strong", {}, t("loginRequired")),
      " ",
      h("a", { href: LOGIN_URL }, t("loginLink")),
    );
    el.passengerState = h("div", { class: "kyfw-muted" });
    el.passengers = h("ul", { id: "kyfw-passengers" });
    el.seats = h("div", { id: "kyfw-seats" });
    el.log = h("ol", { id: "kyfw-log" });
    el.result = h("div", { id: "kyfw-result" });
    el.stop = h("button", {
      type: "button",
      id: "kyfw-stop",
      disabled: true,
      onclick: () => currentTaskId && send({ type: "stopTask", taskId: currentTaskId }),
    }, t("stop"));
    el.body = h(
      "div",
      { id: "kyfw-body" },
      h(
        "div",
        { class: "kyfw-section" },
        h("b", {}, t("passengers")),
        " ",
        h("a", { class: "kyfw-small", onclick: loadPassengers, role: "button", tabindex: "0" }, t("passengersReload")),
      ),
      el.passengerState,
      el.passengers,
      h("div", { class: "kyfw-section" }, h("b", {}, t("seats"))),
      el.seats,
      h(
        "div",
        { class: "kyfw-section" },
        h(
          "label",
          {},
          h("input", {
            type: "checkbox",
            id: "kyfw-accept-noseat",
            checked: settings.acceptNoSeat,
            onchange: (e) => {
              settings.acceptNoSeat = e.target.checked;
              saveSettings();
            },
          }),
          t("acceptNoSeat"),
        ),
        " ",
        h(
          "select",
          {
            id: "kyfw-waitlist",
            onchange: (e) => {
              const v = e.target.value;
              settings.waitlist = v === "whenSoldOut" || v === "only" ? v : "off";
              saveSettings();
            },
          },
          WAITLIST.map(([value, label]) => h("option", { value, selected: value === (settings.waitlist || "off") }, t(label))),
        ),
        " ",
        h(
          "label",
          {},
          t("interval"),
          " ",
          h("input", {
            type: "number",
            id: "kyfw-interval",
            min: "1",
            max: "60",
            value: String(settings.intervalS),
            onchange: (e) => {
              settings.intervalS = Math.min(60, Math.max(1, Number(e.target.value) || 3));
              saveSettings();
            },
          }),
        ),
      ),
      h("div", { class: "kyfw-section" }, h("b", {}, t("log")), " ", el.stop),
      el.log,
      el.result,
    );
    const toggle = h(
      "a",
      {
        class: "kyfw-small",
        role: "button",
        tabindex: "0",
        onclick: () => {
          const collapsed = el.panel.classList.toggle("kyfw-collapsed");
          toggle.textContent = collapsed ? t("panelExpand") : t("panelCollapse");
        },
      },
      t("panelCollapse"),
    );
    el.panel = h(
      "section",
      { id: "kyfw-panel", lang: "zh-CN" },
      h("header", {}, h("b", {}, t("panelTitle")), toggle),
      el.status,
      el.login,
      el.body,
    );
    // A custom element name: the page's stylesheets have no rules for it (a <div> host would take theirs).
    const host = document.createElement("kyfw-panel-host");
    root = host.attachShadow({ mode: "closed" });
    root.append(h("style", {}, kyfw.panelCss || ""), el.panel);
    document.body.append(host);
    renderSeats();
  }

  chrome.runtime.onMessage.addListener((message, sender) => {
    if (sender.id !== chrome.runtime.id || !message || message.type !== "taskUpdate") return false;
    renderTask(message.task);
    return false;
  });

  async function init() {
    const [, classes] = await Promise.all([loadSettings(), send({ type: "seatClasses" })]);
    if (classes.ok) seatChoices = { classes: classes.classes, emuTrainLetters: classes.emuTrainLetters };
    build();
    if (!classes.ok) say(classes.error, "err");
    if (await checkLogin()) {
      await loadPassengers();
      const answer = await send({ type: "tabTask" });
      if (answer.ok && answer.task) renderTask(answer.task);
    }
  }

  /** The query table changed (a new query): offer the classes its trains sell. */
  function tableChanged() {
    if (!el.seats) return;
    const next = visibleSeats()
      .map(({ code }) => code)
      .join("");
    if (next !== shownSeats) {
      renderSeats();
      renderRanks();
    }
  }

  init();
  return {
    startFor,
    tableChanged,
    /** The panel's shadow root (closed to the page), for the end-to-end tests; null until built. */
    get root() {
      return root;
    },
  };
})();
