//! The browser app's entry point. Trunk builds it for wasm32; natively it only points to the CLI.
// In the browser, wasm-bindgen's start function runs the app, not std's `main` runtime, whose
// error reporting (every I/O error's text) the page would download for nothing.
#![cfg_attr(target_arch = "wasm32", no_main)]

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
fn start() {
    paxoscope::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "paxoscope is the browser app: run it with `scripts/run` (trunk serve). For a headless run, use paxoscope-cli."
    );
}
