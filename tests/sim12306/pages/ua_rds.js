/* sim12306's stand-in for 12306's risk script (ua_rds.js, PROTOCOL §5.3/§5.8). The real one collects the
 * browser's environment and leaves an object in window.json_ua whose toString() the order page sends as
 * encryptedData. This one leaves a digest of the order page's globalRepeatSubmitToken, keyed with a value
 * only the sim knows, so the sim can tell a value this script produced on that order page from an empty,
 * stale or made-up one. The digest (eight FNV-1a rounds, see src/risk.rs) is the sim's own, not 12306's. */
(function () {
  'use strict';
  var KEY = '{{key}}';
  function fnv1a(text) {
    var h = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i) & 0xff;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }
  function hex8(n) {
    var s = n.toString(16);
    while (s.length < 8) {
      s = '0' + s;
    }
    return s;
  }
  // Read once, when the script runs: the value belongs to the page that loaded it.
  var page = typeof globalRepeatSubmitToken === 'string' ? globalRepeatSubmitToken : '';
  var value = '';
  for (var round = 0; round < 8; round++) {
    value += hex8(fnv1a(round + ':' + KEY + ':' + page));
  }
  window.json_ua = {
    toString: function () {
      return value;
    },
  };
})();
