// What went wrong, as text: the one way the background turns a thrown or rejected value into a message.

/** An Error's message, else the value as text. @param {unknown} err */
export function errorText(err) {
  const message = err && typeof err === "object" && "message" in err ? err.message : null;
  return String(message || err);
}
