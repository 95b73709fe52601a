//! Bad input gets a clear one-line message and changes nothing: trace files and the CLI.

use paxoscope::sim::{simulate, Config, Faults, Trace, TraceFile};
use std::process::Command as Proc;

fn good_json() -> String {
    Trace::from_timeline(&simulate(Config::default(), 9, 60, Faults::ALL).unwrap()).to_json()
}

fn parse_err(text: &str) -> String {
    TraceFile::parse(text).expect_err("should be refused")
}

#[test]
fn malformed_json_is_refused() {
    assert!(parse_err("{not json").contains("not valid JSON"));
    assert!(parse_err("").contains("not valid JSON"));
}

#[test]
fn wrong_format_or_version_is_refused() {
    let j = good_json();
    assert!(parse_err(&j.replacen("paxoscope-trace", "raftscope", 1)).contains("not a Paxoscope trace"));
    assert!(
        parse_err(&j.replacen("paxoscope-trace", "paxoscope-attempt", 1)).contains("Grade challenge attempts"),
        "an attempt opened as a trace says where it goes"
    );
    assert!(parse_err(&j.replacen("\"version\": 2", "\"version\": 3", 1)).contains("version 3"));
    assert!(parse_err(&j.replacen("\"version\": 2", "\"version\": 0", 1)).contains("versions 1 to 2"));
    assert!(parse_err("{\"version\": 1}").contains("format"));
}

#[test]
fn out_of_range_config_is_refused() {
    let j = good_json().replacen("\"acceptors\": 3", "\"acceptors\": 40", 1);
    assert!(parse_err(&j).contains("acceptors must be between 1 and 9"));
    let j = good_json().replacen("\"loss\": 0", "\"loss\": 300", 1);
    let e = parse_err(&j);
    assert!(e.contains("does not match"), "a u8 field out of its type's range: {e}");
    assert!(e.contains("the field \"loss\": 300 is out of range (line"), "in plain words: {e}");
}

#[test]
fn unknown_ids_and_fields_are_refused() {
    let j = good_json();
    assert!(parse_err(&j.replacen("\"C1\"", "\"Q1\"", 1)).contains("unknown node id"));
    let e = parse_err(&j.replacen("\"seed\"", "\"sneed\"", 1));
    assert!(e.contains("does not match the format: \"sneed\" is not a field here"), "{e}");
    assert!(!e.contains('`'), "serde's backticks are not shown: {e}");
    // A node id that parses but is not in the cluster makes replay refuse the step.
    let t = TraceFile::parse(&j.replacen("\"client\": \"C1\"", "\"client\": \"C3\"", 1)).unwrap();
    let e = t.replay().unwrap_err();
    assert!(e.contains("refused: there is no C3"), "mid-sentence, in lower case: {e}");
}

#[test]
fn oversized_files_are_refused() {
    let big = format!("{{\"format\":\"paxoscope-trace\",\"pad\":\"{}\"}}", "x".repeat(9 * 1024 * 1024));
    assert!(parse_err(&big).contains("limit"));
}

#[test]
fn tampered_events_name_the_first_differing_step() {
    let mut v: serde_json::Value = serde_json::from_str(&good_json()).unwrap();
    v["steps"][4]["events"] = serde_json::json!([]);
    let e = TraceFile::parse(&v.to_string()).unwrap().replay().unwrap_err();
    assert!(e.starts_with("Step 5 differs from its replay (was the file edited?): event 1 was expected to be nothing but replay gave {"), "{e}");
    // A changed field is named with both versions, as the file has them.
    let mut v: serde_json::Value = serde_json::from_str(&good_json()).unwrap();
    v["steps"][1]["events"][0]["due"] = serde_json::json!(999);
    let e = TraceFile::parse(&serde_json::to_string_pretty(&v).unwrap()).unwrap().replay().unwrap_err();
    assert!(
        e.starts_with("Step 2 differs from its replay (was the file edited?): event 1") && e.contains("\"due\":999"),
        "{e}"
    );
    // Pretty and compact files replay alike.
    let compact: serde_json::Value = serde_json::from_str(&good_json()).unwrap();
    assert!(TraceFile::parse(&compact.to_string()).unwrap().replay().is_ok());
}

fn cli(args: &[&str]) -> (i32, String, String) {
    let out = Proc::new(env!("CARGO_BIN_EXE_paxoscope-cli")).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

fn tmp(name: &str, text: &str) -> String {
    let p = std::env::temp_dir().join(format!("paxoscope-test-{}-{name}", std::process::id()));
    std::fs::write(&p, text).unwrap();
    p.to_string_lossy().into_owned()
}

#[test]
fn cli_simulate_then_replay_succeeds() {
    let (code, out, _) =
        cli(&["simulate", "--seed", "4", "--steps", "80", "--crashes", "--duplicates", "--partitions", "--loss", "10"]);
    assert_eq!(code, 0);
    let f = tmp("ok.json", &out);
    let (code, out, err) = cli(&["replay", &f]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("80 steps replayed, every event matches"), "{out}");
}

#[test]
fn cli_replay_of_a_tampered_trace_exits_nonzero_and_names_the_step() {
    let mut v: serde_json::Value = serde_json::from_str(&good_json()).unwrap();
    v["steps"][2]["events"] = serde_json::json!([]);
    let f = tmp("bad.json", &v.to_string());
    let (code, _, err) = cli(&["replay", &f]);
    assert_eq!(code, 1);
    assert!(err.contains("Step 3 differs"), "{err}");
    assert_eq!(err.trim().lines().count(), 1);
}

#[test]
fn cli_bad_input_gets_one_line_and_no_panic() {
    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec!["simulate".into(), "--acceptors".into(), "12".into()], "acceptors must be between 1 and 9"),
        (vec!["simulate".into(), "--seed".into(), "abc".into()], "whole number"),
        (vec!["simulate".into(), "--bogus".into()], "does not take"),
        (vec!["simulate".into(), "--amnesia".into(), "Z9".into()], "unknown node id"),
        (vec!["simulate".into(), "--amnesia".into(), "A7".into()], "not in this cluster"),
        (vec!["simulate".into(), "--mutation".into(), "nope".into()], "unknown mutation"),
        (vec!["frobnicate".into()], "unknown command"),
        (vec!["replay".into(), "/no/such/file".into()], "cannot read"),
        (vec!["replay".into(), tmp("garbage.json", "{{{")], "not valid JSON"),
        (
            vec!["replay".into(), tmp("v3.json", &good_json().replacen("\"version\": 2", "\"version\": 3", 1))],
            "version 3",
        ),
        (
            vec!["replay".into(), tmp("range.json", &good_json().replacen("\"proposers\": 2", "\"proposers\": 0", 1))],
            "proposers must be between 1 and 5",
        ),
    ];
    for (args, want) in cases {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, out, err) = cli(&a);
        assert_eq!(code, 2, "{a:?}");
        assert!(out.is_empty(), "{a:?}");
        assert!(err.contains(want), "{a:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{a:?}: {err}");
        assert!(!err.contains("panicked"), "{a:?}");
    }
}

#[test]
fn cli_exits_quietly_when_its_reader_closes_the_pipe() {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = Proc::new(env!("CARGO_BIN_EXE_paxoscope-cli"))
        .args(["simulate", "--steps", "2000"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read 100 bytes, as `| head -c 100` would, then hang up.
    let mut first = [0u8; 100];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    let status = child.wait().unwrap();
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    assert!(status.success(), "{status:?}: {err}");
    assert!(err.is_empty(), "nothing on stderr: {err}");
}
