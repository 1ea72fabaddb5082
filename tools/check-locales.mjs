// Checks the extension's strings: every key the scripts use (t("key") / getMessage("key") / __MSG_key__) exists
// in every locale, and every locale has the same keys. `node check-locales.mjs <extension dir>`; exit 1 on a gap.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const ext = process.argv[2];
const sources = [];
const walk = (d) => {
  for (const name of readdirSync(d)) {
    const p = join(d, name);
    if (name === "wasm" || name === "_locales") continue;
    if (statSync(p).isDirectory()) walk(p);
    else if (/\.(js|json)$/.test(name)) sources.push(p);
  }
};
walk(ext);

const used = new Set();
for (const file of sources) {
  const text = readFileSync(file, "utf8");
  for (const m of text.matchAll(/\b(?:t|getMessage)\(\s*"([A-Za-z0-9_]+)"/g)) used.add(m[1]);
  for (const m of text.matchAll(/__MSG_([A-Za-z0-9_]+)__/g)) used.add(m[1]);
  // keys named in tables, e.g. ["1", "ticketAdult"] or [/pattern/, "stepQuery"]
  for (const m of text.matchAll(/,\s*"((?:ticket|step)[A-Z][A-Za-z]+)"\s*\]/g)) used.add(m[1]);
}

// The core's steps reach the log as `step_<step>` (background/tasks/outcome.js): each needs its words, or the
// user reads the raw name ("readPassengers…"). The steps are the arms of Step::label in the core.
const stepSource = readFileSync(join(ext, "..", "src", "booking", "step.rs"), "utf8");
const labels = stepSource.slice(stepSource.indexOf("fn label"));
for (const m of labels.matchAll(/Step::([A-Z][A-Za-z]+)/g)) used.add(`step_${m[1][0].toLowerCase()}${m[1].slice(1)}`);

const locales = readdirSync(join(ext, "_locales"));
const keys = Object.fromEntries(
  locales.map((l) => [l, Object.keys(JSON.parse(readFileSync(join(ext, "_locales", l, "messages.json"), "utf8")))]),
);
let bad = 0;
for (const l of locales) {
  for (const k of used) if (!keys[l].includes(k)) (bad++, console.error(`${l}: missing "${k}"`));
  for (const other of locales) {
    for (const k of keys[other]) if (!keys[l].includes(k)) (bad++, console.error(`${l}: missing "${k}" (in ${other})`));
  }
}
console.log(`locales ${locales.join(", ")}: ${used.size} keys used, ${bad} problems`);
process.exit(bad ? 1 : 0);
