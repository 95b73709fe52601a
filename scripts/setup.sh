# Sourced by scripts/run and scripts/test: installs whatever is missing, and nothing twice.
# Versions are pinned here and in Cargo.toml / package-lock.json.
TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root to run: $*" >&2; return 1; fi
}

ensure_rust_wasm() {
  command -v cargo >/dev/null || { echo "cargo is missing: install Rust from https://rustup.rs" >&2; exit 1; }
  rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown ||
    { say "adding the wasm32 target"; rustup target add wasm32-unknown-unknown; }
  # app_trunk rebuilds the standard library for the browser build from its source.
  rustup component list --installed 2>/dev/null | grep -q '^rust-src' ||
    { say "adding the standard library's source (rust-src)"; rustup component add rust-src; }
}

# trunk, for every build of the browser app (run, build, test, bench). The standard library is
# rebuilt at the app's opt-level "z" with its size-minded algorithms, and a panic aborts at once
# instead of formatting its message and location (index.html's handler shows the banner): 20 KB
# less gzipped (issue 14; scripts/size.mjs). RUSTC_BOOTSTRAP lets this stable toolchain take the
# unstable flags. CI builds with them every run, so a toolchain that drops one fails there.
app_trunk() {
  RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size \
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort" trunk "$@"
}

ensure_trunk() {
  if ! trunk --version 2>/dev/null | grep -qx "trunk $TRUNK_VERSION"; then
    say "installing trunk $TRUNK_VERSION (about 10 minutes, once)"
    cargo install trunk --version "=$TRUNK_VERSION" --locked
  fi
}

ensure_wasm_bindgen() {
  # Trunk cannot download helpers here; it uses the wasm-bindgen on PATH, which must match the
  # version pinned in Cargo.toml. The crate's own lock file names a crate the registry lacks, so
  # this install resolves afresh.
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION"; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
    cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION"
  fi
}

ensure_node_tools() {
  command -v npm >/dev/null || { say "installing Node.js"; as_root apt-get update -qq; as_root apt-get install -y -qq nodejs npm; }
  if [ ! -x "$ROOT/node_modules/.bin/wasm-opt" ] || [ ! -d "$ROOT/node_modules/playwright-core" ] || [ ! -d "$ROOT/node_modules/axe-core" ] || [ ! -x "$ROOT/node_modules/.bin/esbuild" ]; then
    say "installing wasm-opt (binaryen), esbuild, playwright-core and axe-core from npm"
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    say "installing Debian's chromium and chromium-driver"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium chromium-driver
  fi
}

ensure_build_tools() {
  ensure_rust_wasm
  ensure_trunk
  ensure_wasm_bindgen
  ensure_node_tools
}
