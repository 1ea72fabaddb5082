// Answers the background's `{type:"http", request}` messages by fetching from this kyfw.12306.cn page — or, for a
// request with `navigate`, by navigating a hidden frame of this page, and for a `read`, by reading a value of
// the order page such a frame holds (ARCHITECTURE.md §1.2, §3).
//
// Why from the page: a content script's fetch to its own page origin is a same-origin request, so the browser
// attaches the tab's cookies (JSESSIONID, tk, uKey, BIGipServer*, ...) and the page's Origin by itself, and
// accepts a same-origin `referrer`. 12306 then sees exactly what its own page would send.
(() => {
  "use strict";

  // Header names the browser owns; fetch would drop them anyway, so they are never passed on.
  const FORBIDDEN = new Set(["cookie", "origin", "referer", "host", "content-length", "connection"]);
  const ORIGIN = "https://kyfw.12306.cn";
  // Firefox: a content script's own fetch carries the extension's origin; `content.fetch` is the page's and
  // behaves as if the page sent it (MDN, "Content scripts: XHR and Fetch"). Chrome has no `content`.
  const pageFetch =
    typeof content !== "undefined" && content && typeof content.fetch === "function" ? content.fetch.bind(content) : fetch;

  /** @param {import("../wasm/kyfw.js").HttpRequest} request */
  function headersOf(request) {
    /** @type {Record<string, string>} */
    const headers = {};
    for (const pair of request.headers || []) {
      if (!Array.isArray(pair) || pair.length !== 2) continue;
      const [name, value] = pair;
      if (typeof name !== "string" || typeof value !== "string") continue;
      if (FORBIDDEN.has(name.toLowerCase())) continue;
      headers[name] = value;
    }
    return headers;
  }

  // Only same-origin URLs are fetched: the background never needs anything else from here, and this keeps the
  // page context from being used as a proxy for other sites.
  /** @param {string} url */
  function sameOrigin(url) {
    try {
      return new URL(url, ORIGIN).origin === ORIGIN;
    } catch {
      return false;
    }
  }

  // Where 12306 sends a client it will not serve (PROTOCOL.md §0): the core reads these final URLs as "logged
  // out" and "busy/blocked" (src/outcome/http.rs).
  const LOGIN_REDIRECT = `${ORIGIN}/otn/passport?redirect=/otn/login/userLogin`;
  const ERROR_PAGE = "https://www.12306.cn/mormhweb/logFiles/error.html";

  /**
   * Which redirect a request got, when the browser hides it. 12306 answers a client it will not serve with a 302
   * instead of data: to its passport page when the session is gone, to www.12306.cn's error.html when it is busy
   * or rate-limits this client. A `redirect:"manual"` fetch only says "redirected" (opaqueredirect: status 0, no
   * Location), so one read-only call that never books anything tells the two apart: login/conf, the same call
   * the page makes on load (POST, empty body), says whether this session is logged in. Logged out ⇒ the passport
   * redirect; anything else (logged in, or login/conf itself redirected or unreadable while blocked) ⇒ the error
   * page, on which the core backs off: a wrong guess costs a pause, never an order.
   */
  async function redirectKind() {
    let loggedOut = false;
    try {
      const response = await pageFetch(`${ORIGIN}/otn/login/conf`, {
        method: "POST",
        headers: { Accept: "*/*", "X-Requested-With": "XMLHttpRequest" },
        credentials: "include",
        redirect: "manual",
        cache: "no-store",
        referrer: location.href,
        referrerPolicy: "unsafe-url",
      });
      if (response.type !== "opaqueredirect" && response.ok) {
        const conf = JSON.parse(await response.text());
        loggedOut = !!(conf && conf.data && conf.data.is_login === "N");
      }
    } catch {
      // no answer or not JSON: nothing says logged out
    }
    return { status: 302, finalUrl: loggedOut ? LOGIN_REDIRECT : ERROR_PAGE, body: "" };
  }

  // ---- the order page entered as the official page enters it (ARCHITECTURE.md §3) --------------------------
  //
  // Since 2026-03 12306 sends a fetched initDc to its error page, while the official page's form navigation gets
  // the order page (PROTOCOL.md §5.3). A request with `navigate` is performed as exactly that: a hidden form
  // POSTs the request's fields into a hidden frame of this tab, so the browser itself navigates (Sec-Fetch-Mode
  // navigate, the tab's cookies, this page as the Referer). The frame is same-origin, so its document can be
  // read from here once it has loaded. It is kept for a while afterwards: its page runs 12306's risk script,
  // whose value (`json_ua`) the confirm carries (`read` requests, below).

  // Below the background's 15 s wait for this tab (background/transport/tab.js), so the answer arrives in time.
  const FRAME_DEADLINE_MS = 13000;
  // A loaded order page is kept this long for its `json_ua` read (the order steps in between may back off).
  const FRAME_KEEP_MS = 5 * 60 * 1000;
  // More pages than this in one tab (several tasks) drop the oldest.
  const MAX_FRAMES = 3;
  // The risk script loads asynchronously: a page whose json_ua is still unset is asked again for this long.
  const JSON_UA_WAIT_MS = 3000;
  const JSON_UA_RETRY_MS = 250;
  // How long the page's MAIN-world script (content/page-values.js) gets to answer one question.
  const MAIN_WORLD_ANSWER_MS = 400;
  // The real value is about 2 KB (PROTOCOL.md §5.8); anything longer or not printable ASCII is not sent on.
  const MAX_PAGE_VALUE = 8192;
  const ASK_EVENT = "kyfw-page-value-ask";
  const ANSWER_EVENT = "kyfw-page-value-answer";

  /** @typedef {{frame: HTMLIFrameElement, html: string, timer: number}} KeptFrame */
  /** @typedef {import("../wasm/kyfw.js").HostAnswer} HostAnswer */
  /** @type {KeptFrame[]} oldest first */
  const frames = [];

  function randomId() {
    const bytes = new Uint8Array(8);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  /** @param {KeptFrame} entry */
  function dropFrame(entry) {
    const i = frames.indexOf(entry);
    if (i >= 0) frames.splice(i, 1);
    clearTimeout(entry.timer);
    entry.frame.remove();
  }

  /** @param {HTMLIFrameElement} frame @param {string} html */
  function keepFrame(frame, html) {
    /** @type {KeptFrame} */
    const entry = { frame, html, timer: 0 };
    entry.timer = setTimeout(() => dropFrame(entry), FRAME_KEEP_MS);
    frames.push(entry);
    while (frames.length > MAX_FRAMES) dropFrame(frames[0]);
  }

  /**
   * What the frame shows: null while it still holds its initial about:blank (or, with `partial`, a document
   * still being parsed), else the answer for the core. A document of another origin cannot be read: 12306 sent
   * the navigation off its host, and the only such place it sends clients is www.12306.cn's error page (its
   * login page is on this host and readable), so that is the final URL reported.
   */
  /** @param {HTMLIFrameElement} frame @param {boolean} partial @returns {{status: number, finalUrl: string, body: string} | null} */
  function readFrame(frame, partial) {
    let href;
    try {
      href = frame.contentWindow ? frame.contentWindow.location.href : "";
    } catch {
      return { status: 0, finalUrl: ERROR_PAGE, body: "" };
    }
    if (!href || href === "about:blank") return null;
    if (!sameOrigin(href)) return { status: 0, finalUrl: ERROR_PAGE, body: "" };
    const doc = frame.contentDocument;
    if (!doc || !doc.documentElement) return null;
    if (partial && doc.readyState === "loading") return null;
    return { status: 200, finalUrl: href, body: doc.documentElement.outerHTML };
  }

  /** @param {import("../wasm/kyfw.js").HttpRequest} request @returns {Promise<HostAnswer>} */
  function navigate(request) {
    if (request.method !== "POST") return Promise.resolve({ error: "navigation: only a form POST is supported" });
    const name = `kyfw-order-${randomId()}`;
    const frame = document.createElement("iframe");
    frame.name = name;
    // Scripts must run (the risk script is the point) and the document must stay same-origin (to be read);
    // without allow-top-navigation, allow-modals and allow-popups the hidden page can neither take the user's
    // tab elsewhere nor open dialogs or windows in front of them.
    frame.setAttribute("sandbox", "allow-scripts allow-same-origin");
    frame.setAttribute("aria-hidden", "true");
    frame.tabIndex = -1;
    // Off-screen at a page's size rather than display:none: the page lays itself out as it would for a user.
    frame.style.cssText =
      "position:fixed;left:-20000px;top:0;width:1200px;height:800px;border:0;opacity:0;pointer-events:none;";
    const form = document.createElement("form");
    form.method = "POST";
    form.action = new URL(request.url, ORIGIN).href;
    form.target = name;
    form.enctype = "application/x-www-form-urlencoded";
    form.style.display = "none";
    for (const [field, value] of new URLSearchParams(typeof request.body === "string" ? request.body : "")) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = field;
      input.value = value;
      form.append(input);
    }
    const parent = document.body || document.documentElement;
    return new Promise((resolve) => {
      let done = false;
      /** @param {HostAnswer} answer */
      const finish = (answer) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        frame.removeEventListener("load", onLoad);
        if ("status" in answer && answer.status === 200) keepFrame(frame, answer.body || "");
        else frame.remove();
        resolve(answer);
      };
      // The frame's first load is its initial about:blank (synchronous in Chromium, later in Firefox): skipped.
      const onLoad = () => {
        const answer = readFrame(frame, false);
        if (answer) finish(answer);
      };
      // No load in time: a page already parsed is good enough (its subresources are not the core's business).
      const timer = setTimeout(() => {
        finish(readFrame(frame, true) || { error: `the order page did not load within ${FRAME_DEADLINE_MS / 1000} s` });
      }, FRAME_DEADLINE_MS);
      frame.addEventListener("load", onLoad);
      parent.append(frame);
      parent.append(form);
      // The prototype's submit: an input named "submit" would shadow form.submit.
      HTMLFormElement.prototype.submit.call(form);
      form.remove();
    });
  }

  /** Text from a page, as far as the core may get it: printable ASCII, capped, else "". */
  /** @param {unknown} value @returns {string} */
  function pageText(value) {
    if (typeof value !== "string") return "";
    const text = value.trim();
    return text.length <= MAX_PAGE_VALUE && /^[\x20-\x7e]*$/.test(text) ? text : "";
  }

  /**
   * Asks the page's own JS world (content/page-values.js, a MAIN-world content script) for `json_ua.toString()`
   * by a CustomEvent on the frame's window. Resolves to the text, or null when nothing answered (no MAIN-world
   * script there). The page can see and answer these events too: the answer is only ever untrusted text.
   */
  /** @param {Window} win @returns {Promise<string | null>} */
  function askMainWorld(win) {
    return new Promise((resolve) => {
      const id = randomId();
      let timer = 0;
      /** @param {Event} event */
      const onAnswer = (event) => {
        let answer;
        try {
          answer = JSON.parse(String(/** @type {CustomEvent} */ (event).detail));
        } catch {
          return;
        }
        if (!answer || answer.id !== id) return;
        clearTimeout(timer);
        win.removeEventListener(ANSWER_EVENT, onAnswer);
        resolve(pageText(answer.value));
      };
      timer = setTimeout(() => {
        win.removeEventListener(ANSWER_EVENT, onAnswer);
        resolve(null);
      }, MAIN_WORLD_ANSWER_MS);
      win.addEventListener(ANSWER_EVENT, onAnswer);
      win.dispatchEvent(new CustomEvent(ASK_EVENT, { detail: JSON.stringify({ id, value: "json_ua" }) }));
    });
  }

  /**
   * Where a browser runs no MAIN-world content script, Firefox still lets this world call into the page through
   * `wrappedJSObject` (Xray vision waived): the same `json_ua.toString()` the page's helper calls. Elsewhere "".
   */
  /** @param {Window} win @returns {string} */
  function readThroughXray(win) {
    try {
      // Firefox only; not in the DOM's types.
      const page = /** @type {any} */ (win).wrappedJSObject;
      return page ? pageText(String(page.json_ua.toString())) : "";
    } catch {
      return "";
    }
  }

  /** @param {number} ms */
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  /** Answers a `read` request: the value from the kept order page whose HTML carries the token, or "". */
  /** @param {import("../wasm/kyfw.js").PageRead} read @returns {Promise<HostAnswer>} */
  async function readPage(read) {
    const empty = { status: 200, finalUrl: location.href, body: "" };
    if (!read || read.value !== "json_ua") return { error: "unknown page value" };
    const token = typeof read.token === "string" ? read.token : "";
    if (!/^[0-9A-Za-z]{8,128}$/.test(token)) return empty;
    const entry = frames.find((f) => f.html.includes(token));
    if (!entry) return empty;
    let value = "";
    const until = Date.now() + JSON_UA_WAIT_MS;
    for (;;) {
      const win = entry.frame.contentWindow;
      if (!win) break;
      const answer = await askMainWorld(win);
      value = answer === null ? readThroughXray(win) : answer;
      if (value || Date.now() >= until) break;
      await sleep(JSON_UA_RETRY_MS);
    }
    // The page has served its purpose: the confirm goes from this tab's own fetch.
    dropFrame(entry);
    return { ...empty, body: value };
  }

  /** @param {import("../wasm/kyfw.js").HttpRequest} request @returns {Promise<import("../wasm/kyfw.js").HostAnswer>} */
  async function perform(request) {
    if (request && request.read) return readPage(request.read);
    if (!request || typeof request.url !== "string" || !sameOrigin(request.url)) {
      return { error: "refused: not a kyfw.12306.cn URL" };
    }
    if (request.navigate === true) return navigate(request);
    /** @type {RequestInit} */
    const init = {
      method: request.method || "GET",
      headers: headersOf(request),
      credentials: "include",
      // Not "follow" in general: 12306's busy/blocked redirect goes to www.12306.cn, another origin, and following
      // it from here fails as a CORS error that looks like a network failure; redirects are classified by
      // redirectKind(). The query asks to follow (`followRedirects`): since 2025 a stale query name is answered by
      // a same-origin 302 to the current one (PROTOCOL.md §3.1), and the core adopts the final URL's path.
      redirect: request.followRedirects === true ? "follow" : "manual",
      cache: "no-store",
    };
    if (request.body != null && init.method !== "GET" && init.method !== "HEAD") init.body = request.body;
    if (typeof request.referer === "string" && sameOrigin(request.referer)) {
      init.referrer = new URL(request.referer, ORIGIN).href;
      // The default policy would cut a cross-path referrer down to the origin on some pages; 12306 checks paths.
      init.referrerPolicy = "unsafe-url";
    }
    const follow = init.redirect === "follow";
    try {
      const response = await pageFetch(new URL(request.url, ORIGIN).href, init);
      // Redirected: 12306 did not act on the request (it answered with a redirect instead), and it is never sent
      // again from here — a repeated confirm could place a second order. Only the kind of redirect is looked up.
      if (response.type === "opaqueredirect") return await redirectKind();
      const body = await response.text();
      // The Date header is a reading of 12306's clock, which times the sale opening (ARCHITECTURE.md §1.1).
      const date = response.headers.get("date");
      return date ? { status: response.status, finalUrl: response.url, body, date } : { status: response.status, finalUrl: response.url, body };
    } catch (/** @type {any} */ err) {
      // A followed redirect to www.12306.cn's error page is cross-origin and fails like a network error; the
      // same one probe as for a manual redirect tells which redirect it was (only the query follows, a GET).
      if (follow) return await redirectKind();
      return { error: String((err && err.message) || err) };
    }
  }

  chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
    // Only our own background may ask; other extensions cannot reach this listener, but pages never can either.
    if (sender.id !== chrome.runtime.id || !message) return false;
    // The background wakes the path to this tab just before a timed request (background/transport/tab.js).
    if (message.type === "ping") {
      sendResponse({ ok: true });
      return false;
    }
    if (message.type !== "http") return false;
    perform(message.request).then(sendResponse);
    return true; // the answer is sent asynchronously
  });
})();
