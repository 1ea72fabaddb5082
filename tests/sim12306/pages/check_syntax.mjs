// Syntax check of every inline <script> of the page templates and of the scripts (sim.js, ua_rds.js), with
// the {{NAME}} placeholders replaced by neutral values. Run: node tests/sim12306/pages/check_syntax.mjs
import { readdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

const dir = dirname(fileURLToPath(import.meta.url));
let failures = 0;
for (const file of readdirSync(dir).filter((f) => f.endsWith(".html") || f.endsWith(".js"))) {
  // Object placeholders (…Types, …Form, …DTO, …codeMap) stand for JS literals; the others sit in strings.
  const src = readFileSync(`${dir}/${file}`, "utf8").replace(/\{\{([A-Za-z_]+)\}\}/g, (_, name) =>
    /Types$|Form$|DTO$|codeMap$/.test(name) ? "{}" : "x",
  );
  const scripts = file.endsWith(".js")
    ? [src]
    : [...src.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  scripts.forEach((code, i) => {
    try {
      new vm.Script(code, { filename: `${file}#${i}` });
    } catch (e) {
      failures++;
      console.error(`${file} script ${i}: ${e.message}`);
    }
  });
}
if (failures) process.exit(1);
console.log("page scripts: syntax ok");
