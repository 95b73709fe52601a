//! The browser app's entry point. Trunk builds it for wasm32; natively it only points to the CLI.

#[cfg(target_arch = "wasm32")]
fn main() {
    paxoscope::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "paxoscope is the browser app: run it with `scripts/run` (trunk serve). For a headless run, use paxoscope-cli."
    );
}
