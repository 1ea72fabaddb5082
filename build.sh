#!/usr/bin/env bash
# Builds, tests and demonstrates the 12306 booking extension.
#
#   ./build.sh          build the wasm core, assemble extension/ (loadable unpacked), dist/kyfw-chrome-<v>.zip and
#                       dist/kyfw-firefox-<v>.zip (+ dist/firefox/, the unpacked Firefox build)
#   ./build.sh test     fmt + clippy + cargo tests + fuzz smoke + build + end-to-end tests (what CI runs)
#   ./build.sh demo     book a ticket in Chromium against sim12306 and save screenshots to docs/screenshots/
#   ./build.sh bench    criterion benchmarks of the core (and the simulator's), the opening-sale benchmark (the core's
#                       native driver and the extension in Chromium against sim12306, 30 ms per request, side by
#                       side), and the wasm's cold start
#   ./build.sh soak     the booking invariants over 20 000 random fault schedules (SCHEDULES=N to change)
#   ./build.sh sim      run sim12306 by hand on fixed ports and print how to point Chromium at it
#
# Idempotent, runs as root on a fresh Debian; reaches only crates.io, npm and Debian apt. Installs what is missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

WASM_BINDGEN_VERSION="0.2.130"
EXT="$ROOT/extension"
DIST="$ROOT/dist"
E2E="$ROOT/e2e"
# Bounded property-test budgets: the regular run and the longer fuzz smoke (tests/fuzz_*.rs).
PROPTEST_CASES_TEST="${PROPTEST_CASES_TEST:-64}"
PROPTEST_CASES_FUZZ="${PROPTEST_CASES_FUZZ:-10000}"
FUZZ_TIMEOUT_S="${FUZZ_TIMEOUT_S:-300}"

