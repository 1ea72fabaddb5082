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
  /* Placed by panel-place.js (left/top): off the table's booking buttons, where the user moved it. */
  right: 12px;
  bottom: 12px;
  z-index: 2147483000;
  width: 276px;
  max-height: calc(100vh - 16px);
  overflow: auto;
  box-sizing: border-box;
  background: #fff;
  border: 1px solid #3b99fc;
  border-radius: 6px;
  box-shadow: 0 2px 12px rgba(0, 0, 0, 0.2);
  font: 12px/1.45 "Microsoft YaHei", "PingFang SC", sans-serif;
  color: #333;
  text-align: left;
}
#kyfw-panel[style*="left"] { right: auto; bottom: auto; }
#kyfw-panel header {
  display: flex;
  justify-content: space-between;
  align-items: center;
  padding: 3px 8px;
  background: #3b99fc;
  color: #fff;
  cursor: move;
  user-select: none;
  touch-action: none;
  position: sticky;
  top: 0;
  z-index: 1;
}
#kyfw-panel header:focus-visible { outline: 2px solid #fc8302; outline-offset: -2px; }
#kyfw-panel header a { color: #fff; cursor: pointer; }
#kyfw-panel.kyfw-collapsed > :not(header) { display: none; }
#kyfw-panel > div { padding: 0 8px; }
#kyfw-panel [hidden] { display: none !important; }
#kyfw-panel .kyfw-section { margin-top: 6px; }
#kyfw-panel .kyfw-small { font-size: 11px; cursor: pointer; color: #3b99fc; }
#kyfw-panel .kyfw-muted { color: #999; }
#kyfw-passengers { list-style: none; margin: 2px 0; padding: 0; }
#kyfw-passengers li { display: flex; gap: 4px; align-items: center; }
#kyfw-passengers label { flex: 1; min-width: 4em; white-space: nowrap; overflow: visible; }
#kyfw-passengers select { font-size: 11px; max-width: 92px; }
#kyfw-seats { display: flex; flex-wrap: wrap; gap: 2px 8px; }
#kyfw-seats sup { color: #fc8302; font-weight: bold; }
#kyfw-interval { width: 40px; }
#kyfw-interval[aria-invalid="true"] { border: 1px solid #c00; outline: none; }
.kyfw-field-error { color: #c00; }
.kyfw-field-error:empty { display: none; }
#kyfw-log { margin: 2px 0; padding-left: 22px; max-height: 120px; overflow-x: hidden; overflow-y: auto; color: #555; overflow-wrap: anywhere; }
#kyfw-log .kyfw-log-error { color: #c00; }
#kyfw-log .kyfw-log-ok { color: #080; font-weight: bold; }
#kyfw-result { padding-bottom: 8px !important; font-weight: bold; overflow-wrap: anywhere; }
#kyfw-result.kyfw-ok, #kyfw-status.kyfw-ok { color: #080; }
#kyfw-result.kyfw-err, #kyfw-status.kyfw-err { color: #c00; }
#kyfw-panel button { font: inherit; font-size: 12px; padding: 1px 8px; cursor: pointer; }
#kyfw-panel .kyfw-buttons { display: flex; gap: 6px; flex-wrap: wrap; margin: 4px 0; }
#kyfw-panel .kyfw-primary { background: #fc8302; color: #fff; border: 1px solid #e57300; border-radius: 3px; font-weight: bold; }
#kyfw-draft { border: 1px dashed #fc8302; border-radius: 4px; padding: 4px 6px; margin: 6px 0 0; }
#kyfw-draft-trains { margin: 2px 0; padding: 0; list-style: none; }
#kyfw-draft-trains li { display: flex; gap: 4px; align-items: center; }
#kyfw-draft-trains li b { flex: 1; }
.kyfw-train-add { display: flex; gap: 4px; margin: 2px 0; }
.kyfw-train-add input { flex: 1; min-width: 0; }
#kyfw-draft-trains button { padding: 0 5px; }
#kyfw-options { margin: 4px 0 0; }
#kyfw-options > summary { cursor: pointer; color: #3b99fc; overflow-wrap: anywhere; }
#kyfw-options .kyfw-opt { margin-top: 4px; }
#kyfw-options .kyfw-opt-row { display: flex; flex-wrap: wrap; gap: 4px; align-items: center; }
#kyfw-draft-dates { margin: 2px 0; padding: 0; list-style: none; }
#kyfw-draft-dates li { display: flex; gap: 4px; align-items: center; }
#kyfw-draft-dates li b { flex: 1; font-weight: normal; }
#kyfw-draft-dates button { padding: 0 5px; }
#kyfw-options .kyfw-scheduled { font-size: 11px; color: #c65f00; white-space: nowrap; }
#kyfw-types { display: flex; flex-wrap: wrap; gap: 0 8px; }
#kyfw-types label { white-space: nowrap; }
#kyfw-depart-after, #kyfw-depart-before { width: 48px; }
#kyfw-min-seats { width: 48px; }
#kyfw-date-new { font: inherit; font-size: 12px; }
#kyfw-options input[aria-invalid="true"] { border: 1px solid #c00; outline: none; }
#kyfw-tasks { list-style: none; margin: 6px 0 0; padding: 0; }
#kyfw-tasks li { padding: 1px 4px; border-radius: 3px; cursor: pointer; display: flex; gap: 4px; align-items: baseline; }
#kyfw-tasks li.kyfw-selected { background: #e8f2fe; }
#kyfw-tasks li .kyfw-state { margin-left: auto; }
.kyfw-state { font-size: 11px; padding: 0 5px; border-radius: 7px; color: #fff; background: #80868b; white-space: nowrap; }
.kyfw-state-running { background: #1a73e8; }
.kyfw-state-needsUser, .kyfw-state-failed { background: #d93025; }
.kyfw-state-done { background: #1a9d33; }
#kyfw-summary, #kyfw-live { display: grid; grid-template-columns: auto 1fr; gap: 0 6px; margin: 2px 0; }
#kyfw-summary dt, #kyfw-live dt { color: #888; }
#kyfw-summary dd, #kyfw-live dd { margin: 0; overflow-wrap: anywhere; }
#kyfw-live dd { color: #c65f00; font-variant-numeric: tabular-nums; }
#kyfw-settings { padding: 0; margin-top: 6px; border-top: 1px solid #eee; }
#kyfw-settings > summary { cursor: pointer; color: #3b99fc; padding: 2px 0; }
#kyfw-login-required { padding: 8px !important; color: #c00; font-size: 14px; }
#kyfw-login-required a { color: #3b99fc; }
#kyfw-result a { color: #3b99fc; }
`;
