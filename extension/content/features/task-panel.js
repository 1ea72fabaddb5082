// The compact 自动预订 panel on the query page: login state; the task being prepared (the trains pressed in the
// table, in priority order, reorderable and removable, for the query the table shows) and its start button; this
// tab's tasks, each with a summary (date, route, trains, classes, passengers, state, next query or the sale's
// countdown, the opening's burst, trains cooling down), stop / continue, its live log and outcome; and the
// account's passengers (loaded through the background from getPassengerDTOs) with a ticket type and an optional
// seat each, seat classes in priority order, 无座 and the query interval. A press never touches a running task:
// a task prepared while one runs starts beside it. Where the panel sits is panel-place.js's.
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
  let seatChoices = { classes: [], emuTrainLetters: "", waitlistDeadlinesMin: [], waitlistDefaultDeadlineMin: 360 };

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
  /** @type {Record<string, string>} */
  const WAITLIST_LABEL = Object.fromEntries(WAITLIST);

  /** 截止兑现时间 in the user's language: "开车前 2 小时" (whole hours) or "开车前 20 分钟". @param {number} min */
  function deadlineText(min) {
    return min % 60 === 0 ? t("waitlistDeadlineHours", min / 60) : t("waitlistDeadlineMinutes", min);
  }

  /**
   * The 候补 order's state as the core reports it (Status.waitlist): being placed, may exist, waiting (with its
   * 候补订单号 and deadline) or fulfilled; "" when there is none.
   * @param {import("../../wasm/kyfw.js").WaitlistStatus | null | undefined} wl
   */
  function waitlistStateText(wl) {
    if (!wl) return "";
    const no = wl.reserveNo || "";
    if (wl.fulfilled) return t("waitlistStateFulfilled", no);
    if (no) return t("waitlistStateWaiting", no, deadlineText(wl.deadlineMin));
    return t(wl.mayExist ? "waitlistStateMayExist" : "waitlistStatePlacing");
  }

  /** @type {import("../../types/extension").PanelSettings} */
  let settings = { passengers: {}, seats: ["O"], acceptNoSeat: false, intervalS: 3 };
  /** @type {import("../../wasm/kyfw.js").PassengerChoice[]} */
  let passengers = [];
  /** Where the panel was left (panel-place.js). */
  let place = { right: 12, bottom: 12, collapsed: false };
  /** @type {ShadowRoot | null} */
  let root = null;
  /**
   * The panel's elements, made by build().
   * @typedef {{panel: HTMLElement, status: HTMLElement, login: HTMLElement, body: HTMLElement,
   *   passengerState: HTMLElement, passengers: HTMLElement, seats: HTMLElement, log: HTMLElement,
   *   result: HTMLElement, stop: HTMLButtonElement, continue: HTMLButtonElement, draft: HTMLElement,
   *   draftTitle: HTMLElement, draftTrains: HTMLElement, draftNote: HTMLElement, trainAdd: HTMLInputElement, tasks: HTMLElement,
   *   current: HTMLElement, summary: HTMLElement, live: HTMLElement, settings: HTMLElement,
   *   intervalError: HTMLElement, waitlistMore: HTMLElement, waitlistDeadline: HTMLSelectElement,
   *   waitlistError: HTMLElement, quiet: HTMLElement}} PanelElements
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
      renderQuiet();
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
        seatChoices.classes.map(({ code }) => h("option", { value: code, selected: code === saved.seat }, seatName(code))),
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
      ...visible.map(({ code }) =>
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
              renderQuiet();
            },
          }),
          seatName(code),
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
    if (answer.ok) kyfw.draftOptions?.setDays(answer);
    if (answer.ok && answer.loggedIn === false) {
      showLoginRequired();
      return false;
    }
    el.body.hidden = false;
    return true;
  }

  /** @type {Map<string, import("../../types/extension").TaskView>} this tab's tasks by id */
  const tasks = new Map();
  /** @type {string | null} the task whose summary, log and result the panel shows */
  let selectedId = null;
  /**
   * The task being prepared: the trains pressed in the table, in priority order, for the query the table showed.
   * @type {{trains: string[], query: NonNullable<ReturnType<KyfwPageInfo["shownQuery"]>>} | null}
   */
  let draft = null;

  /** @param {number} ms */
  function duration(ms) {
    const s = Math.max(0, Math.ceil(ms / 1000));
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");
    return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${pad(m)}:${pad(s % 60)}`;
  }

  /**
   * A sale's time of day in Beijing time (UTC+8), as 12306 announces it in the rows ("13点30分起售"), wherever the
   * computer's time zone is; the same as the popup's and the tooltip's (shared/common.js beijingClock).
   * @param {number} ms
   */
  function beijingClockText(ms) {
    return new Date(ms + 8 * 3600000).toISOString().slice(11, 19);
  }

  /** @param {number} ms */
  function clockText(ms) {
    const d = new Date(ms);
    const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");
    return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  }

  /** A seat class's name in the user's language (the core's Chinese name when the locale has none). @param {string} code */
  function seatName(code) {
    const name = t(`seat_${code}`);
    return name !== `seat_${code}` ? name : seatChoices.classes.find((c) => c.code === code)?.name || code;
  }

  /** The seat class names of codes, in order. @param {string[]} codes */
  function seatNames(codes) {
    return codes.map(seatName);
  }

  /** @param {import("../../types/extension").TaskView} task */
  function displayState(task) {
    if (task.state !== "running") return task.state;
    const step = task.status && task.status.step;
    // Before a sale opens the task waits for the opening, not for tickets.
    if (step && ["saleProbe", "saleWait", "warmUp", "clockProbe"].includes(step)) return "saleWaiting";
    return !step || ["loginConf", "query"].includes(step) ? "waiting" : "running";
  }

  /** The live parts of a task's summary (countdowns), recomputed every second. @param {import("../../types/extension").TaskView} task */
  function liveRows(task, now = Date.now()) {
    /** @type {[string, string, string][]} label, value, class */
    const rows = [];
    const status = task.status;
    if (task.state === "done" && task.payBy) {
      // The order's payment clock, counted down live (the background decides the deadline: payBy).
      const left = task.payBy.ms - now;
      const at = clockText(task.payBy.ms).slice(0, 5);
      rows.push([t("sumPay"), left > 0 ? t("payCountdown", duration(left), task.payBy.exact ? at : t("aboutTime", at)) : t("payExpired"), "kyfw-pay"]);
    }
    if (task.state !== "running" || !status) return rows;
    if (status.opensAtLocal != null && status.opensAtLocal > now) {
      // Counted down on this computer's clock; the time of day as 12306 says it (its clock, opensAt).
      const at = beijingClockText(status.opensAt ?? status.opensAtLocal);
      rows.push([t("sumOpens"), t("countdown", duration(status.opensAtLocal - now), at), "kyfw-opens"]);
    } else if (status.nextTryAt != null) {
      const s = Math.ceil((status.nextTryAt - now) / 1000);
      rows.push([t("sumNext"), s > 0 ? t("inSeconds", s) : t("popupNow"), "kyfw-next"]);
    }
    if (status.burstUntil != null && status.burstUntil > now && status.burstQueriesLeft != null) {
      rows.push([t("sumBurst"), t("sumBurstLeft", status.burstQueriesLeft), "kyfw-burst"]);
    }
    // Trains left out for a while, each with why (the core's reason code, in the user's language).
    const cooling = (status.cooldowns || []).filter((c) => c.until > now);
    if (cooling.length) {
      const text = cooling
        .map((c) => {
          const why = c.reason ? t(`reason_${c.reason}`) : "";
          const line = t("cooldownUntil", c.train, Math.ceil((c.until - now) / 1000));
          return why && !why.startsWith("reason_") ? t("cooldownWhy", line, why) : line;
        })
        .join(t("listSep"));
      rows.push([t("sumCooldown"), text, "kyfw-cooldown"]);
    }
    return rows;
  }

  /** @param {[string, string, string][]} rows */
  function dl(rows) {
    return rows.filter(([, value]) => value).flatMap(([label, value, cls]) => [h("dt", {}, label), h("dd", { class: cls }, value)]);
  }

  /**
   * The options of the selected task that narrow it (kinds, departure window, least seats, booking for fewer),
   * only those set: the summary stays short for a plain task.
   * @param {import("../../types/extension").TaskView} task
   * @returns {[string, string, string][]}
   */
  function optionSummary(task) {
    /** @type {[string, string, string][]} */
    const rows = [];
    if (task.trainTypes && task.trainTypes.length) rows.push([t("sumTypes"), task.trainTypes.map((c) => t(`optType${c}`)).join(" · "), "kyfw-sum-types"]);
    const { departAfter: from, departBefore: to } = task;
    if (from || to) rows.push([t("sumWindow"), from && to ? t("windowFromTo", from, to) : from ? t("windowFrom", from) : t("windowTo", to || ""), "kyfw-sum-window"]);
    if (task.minSeats != null) rows.push([t("sumMinSeats"), String(task.minSeats), "kyfw-sum-min-seats"]);
    if (task.allowFewer) rows.push([t("sumAllowFewer"), t("allowFewerYes"), "kyfw-sum-allow-fewer"]);
    return rows;
  }

  /** The selected task's summary: what it books and what it waits for. @param {import("../../types/extension").TaskView} task */
  function summaryRows(task) {
    const seats = seatNames(task.seats || []);
    if (task.acceptNoSeat) seats.push(t("noSeatShort"));
    /** @type {[string, string, string][]} */
    const rows = [
      [t("sumDate"), (task.dates && task.dates.length ? task.dates : [task.date || ""]).join(" › "), "kyfw-sum-date"],
      [t("sumRoute"), task.route || "", "kyfw-sum-route"],
      [t("sumTrains"), (task.trains || (task.train ? task.train.split("/") : [])).join(" › "), "kyfw-sum-trains"],
      [t("sumSeats"), seats.join(" › "), "kyfw-sum-seats"],
      [t("sumPassengers"), (task.passengers || []).join("、"), "kyfw-sum-passengers"],
      [t("sumState"), t(`state_${displayState(task)}`), "kyfw-sum-state"],
      ...optionSummary(task),
      ...waitlistSummary(task),
    ];
    return rows;
  }

  /**
   * The task's 候补 settings (only when it may 候补) and, once the core reports it (Status.waitlist), the 候补
   * order's state; 静音车厢 when asked for.
   * @param {import("../../types/extension").TaskView} task
   * @returns {[string, string, string][]}
   */
  function waitlistSummary(task) {
    /** @type {[string, string, string][]} */
    const rows = [];
    const wl = task.waitlist;
    if (wl && wl.policy && wl.policy !== "off") {
      const parts = [t(WAITLIST_LABEL[wl.policy || "off"] || "waitlistOff")];
    if (wl.deadlineMin != null) parts.push(deadlineText(wl.deadlineMin));
      if (wl.keepPolling) parts.push(t("waitlistKeepPollingShort"));
      rows.push([t("sumWaitlist"), parts.join(" · "), "kyfw-sum-waitlist"]);
    }
    const state = waitlistStateText(task.status?.waitlist);
    if (state) rows.push([t("sumWaitlistState"), state, "kyfw-sum-waitlist-state"]);
    if (task.quietCarriage) rows.push([t("quietCarriage"), t("quietCarriageYes"), "kyfw-sum-quiet"]);
    return rows;
  }

  function renderTasks() {
    const list = [...tasks.values()].sort((a, b) => b.createdAt - a.createdAt);
    el.tasks.hidden = list.length < 2;
    el.tasks.replaceChildren(
      ...list.map((task) =>
        h(
          "li",
          {
            class: `kyfw-task${task.id === selectedId ? " kyfw-selected" : ""}`,
            "data-id": task.id,
            "data-state": task.state,
            role: "button",
            tabindex: "0",
            onclick: () => select(task.id),
            onkeydown: (/** @type {KeyboardEvent} */ e) => (e.key === "Enter" || e.key === " ") && select(task.id),
          },
          h("b", {}, (task.trains || [task.train]).join(" › ")),
          " ",
          task.date,
          " ",
          h("span", { class: `kyfw-state kyfw-state-${displayState(task)}` }, t(`state_${displayState(task)}`)),
        ),
      ),
    );
  }

  /** @param {string} id */
  function select(id) {
    selectedId = id;
    renderTasks();
    renderSelected();
  }

  /** The selected task: summary, controls, log and result. */
  function renderSelected() {
    const task = selectedId ? tasks.get(selectedId) : null;
    el.current.hidden = !task;
    if (!task) {
      delete el.panel.dataset.taskId;
      delete el.panel.dataset.state;
      return;
    }
    // Exposed on the panel for styling and for tests that wait on the outcome.
    el.panel.dataset.taskId = task.id;
    el.panel.dataset.state = task.state;
    el.summary.replaceChildren(...dl(summaryRows(task)));
    renderLive();
    el.stop.hidden = task.state !== "running";
    el.stop.disabled = task.state !== "running";
    el.continue.hidden = !["needsUser", "stopped", "failed"].includes(task.state);
    el.continue.textContent = task.state === "needsUser" ? t("continueTask") : t("startAgain");
    // A task that ended with our own sentence (已停止, the stop-with-order warning) says it in the result line below,
    // with its link: the same sentence as the log's last line would say it twice, in red, at the panel's busiest spot.
    const closing = task.state === "stopped" ? t(task.orderMayExist ? "stoppedOrderMayExist" : "taskStopped") : null;
    const lines = task.log || [];
    const last = lines[lines.length - 1];
    const shown = closing && last && !last.server && last.text === closing ? lines.slice(0, -1) : lines;
    el.log.replaceChildren(
      ...shown.map((line) =>
        h(
          "li",
          { class: `kyfw-log-${line.kind || "info"}` },
          line.text,
          // 12306's own words: as text, marked as 12306's (and as Chinese, for screen readers).
          line.server ? [" ", h("q", { class: "kyfw-server", lang: "zh-CN" }, line.server)] : null,
        ),
      ),
    );
    el.log.scrollTop = el.log.scrollHeight;
    el.result.replaceChildren();
    el.result.removeAttribute("data-order-id");
    el.result.className = "";
    if (task.state === "done" && task.orderId) {
      el.result.className = "kyfw-ok";
      el.result.setAttribute("data-order-id", task.orderId);
      el.result.append(t("orderPlaced", task.orderId), " ", h("a", { href: UNFINISHED_URL, target: "_blank" }, t("payLink")));
    } else if (task.state === "failed") {
      el.result.className = "kyfw-err";
      el.result.append(t("failed", task.message || ""));
    } else if (task.state === "needsUser") {
      el.result.className = "kyfw-err";
      if (task.reasonKind === "login") {
        el.result.append(t("loginRequired"), " ", loginLink());
      } else {
        el.result.append(t("needsUser", task.message || ""), " ", h("a", { href: UNFINISHED_URL, target: "_blank" }, t("unfinishedLink")));
      }
    } else if (task.state === "stopped" && task.orderMayExist) {
      el.result.className = "kyfw-err";
      el.result.append(t("stoppedOrderMayExist"), " ", h("a", { href: UNFINISHED_URL, target: "_blank" }, t("unfinishedLink")));
    } else if (task.state === "stopped") {
      el.result.append(t("taskStopped"));
    }
  }

  /** The countdowns of the selected task, every second. */
  function renderLive() {
    const task = selectedId ? tasks.get(selectedId) : null;
    el.live.replaceChildren(...(task ? dl(liveRows(task)) : []));
  }

  /** @param {import("../../types/extension").TaskView | null} task */
  function renderTask(task) {
    if (!task) return;
    const isNew = !tasks.has(task.id);
    tasks.set(task.id, task);
    // A new task of this tab (started here or joined) is the one to look at; its own log supersedes the note.
    if (isNew || !selectedId) {
      selectedId = task.id;
      say("");
    }
    renderTasks();
    if (task.id === selectedId) renderSelected();
  }

  /**
   * The link to 12306's QR login. Pressed, it first remembers this query page with the search the table shows
   * (login-return.js brings the user back to it after the login, instead of leaving them on 个人中心).
   */
  function loginLink() {
    return h(
      "a",
      {
        href: LOGIN_URL,
        class: "kyfw-login-link",
        onclick: async (/** @type {MouseEvent} */ e) => {
          e.preventDefault();
          const q = kyfw.pageInfo.shownQuery() || kyfw.pageInfo.query();
          let url = location.href;
          if (q.date && q.from.code && q.to.code) {
            const station = (/** @type {{name: string, code: string}} */ s) => encodeURIComponent(`${s.name || s.code},${s.code}`);
            url = `${location.origin}/otn/leftTicket/init?linktypeid=dc&fs=${station(q.from)}&ts=${station(q.to)}&date=${q.date}&flag=N,N,Y`;
          }
          await chrome.storage.local.set({ loginReturn: { url, at: Date.now() } });
          location.assign(LOGIN_URL);
        },
      },
      t("loginLink"),
    );
  }

  /** @param {string} text @param {"err" | "ok"} [kind] */
  function say(text, kind) {
    el.status.textContent = text;
    el.status.className = kind ? `kyfw-${kind}` : "";
  }

  /** @param {NonNullable<ReturnType<KyfwPageInfo["shownQuery"]>>} a @param {NonNullable<ReturnType<KyfwPageInfo["shownQuery"]>>} b */
  const sameQuery = (a, b) => a.date === b.date && a.from.code === b.from.code && a.to.code === b.to.code;

  /**
   * A row's 自动预订: adds its train to the task being prepared, for the query the table shows. A running task
   * is never touched: the prepared one starts beside it when the user says so.
   * @param {string} train
   */
  function press(train) {
    const query = kyfw.pageInfo.shownQuery() || kyfw.pageInfo.query();
    if (!train || !query.date || !query.from.code || !query.to.code) return say(t("noTrainInfo"), "err");
    if (draft && !sameQuery(draft.query, query)) {
      draft = null;
      say(t("draftNewQuery"));
    } else {
      say("");
    }
    if (!draft) {
      draft = { trains: [], query };
      kyfw.draftOptions?.reset(query.date);
    }
    if (!draft.trains.includes(train)) draft.trains.push(train);
    renderDraft();
  }

  /**
   * A train typed into the draft: a code (`G2`), a pattern (`G1**`, `D%`) or a regex (`re:…`), after the pressed
   * ones. Only tidied here (codes and patterns are upper case); the core's taskFromSpec judges it at the start and
   * its refusal names the entry.
   */
  function addTyped() {
    const typed = el.trainAdd.value.trim();
    if (!draft || !typed) return;
    const train = typed.startsWith("re:") ? typed : typed.toUpperCase();
    if (!draft.trains.includes(train)) draft.trains.push(train);
    el.trainAdd.value = "";
    renderDraft();
  }

  function renderDraft() {
    el.draft.hidden = !draft;
    if (!draft) return;
    const { trains, query } = draft;
    /** @param {number} from @param {number} to */
    const move = (from, to) => () => {
      if (!draft || to < 0 || to >= draft.trains.length) return;
      const [code] = draft.trains.splice(from, 1);
      draft.trains.splice(to, 0, code);
      renderDraft();
    };
    el.draftTitle.textContent = t("draftTitle", query.date, `${query.from.name || query.from.code}→${query.to.name || query.to.code}`);
    el.draftTrains.replaceChildren(
      ...trains.map((code, i) =>
        h(
          "li",
          { "data-train": code },
          h("b", {}, `${i + 1}. ${code}`),
          h("button", { type: "button", class: "kyfw-up", title: t("draftUp"), "aria-label": t("draftUp"), disabled: i === 0, onclick: move(i, i - 1) }, "↑"),
          h("button", { type: "button", class: "kyfw-down", title: t("draftDown"), "aria-label": t("draftDown"), disabled: i === trains.length - 1, onclick: move(i, i + 1) }, "↓"),
          h(
            "button",
            {
              type: "button",
              class: "kyfw-remove",
              title: t("draftRemove"),
              "aria-label": t("draftRemove"),
              onclick: () => {
                if (!draft) return;
                draft.trains = draft.trains.filter((c) => c !== code);
                if (draft.trains.length === 0) draft = null;
                renderDraft();
              },
            },
            "✕",
          ),
        ),
      ),
    );
    const running = [...tasks.values()].some((task) => task.state === "running");
    el.draftNote.textContent = running ? t("draftBesideRunning") : t("draftHint");
  }

  /** Starts the task being prepared, with the panel's passengers and classes. */
  async function startDraft() {
    if (!draft || draft.trains.length === 0) return say(t("draftEmpty"), "err");
    if (!(await checkLogin())) return;
    const chosen = passengers.filter((p) => settings.passengers[passengerKey(p)]?.checked);
    if (chosen.length === 0) return say(t("noPassenger"), "err");
    if (settings.seats.length === 0 && !settings.acceptNoSeat && chosen.every((p) => !settings.passengers[passengerKey(p)].seat)) {
      return say(t("noSeat"), "err");
    }
    const { trains, query } = draft;
    /** @type {import("../../wasm/kyfw.js").TaskSpec & {trains: string[], dates: string[]}} */
    const spec = {
      // `train`/`date`: the single-train request older cores read; `trains`/`dates` the task contract's lists.
      train: trains[0],
      trains: [...trains],
      date: query.date,
      dates: [query.date],
      // More dates, kinds, departure window, least seats, booking for fewer: the "more options" fold.
      ...(kyfw.draftOptions ? kyfw.draftOptions.spec() : {}),
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
      // The 候补 deadline as chosen; the core refuses one 12306 does not offer (badWaitlistDeadline, said below).
      waitlist: {
        policy: settings.waitlist || "off",
        keepPolling: !!settings.waitlistKeepPolling,
        // What the select shows (a stored value the core no longer offers shows as its first choice).
        deadlineMin: Number(el.waitlistDeadline.value) || seatChoices.waitlistDefaultDeadlineMin,
      },
      quietCarriage: !!settings.quietCarriage && !el.quiet.hidden,
    };
    say(t("taskStarted", trains.join(" › ")));
    kyfw.draftOptions?.clearErrors();
    el.waitlistError.textContent = "";
    el.waitlistDeadline.removeAttribute("aria-invalid");
    const answer = await send({ type: "startTask", spec });
    if (!answer.ok) {
      if (answer.code === "badWaitlistDeadline") {
        el.waitlistMore.hidden = false;
        el.waitlistError.textContent = answer.error;
        el.waitlistDeadline.setAttribute("aria-invalid", "true");
        return say(t("draftRefused"), "err");
      }
      // A refusal of an option is said at its field (and the status line says that something was refused).
      if (kyfw.draftOptions?.showRefusal(answer)) return say(t("draftRefused"), "err");
      return say(answer.error || "?", "err");
    }
    draft = null;
    renderDraft();
    if (answer.task) {
      tasks.delete(answer.task.id); // shown as the new one even when the press joined a task this tab follows
      renderTask(answer.task);
    }
  }

  /** @param {"stopTask" | "continueTask"} type */
  const act = (type) => async () => {
    if (!selectedId) return;
    const answer = await send({ type, taskId: selectedId });
    if (!answer.ok) say(answer.error || "?", "err");
  };

  /**
   * A typed interval: the core's rule decides (background checkInterval); a refused one keeps what was typed,
   * says why at the field, and is not used (the last accepted one stays).
   * @param {HTMLInputElement} field
   */
  async function intervalChanged(field) {
    const answer = await send({ type: "checkInterval", value: field.value });
    const check = answer.ok ? answer.check : null;
    if (!check || check.ms == null) {
      field.setAttribute("aria-invalid", "true");
      el.intervalError.textContent = check ? t(`intervalErr_${check.problem}`, check.minS, check.maxS) : answer.ok ? "" : answer.error;
      return;
    }
    field.removeAttribute("aria-invalid");
    el.intervalError.textContent = "";
    settings.intervalS = check.ms / 1000;
    saveSettings();
  }

  /** The 候补 deadline, keep-polling and its note: shown only while a 候补 policy is chosen (the panel stays small). */
  function buildWaitlistMore() {
    const chosen = settings.waitlistDeadlineMin ?? seatChoices.waitlistDefaultDeadlineMin;
    el.waitlistDeadline = /** @type {HTMLSelectElement} */ (
      h(
        "select",
        {
          id: "kyfw-waitlist-deadline",
          "aria-describedby": "kyfw-waitlist-error",
          onchange: (e) => {
            settings.waitlistDeadlineMin = Number(e.target.value);
            e.target.removeAttribute("aria-invalid");
            el.waitlistError.textContent = "";
            saveSettings();
          },
        },
        seatChoices.waitlistDeadlinesMin.map((min) => h("option", { value: String(min), selected: min === chosen }, deadlineText(min))),
      )
    );
    el.waitlistError = h("div", { id: "kyfw-waitlist-error", class: "kyfw-field-error", role: "alert" });
    el.waitlistMore = h(
      "div",
      { id: "kyfw-waitlist-more", hidden: (settings.waitlist || "off") === "off" },
      h("label", {}, t("waitlistDeadline"), " ", el.waitlistDeadline),
      " ",
      h(
        "label",
        { title: t("waitlistKeepPollingNote") },
        h("input", {
          type: "checkbox",
          id: "kyfw-waitlist-keep-polling",
          checked: !!settings.waitlistKeepPolling,
          onchange: (e) => {
            settings.waitlistKeepPolling = e.target.checked;
            saveSettings();
          },
        }),
        t("waitlistKeepPolling"),
      ),
      h("div", { class: "kyfw-muted", id: "kyfw-waitlist-note" }, t("waitlistKeepPollingNote")),
      el.waitlistError,
    );
    // 静音车厢 is a 二等座 choice on 12306's order page (is_jy): offered while 二等座 is among the wanted classes.
    el.quiet = h(
      "label",
      { id: "kyfw-quiet-label" },
      h("input", {
        type: "checkbox",
        id: "kyfw-quiet",
        checked: !!settings.quietCarriage,
        onchange: (e) => {
          settings.quietCarriage = e.target.checked;
          saveSettings();
        },
      }),
      t("quietCarriage"),
    );
    renderQuiet();
  }

  /** Shows 静音车厢 only where it applies (二等座 wanted); a hidden tick is not sent. */
  function renderQuiet() {
    if (!el.quiet) return;
    const wanted = settings.seats.includes("O") || Object.values(settings.passengers).some((p) => p.checked && p.seat === "O");
    el.quiet.hidden = !wanted;
  }

  function build() {
    buildWaitlistMore();
    el.intervalError = h("div", { id: "kyfw-interval-error", class: "kyfw-field-error", role: "alert" });
    el.status = h("div", { id: "kyfw-status", role: "status", "aria-live": "polite" });
    el.login = h(
      "div",
      { id: "kyfw-login-required", hidden: true },
      h("strong", {}, t("loginRequired")),
      " ",
      loginLink(),
    );
    el.passengerState = h("div", { class: "kyfw-muted" });
    el.passengers = h("ul", { id: "kyfw-passengers" });
    el.seats = h("div", { id: "kyfw-seats" });
    el.draftTitle = h("b", {});
    el.draftTrains = h("ol", { id: "kyfw-draft-trains" });
    el.draftNote = h("div", { class: "kyfw-muted" });
    el.trainAdd = /** @type {HTMLInputElement} */ (
      h("input", { id: "kyfw-train-add", type: "text", maxlength: "40", placeholder: t("draftAddTrainHint"), "aria-label": t("draftAddTrainHint"), onkeydown: (/** @type {KeyboardEvent} */ e) => e.key === "Enter" && addTyped() })
    );
    el.draft = h(
      "div",
      { id: "kyfw-draft", class: "kyfw-section", hidden: true },
      el.draftTitle,
      el.draftTrains,
      el.draftNote,
      h("div", { class: "kyfw-train-add" }, el.trainAdd, h("button", { type: "button", id: "kyfw-train-add-btn", onclick: addTyped }, t("draftAddTrain"))),
      kyfw.draftOptions ? kyfw.draftOptions.element() : null,
      h(
        "div",
        { class: "kyfw-buttons" },
        h("button", { type: "button", id: "kyfw-start", class: "kyfw-primary", onclick: startDraft }, t("draftStart")),
        h("button", { type: "button", id: "kyfw-draft-clear", onclick: () => ((draft = null), renderDraft()) }, t("draftClear")),
      ),
    );
    el.tasks = h("ul", { id: "kyfw-tasks", hidden: true, "aria-label": t("tasksTitle") });
    el.summary = h("dl", { id: "kyfw-summary" });
    el.live = h("dl", { id: "kyfw-live" });
    el.log = h("ol", { id: "kyfw-log", "aria-live": "polite" });
    el.result = h("div", { id: "kyfw-result" });
    el.stop = h("button", { type: "button", id: "kyfw-stop", disabled: true, onclick: act("stopTask") }, t("stop"));
    el.continue = h("button", { type: "button", id: "kyfw-continue", hidden: true, onclick: act("continueTask") }, t("continueTask"));
    el.current = h(
      "div",
      { id: "kyfw-current", class: "kyfw-section", hidden: true },
      el.summary,
      el.live,
      h("div", { class: "kyfw-buttons" }, el.stop, el.continue),
      h("div", { class: "kyfw-section" }, h("b", {}, t("log"))),
      el.log,
      el.result,
    );
    el.settings = h(
      "details",
      { id: "kyfw-settings", open: true },
      h("summary", {}, t("passengers"), " · ", t("seatsShort")),
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
              el.waitlistMore.hidden = settings.waitlist === "off";
            },
          },
          WAITLIST.map(([value, label]) => h("option", { value, selected: value === (settings.waitlist || "off") }, t(label))),
        ),
        " ",
        el.quiet,
        el.waitlistMore,
      ),
      h(
        "div",
        { class: "kyfw-section" },
        h(
          "label",
          {},
          t("interval"),
          " ",
          h("input", {
            type: "text",
            inputmode: "decimal",
            id: "kyfw-interval",
            "aria-describedby": "kyfw-interval-error",
            value: String(settings.intervalS),
            onchange: (e) => intervalChanged(e.target),
          }),
        ),
        el.intervalError,
      ),
    );
    // The draft stands outside the body, which hides while logged out: a press shows what it prepared, and
    // 开始抢票 then asks to log in.
    el.body = h("div", { id: "kyfw-body" }, el.tasks, el.current, el.settings);
    const toggle = h(
      "a",
      {
        class: "kyfw-small",
        id: "kyfw-collapse",
        role: "button",
        tabindex: "0",
        "aria-expanded": "true",
        onclick: () => {
          const collapsed = el.panel.classList.toggle("kyfw-collapsed");
          toggle.textContent = collapsed ? t("panelExpand") : t("panelCollapse");
          toggle.setAttribute("aria-expanded", String(!collapsed));
          kyfw.panelPlace?.setCollapsed(collapsed);
        },
      },
      t("panelCollapse"),
    );
    const header = h("header", { tabindex: "0", title: t("panelMoveHint"), "aria-label": t("panelMoveHint") }, h("b", {}, t("panelTitle")), toggle);
    el.panel = h(
      "section",
      { id: "kyfw-panel", lang: chrome.i18n.getUILanguage(), "aria-label": t("panelTitle") },
      header,
      el.status,
      el.login,
      h("div", {}, el.draft),
      el.body,
    );
    if (place.collapsed) {
      el.panel.classList.add("kyfw-collapsed");
      toggle.textContent = t("panelExpand");
      toggle.setAttribute("aria-expanded", "false");
    }
    // A custom element name: the page's stylesheets have no rules for it (a <div> host would take theirs).
    const host = document.createElement("kyfw-panel-host");
    root = host.attachShadow({ mode: "closed" });
    root.append(h("style", {}, kyfw.panelCss || ""), el.panel);
    document.body.append(host);
    renderSeats();
    kyfw.panelPlace?.attach(el.panel, header);
    setInterval(renderLive, 1000);
  }

  chrome.runtime.onMessage.addListener((message, sender) => {
    if (sender.id !== chrome.runtime.id || !message || message.type !== "taskUpdate") return false;
    renderTask(message.task);
    return false;
  });

  async function init() {
    const [, classes, savedPlace] = await Promise.all([
      loadSettings(),
      send({ type: "seatClasses" }),
      kyfw.panelPlace ? kyfw.panelPlace.load() : Promise.resolve(place),
    ]);
    place = savedPlace;
    if (classes.ok) seatChoices = classes;
    build();
    if (!classes.ok) say(classes.error, "err");
    if (await checkLogin()) {
      await loadPassengers();
      const answer = await send({ type: "tabTasks" });
      // Oldest first, so that the newest ends up selected.
      if (answer.ok) for (const task of [...answer.tasks].reverse()) renderTask(task);
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
    // A new table may sit elsewhere (another width of columns): keep the panel off its buttons.
    kyfw.panelPlace?.apply();
  }

  init();
  return {
    press,
    tableChanged,
    /** The panel's shadow root (closed to the page), for the end-to-end tests; null until built. */
    get root() {
      return root;
    },
  };
})();
