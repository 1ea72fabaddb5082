// The panel's styles. The panel lives in a closed shadow root (task-panel.js), which the page's stylesheets do not
// reach and the manifest's content-script CSS does not either, so its rules are added there as a <style> element.
// (A <link> to a file of the extension would have to make that file web-accessible, i.e. readable by any page.)
"use strict";

/** The scripts' shared namespace (typed in types/content.d.ts); each script adds its part. @type {KyfwContent} */
var kyfw = globalThis.kyfw || (globalThis.kyfw = /** @type {KyfwContent} */ ({}));

kyfw.panelCss = `
:host { all: initial; }
#kyfw-panel {
  position: fixed;
  right: 12px;
  bottom: 12px;
  z-index: 2147483000;
  width: 280px;
  max-height: 80vh;
  overflow: auto;
  box-sizing: border-box;
  background: #fff;
  border: 1px solid #3b99fc;
  border-radius: 6px;
  box-shadow: 0 2px 12px rgba(0, 0, 0, 0.2);
  font: 12px/1.5 "Microsoft YaHei", "PingFang SC", sans-serif;
  color: #333;
  text-align: left;
}
#kyfw-panel header {
  display: flex;
  justify-content: space-between;
  padding: 4px 8px;
  background: #3b99fc;
  color: #fff;
}
#kyfw-panel header a { color: #fff; cursor: pointer; }
#kyfw-panel.kyfw-collapsed > :not(header) { display: none; }
#kyfw-panel > div { padding: 0 8px; }
#kyfw-panel [hidden] { display: none !important; }
#kyfw-panel .kyfw-section { margin-top: 6px; }
#kyfw-panel .kyfw-small { font-size: 11px; cursor: pointer; color: #3b99fc; }
#kyfw-panel .kyfw-muted { color: #999; }
#kyfw-passengers { list-style: none; margin: 2px 0; padding: 0; }
#kyfw-passengers li { display: flex; gap: 4px; align-items: center; }
#kyfw-passengers label { flex: 1; }
#kyfw-passengers select { font-size: 11px; max-width: 86px; }
#kyfw-seats { display: flex; flex-wrap: wrap; gap: 2px 8px; }
#kyfw-seats sup { color: #fc8302; font-weight: bold; }
#kyfw-interval { width: 40px; }
#kyfw-log { margin: 2px 0; padding-left: 22px; max-height: 160px; overflow-x: hidden; overflow-y: auto; color: #555; overflow-wrap: anywhere; }
#kyfw-log .kyfw-log-error { color: #c00; }
#kyfw-log .kyfw-log-ok { color: #080; font-weight: bold; }
#kyfw-result { padding-bottom: 8px !important; font-weight: bold; overflow-wrap: anywhere; }
#kyfw-result.kyfw-ok, #kyfw-status.kyfw-ok { color: #080; }
#kyfw-result.kyfw-err, #kyfw-status.kyfw-err { color: #c00; }
#kyfw-login-required { padding: 8px !important; color: #c00; font-size: 14px; }
#kyfw-login-required a { color: #3b99fc; }
#kyfw-result a { color: #3b99fc; }
`;
