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

  function headersOf(request) {
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
  function sameOrigin(url) {
    try {
      return new URL(url, ORIGIN).origin === ORIGIN;
    } catch {
      return false;
    }
  }

  async function perform(request) {
    if (!request || typeof request.url !== "string" || !sameOrigin(request.url)) {
      return { error: "refused: not a kyfw.12306.cn URL" };
    }
    const init = {
      method: request.method || "GET",
      headers: headersOf(request),
      credentials: "include",
      redirect: "follow",
      cache: "no-store",
    };
    if (request.body != null && init.method !== "GET" && init.method !== "HEAD") init.body = request.body;
    if (typeof request.referer === "string" && sameOrigin(request.referer)) {
      init.referrer = new URL(request.referer, ORIGIN).href;
      // The default policy would cut a cross-path referrer down to the origin on some pages; 12306 checks paths.
      init.referrerPolicy = "unsafe-url";
    }
    try {
      const response = await pageFetch(new URL(request.url, ORIGIN).href, init);
      const body = await response.text();
      return { status: response.status, finalUrl: response.url, body };
    } catch (err) {
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
