// Plays the chime for the background (background/notify/sound.js). Offscreen documents only get chrome.runtime,
// so the whole contract is one message: {target: "offscreen", type: "play", src} → {ok} or {ok: false, error}.

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (sender.id !== chrome.runtime.id || !message || message.target !== "offscreen" || message.type !== "play") {
    return false;
  }
  // Only our own packaged files are played, whatever the message says.
  const src = typeof message.src === "string" && message.src.startsWith(chrome.runtime.getURL("")) ? message.src : null;
  if (!src) {
    sendResponse({ ok: false, error: "bad source" });
    return false;
  }
  const audio = new Audio(src);
  audio.volume = Math.min(1, Math.max(0, Number(message.volume) || 1));
  audio
    .play()
    .then(() => sendResponse({ ok: true }))
    .catch((err) => sendResponse({ ok: false, error: String((err && err.message) || err) }));
  return true; // answered asynchronously
});
