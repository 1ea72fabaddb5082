// Masks personal numbers in any text the extension displays or logs.
// 12306 already masks the ID numbers it sends back (3301***********018); this catches the ones that are not,
// e.g. typed by the user into an imported file or quoted in a message. Order numbers (E123456789: a letter and
// nine digits) are left alone: the user needs them to pay.

// 18-character resident ID (17 digits + digit or X) and the older 15-digit one, not inside a longer token.
const RESIDENT_ID = /(?<![0-9A-Za-z])(\d{4})\d{8,11}(\d{2}[\dXx])(?![0-9A-Za-z])/g;
// Mainland mobile numbers: 11 digits starting 13–19.
const MOBILE = /(?<![0-9A-Za-z])(1[3-9]\d)\d{4}(\d{4})(?![0-9A-Za-z])/g;

/** The text with ID numbers as 1101***********012 and mobile numbers as 138****5678. @param {unknown} text */
export function mask(text) {
  if (text == null) return "";
  return String(text)
    .replace(RESIDENT_ID, (whole, head, tail) => `${head}${"*".repeat(whole.length - head.length - tail.length)}${tail}`)
    .replace(MOBILE, "$1****$2");
}