log() { printf '\n\033[1;34m==> %s\033[0m\n' "$*" >&2; }
die() { printf '\033[1;31merror: %s\033[0m\n' "$*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }

# ---------------------------------------------------------------------------------------------- prerequisites

ensure_rust() {
  have cargo || die "cargo is missing: install Rust with rustup first"
  if have rustup && ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_wasm_bindgen() {
  # The CLI must match the wasm-bindgen crate version exactly, or the generated glue does not fit the wasm.
  if have wasm-bindgen && [[ "$(wasm-bindgen --version)" == "wasm-bindgen $WASM_BINDGEN_VERSION" ]]; then
    return
  fi
  log "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
}

ensure_node() {
  if ! have node || ! have npm; then
    [[ $EUID -eq 0 ]] || die "node/npm missing and not root: apt-get install nodejs npm"
    log "apt-get install nodejs npm"
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y nodejs npm
  fi
  # playwright-core and addons-linter declare node >= 20 (Debian 12's apt nodejs is 18: it may work, say so).
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  ((major >= 20)) || printf 'warning: node %s is older than the 20 the e2e packages ask for\n' "$(node --version)" >&2
  # npm ci only when the lock file changed since the last install (node_modules/.package-lock.json mirrors it).
  if [[ ! -f "$E2E/node_modules/.package-lock.json" ]] \
    || [[ "$E2E/package-lock.json" -nt "$E2E/node_modules/.package-lock.json" ]]; then
    log "npm ci (playwright-core, binaryen, addons-linter, typescript, @types/chrome)"
    # Never download a browser: the tests drive Debian's chromium.
    (cd "$E2E" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  fi
}

chromium_path() {
  local c
  for c in "${CHROMIUM:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
    [[ -n "$c" && -x "$c" ]] && { echo "$c"; return; }
  done
  return 1
}

ensure_chromium() {
  local missing=()
  chromium_path >/dev/null || missing+=(chromium)
  # Without a CJK font every Chinese string in the screenshots is a row of boxes.
  [[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ]] || missing+=(fonts-wqy-microhei)
  # The UI language (and so chrome.i18n) falls back to English without the zh-CN locale pack.
  [[ -e /usr/lib/chromium/locales/zh-CN.pak ]] || missing+=(chromium-l10n)
  ((${#missing[@]})) || return 0
  if [[ $EUID -ne 0 ]]; then
    chromium_path >/dev/null || die "chromium missing and not root: apt-get install chromium"
    return 0 # fonts are nice to have; tests do not need them
  fi
  log "apt-get install ${missing[*]}"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
}

# ---------------------------------------------------------------------------------------------------- build

ext_version() {
  node -e 'process.stdout.write(require(process.argv[1]).version)' "$EXT/manifest.json"
}

build_wasm() {
  log "cargo build --lib --target wasm32-unknown-unknown --release"
  local target_dir="${CARGO_TARGET_DIR:-$ROOT/target}"
  cargo build --lib --target wasm32-unknown-unknown --release -p kyfw
  local raw="$target_dir/wasm32-unknown-unknown/release/kyfw.wasm"
  [[ -f "$raw" ]] || die "no $raw"
  rm -rf "$EXT/wasm"
  # With TypeScript declarations (kyfw.d.ts: the JS API and every type that crosses it, generated from the Rust
  # types), which check_extension_types checks the extension's JS against.
  wasm-bindgen --target web --out-dir "$EXT/wasm" "$raw"
  log "wasm-opt -Oz"
  # Bulk memory and the other features rustc enables by default for wasm32 must be allowed through.
  "$E2E/node_modules/.bin/wasm-opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$EXT/wasm/kyfw_bg.wasm" -o "$EXT/wasm/kyfw_bg.wasm.opt"
  mv "$EXT/wasm/kyfw_bg.wasm.opt" "$EXT/wasm/kyfw_bg.wasm"
  printf 'wasm size: %s bytes (%s KiB gzipped)\n' "$(stat -c %s "$EXT/wasm/kyfw_bg.wasm")" \
    "$(( $(gzip -9c "$EXT/wasm/kyfw_bg.wasm" | wc -c) / 1024 ))"
}

# Files of extension/ that are development-only and stay out of the packages (the type declarations, generated
# and hand-written, and the type check's config are for tsc only).
PACKAGE_EXCLUDES=("*.py" "*.md" ".*" "manifest.firefox.json" "*.d.ts" "tsconfig.json")

package_chrome() {
  local version zip
  version="$(ext_version)"
  zip="$DIST/kyfw-chrome-$version.zip"
  mkdir -p "$DIST"
  rm -f "$zip"
  log "packaging $zip"
  # node is always here (npm ci needs it); zip is not on a minimal Debian, so the archive is written by node.
  node "$ROOT/tools/pack.mjs" "$EXT" "$zip" "${PACKAGE_EXCLUDES[@]}"
}

# Firefox: the same files with Firefox's manifest (event page, browser_specific_settings; tools/firefox.mjs)
# in dist/firefox/ (loadable as a temporary add-on), zipped as dist/kyfw-firefox-<version>.zip.
package_firefox() {
  local version zip
  version="$(ext_version)"
  zip="$DIST/kyfw-firefox-$version.zip"
  mkdir -p "$DIST"
  rm -f "$zip"
  log "packaging $zip"
  node "$ROOT/tools/firefox.mjs" "$EXT" "$DIST/firefox"
  node "$ROOT/tools/pack.mjs" "$DIST/firefox" "$zip" "${PACKAGE_EXCLUDES[@]}"
}

# Mozilla's addons-linter on the Firefox package: any error fails the test run (warnings are printed).
lint_firefox() {
  local zip
  zip="$DIST/kyfw-firefox-$(ext_version).zip"
  log "addons-linter $zip"
  "$E2E/node_modules/.bin/addons-linter" --output json "$zip" | node -e '
    const r = JSON.parse(require("fs").readFileSync(0, "utf8"));
    for (const kind of ["errors", "warnings"]) for (const m of r[kind]) console.log(`${kind}: ${m.code} ${m.file || ""} ${m.message}`);
    console.log(`addons-linter: ${r.summary.errors} errors, ${r.summary.warnings} warnings`);
    process.exit(r.summary.errors ? 1 : 0);' || die "addons-linter found errors in the Firefox package"
}

cmd_build() {
  ensure_rust
  ensure_wasm_bindgen
  ensure_node
  build_wasm
  package_chrome
  package_firefox
  log "unpacked extension ready: $EXT"
}

# ----------------------------------------------------------------------------------------------------- test

cargo_tests() {
  log "cargo fmt --check"
  cargo fmt --all -- --check
  log "cargo clippy --workspace --all-targets -- -D warnings"
  cargo clippy --workspace --all-targets -- -D warnings
  log "cargo test --workspace (PROPTEST_CASES=$PROPTEST_CASES_TEST)"
  PROPTEST_CASES="$PROPTEST_CASES_TEST" cargo test --workspace
  # The fuzz smoke: the property-test files tests/fuzz_*.rs again, with many more cases, bounded in time.
  local targets=() f
  for f in tests/fuzz_*.rs; do
    [[ -e "$f" ]] && targets+=(--test "$(basename "$f" .rs)")
  done
  if ((${#targets[@]})); then
    log "fuzz smoke: ${targets[*]} with PROPTEST_CASES=$PROPTEST_CASES_FUZZ, at most ${FUZZ_TIMEOUT_S}s"
    PROPTEST_CASES="$PROPTEST_CASES_FUZZ" timeout "$FUZZ_TIMEOUT_S" cargo test -p kyfw "${targets[@]}"
  fi
}

build_sim() {
  log "cargo build -p sim12306"
  cargo build -p sim12306
}

sim_binary() {
  echo "${CARGO_TARGET_DIR:-$ROOT/target}/debug/sim12306"
}

# Syntax of every extension script: background modules as ES modules, content scripts as classic scripts.
check_extension_js() {
  log "extension scripts: syntax"
  local f
  while IFS= read -r f; do
    node --input-type=module --check <"$f" || die "syntax error in $f"
  done < <(find "$EXT/background.js" "$EXT/background" "$EXT/shared" "$EXT/popup" "$EXT/options" "$EXT/offscreen" -name '*.js')
  while IFS= read -r f; do
    node --check "$f" || die "syntax error in $f"
  done < <(find "$EXT/content" -name '*.js')
  node -e 'for (const f of process.argv.slice(1)) JSON.parse(require("fs").readFileSync(f, "utf8"))' \
    "$EXT/manifest.json" "$EXT/manifest.firefox.json" "$EXT"/_locales/*/messages.json || die "bad JSON in manifest or locales"
  node "$ROOT/tools/check-locales.mjs" "$EXT" || die "locale strings incomplete"
}

# The extension's JS checked against the core's generated declarations (extension/wasm/kyfw.d.ts) and its own
# (extension/types/): tsc with checkJs and strict, nothing emitted (extension/tsconfig.json). Runs after the build,
# which writes the declarations.
check_extension_types() {
  log "extension scripts: types (tsc --noEmit --checkJs)"
  [[ -f "$EXT/wasm/kyfw.d.ts" ]] || die "no $EXT/wasm/kyfw.d.ts: run the build first"
  "$E2E/node_modules/.bin/tsc" --noEmit --checkJs -p "$EXT/tsconfig.json" || die "type errors in the extension's scripts"
}

# Firefox ESR runs the Firefox build's end-to-end tests (e2e/tests/firefox.test.mjs skips without it).
# It is worth having but not worth failing the run over: a failed install only means those tests are skipped.
ensure_firefox() {
  have firefox-esr && return 0
  if [[ $EUID -ne 0 ]]; then
    printf 'warning: firefox-esr missing and not root: the Firefox end-to-end tests will be skipped\n' >&2
    return 0
  fi
  log "apt-get install firefox-esr"
  { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y firefox-esr; } \
    || printf 'warning: firefox-esr could not be installed: the Firefox end-to-end tests will be skipped\n' >&2
}

e2e_tests() {
  ensure_chromium
  ensure_firefox
  build_sim
  log "end-to-end tests (node --test)"
  (cd "$E2E" && SIM12306_BIN="$(sim_binary)" CHROMIUM="$(chromium_path)" \
    node --test --test-concurrency=1 --test-timeout=300000 tests/)
}

cmd_test() {
  ensure_rust
  cargo_tests
  cmd_build
  check_extension_js
  check_extension_types
  lint_firefox
  e2e_tests
}

cmd_demo() {
  ensure_rust
  ensure_chromium
  cmd_build
  build_sim
  log "demo"
  (cd "$E2E" && SIM12306_BIN="$(sim_binary)" CHROMIUM="$(chromium_path)" node demo.mjs)
  log "screenshots of the panel, popup and options in both languages (e2e/tests/languages.test.mjs)"
  (cd "$E2E" && SAVE_SCREENSHOTS=1 SIM12306_BIN="$(sim_binary)" CHROMIUM="$(chromium_path)" \
    node --test --test-concurrency=1 tests/languages.test.mjs)
}

cmd_bench() {
  ensure_rust
  ensure_chromium
  # benches/sale_opening.rs is among them: SALE_RUNS (3) sales that open 20 s after their task, ~25 s each. Its
  # output is kept for the side-by-side table of the opening below.
  local native
  native="$(mktemp)"
  log "cargo bench -p kyfw"
  cargo bench -p kyfw | tee "$native"
  if [[ -d tests/sim12306/benches ]]; then
    log "cargo bench -p sim12306"
    cargo bench -p sim12306
  fi
  # The service worker's cold start with the built wasm: instantiate, restore a saved task, first poll.
  cmd_build
  log "cold start of the core (tools/coldstart.mjs)"
  node "$ROOT/tools/coldstart.mjs" "$EXT" "${COLDSTART_SAMPLES:-30}"
  # The same opening booked by the extension in Chromium (SALE_RUNS sales, ~60 s each), printed beside the
  # native driver's figures. Against a release build of sim12306, compiled as the native bench's in-process
  # sim is, so that both pay the same for the sim's own work.
  log "cargo build --release -p sim12306"
  cargo build --release -p sim12306
  log "opening sale: native driver and extension side by side (e2e/bench-opening.mjs)"
  (cd "$E2E" && SIM12306_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/sim12306" CHROMIUM="$(chromium_path)" \
    node bench-opening.mjs --runs "${SALE_RUNS:-3}" --native "$native")
  rm -f "$native"
}

# The long run of tests/booking_invariants.rs: many more schedules than `test` runs, in release mode; prints
# schedules, requests and violations per invariant (the README quotes them).
cmd_soak() {
  ensure_rust
  local n="${SCHEDULES:-20000}"
  log "booking invariants over $n random fault schedules (release)"
  SCHEDULES="$n" cargo test --release -p kyfw --test booking_invariants -- --nocapture 2>&1 \
    | grep -E '^(schedules|requests|ends|  seed)|test result'
  return "${PIPESTATUS[0]}"
}

cmd_sim() {
  ensure_rust
  build_sim
  local https=8443 http=8080 control=8081
  cat >&2 <<EOF

sim12306 runs on https://127.0.0.1:$https (kyfw.12306.cn), http $http, control http://127.0.0.1:$control
Build the extension (./build.sh), then start Chromium with it against the simulator:

  $(chromium_path 2>/dev/null || echo chromium) --user-data-dir=\$(mktemp -d) \\
    --load-extension=$EXT --disable-extensions-except=$EXT \\
    --host-resolver-rules='MAP kyfw.12306.cn 127.0.0.1:$https, MAP www.12306.cn 127.0.0.1:$https' \\
    --ignore-certificate-errors https://kyfw.12306.cn/otn/resources/login.html

Log in by scanning: curl -X POST http://127.0.0.1:$control/scan   (after the QR code shows)
Orders: curl http://127.0.0.1:$control/orders     Requests: curl http://127.0.0.1:$control/requests

Rehearse a sale opening (tests/sim12306/README.md, "Rehearsing a sale opening"): G2's tickets for the newest date
(today + 14) open 3 minutes from now, 20 in second class, a crowd buys 10 a second from then on:
  curl -X POST http://127.0.0.1:$control/scenario \\
    -d '{"sale_opening":{"after_ms":180000,"trains":["G2"],"seats":{"O":20},"crowd_per_s":10}}'
  curl -X POST http://127.0.0.1:$control/clock -d '{"offset_ms":4200}'   # optional: 12306 4.2 s ahead of you
  curl http://127.0.0.1:$control/health                                   # sale_opening: at_ms, date
(a scenario resets the sim: log in again), then press 自动预订 on G2 for that date: the task waits, warms up a
minute before, and queries at the opening; /requests shows when each query arrived (t_ms) against at_ms.
Ctrl-C stops the simulator.
EOF
  exec "$(sim_binary)" --https-port "$https" --http-port "$http" --control-port "$control"
}

case "${1:-build}" in
  build) cmd_build ;;
  test) cmd_test ;;
  demo) cmd_demo ;;
  bench) cmd_bench ;;
  sim) cmd_sim ;;
  soak) cmd_soak ;;
  -h | --help | help) sed -n '2,12p' "$0" ;;
  *) die "unknown command '$1' (build | test | demo | bench | sim | soak)" ;;
esac
