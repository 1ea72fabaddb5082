// Answers the background's `{type:"http", request}` messages by fetching from this kyfw.12306.cn page.
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

  /** @param {import("../wasm/kyfw.js").HttpRequest} request @returns {Promise<import("../wasm/kyfw.js").HostAnswer>} */
  async function perform(request) {
    if (!request || typeof request.url !== "string" || !sameOrigin(request.url)) {
      return { error: "refused: not a kyfw.12306.cn URL" };
    }
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
      return { status: response.status, finalUrl: response.url, body };
    } catch (/** @type {any} */ err) {
      // A followed redirect to www.12306.cn's error page is cross-origin and fails like a network error; the
      // same one probe as for a manual redirect tells which redirect it was (only the query follows, a GET).
      if (follow) return await redirectKind();
      return { error: String((err && err.message) || err) };
    }
  }

  chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
    // Only our own background may ask; other extensions cannot reach this listener, but pages never can either.
    if (sender.id !== chrome.runtime.id || !message || message.type !== "http") return false;
    perform(message.request).then(sendResponse);
    return true; // the answer is sent asynchronously
  });
})();
