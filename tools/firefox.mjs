// Assembles the Firefox build of the extension: `node firefox.mjs <extension dir> <out dir>`.
// The same files as the Chrome build, with the manifest turned into Firefox's: extension/manifest.json with the
// keys of extension/manifest.firefox.json laid over it (background as an event page, browser_specific_settings),
// minus what Firefox does not know (minimum_chrome_version, the service worker key, the offscreen permission:
// Firefox's event page plays sounds itself, see background/compat.js).
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";

const [ext, out] = process.argv.slice(2);
if (!ext || !out) {
  console.error("usage: node firefox.mjs <extension dir> <out dir>");
  process.exit(2);
}

const CHROME_ONLY_PERMISSIONS = new Set(["offscreen"]);
const SKIP = new Set(["manifest.firefox.json", "manifest.json"]);

const manifest = JSON.parse(readFileSync(join(ext, "manifest.json"), "utf8"));
const overlay = JSON.parse(readFileSync(join(ext, "manifest.firefox.json"), "utf8"));
delete manifest.minimum_chrome_version;
delete manifest.background;
manifest.permissions = (manifest.permissions || []).filter((p) => !CHROME_ONLY_PERMISSIONS.has(p));
Object.assign(manifest, overlay);

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
// Development files (*.py, *.md, dotfiles) are left out by the packer (build.sh's PACKAGE_EXCLUDES) as for Chrome.
cpSync(ext, out, { recursive: true, filter: (src) => src === ext || !SKIP.has(basename(src)) || !isTop(src) });
writeFileSync(join(out, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);

function isTop(src) {
  return join(ext, basename(src)) === src;
}
