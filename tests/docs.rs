//! What the docs promise: the example trace in docs/trace-format.md replays, and the same trace
//! written as version 1 (no `decided` events) still imports.

use paxoscope::sim::TraceFile;

fn documented_example() -> String {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/trace-format.md")).unwrap();
    let start = doc.find("```json\n").expect("the page has a JSON example") + "```json\n".len();
    let len = doc[start..].find("```").expect("the example ends");
    doc[start..start + len].to_string()
}

#[test]
fn the_documented_example_trace_replays() {
    let t = TraceFile::parse(&documented_example()).unwrap();
    assert_eq!(t.version, 2);
    let replayed = t.replay().unwrap();
    assert_eq!(replayed.len(), 2);
}

#[test]
fn the_same_trace_as_version_1_still_imports() {
    let v2 = documented_example();
    // Version 1 is version 2 without the decided events.
    let v1 = v2.replace("\"version\": 2", "\"version\": 1");
    let mut out = String::new();
    let mut skip = 0;
    for line in v1.lines() {
        if line.trim_start().starts_with("{ \"type\": \"decided\"") {
            skip = 1;
            continue;
        }
        if skip > 0 {
            // The decided event spans this line and maybe one more; it ends with "} },".
            if line.trim_end().ends_with("} },") || line.trim_end().ends_with("} } },") {
                skip = 0;
            }
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    assert!(!out.contains("decided"), "{out}");
    let t = TraceFile::parse(&out).unwrap();
    assert_eq!(t.version, 1);
    t.replay().unwrap();
    // And a version-1 trace whose events differ is still refused, naming the step.
    let bad = out.replace("\"due\": 5", "\"due\": 4");
    assert!(TraceFile::parse(&bad).unwrap().replay().unwrap_err().contains("Step 1 differs"));
}

#[test]
fn the_documented_example_lesson_opens_and_plays_like_a_lesson() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/lesson-format.md")).unwrap();
    let start = doc.find("```json\n").expect("the page has a JSON example") + "```json\n".len();
    let len = doc[start..].find("```").expect("the example ends");
    let (a, l) = paxoscope::sim::authored::Authored::from_json(&doc[start..start + len]).unwrap();
    assert_eq!((l.beats.len(), l.polls.clone(), a.commands.len()), (1, vec![2], 3));
    // The file and the link agree.
    assert_eq!(paxoscope::sim::authored::Authored::from_link(&a.to_link().unwrap()).unwrap().0, a);
}
