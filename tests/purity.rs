//! Architecture guard (quinn's `import "env"` check): the protocol and the world stay pure. They may
//! not name a web crate, read a clock, draw unseeded randomness, or iterate a HashMap.

use std::path::Path;

const FORBIDDEN: [&str; 11] = [
    "yew",
    "web_sys",
    "gloo",
    "wasm_bindgen",
    "js_sys",
    "Instant::now",
    "SystemTime",
    "thread_rng",
    "getrandom",
    "HashMap",
    "HashSet",
];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn paxos_and_sim_import_no_web_crate_clock_or_entropy() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&root.join("paxos"), &mut files);
    rust_files(&root.join("sim"), &mut files);
    assert!(files.len() >= 10, "the guard must actually see the sources");
    let mut leaks = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for word in FORBIDDEN {
                if code.contains(word) {
                    leaks.push(format!("{}:{}: {word}", f.display(), n + 1));
                }
            }
        }
    }
    assert!(leaks.is_empty(), "pure layers reach outside:\n{}", leaks.join("\n"));
}

#[test]
fn the_guard_itself_catches_a_leak() {
    let line = "use web_sys::Window;";
    assert!(FORBIDDEN.iter().any(|w| line.contains(w)));
}

#[test]
fn web_crates_are_wasm_only_dependencies() {
    let manifest = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap();
    let (native, _) = manifest.split_once("[target.").expect("web deps live under a target section");
    for web in ["yew", "web-sys", "gloo", "wasm-bindgen"] {
        let deps = native.split("[dependencies]").nth(1).unwrap_or("");
        assert!(!deps.lines().any(|l| l.trim_start().starts_with(web)), "{web} must not be a native dependency");
    }
}
