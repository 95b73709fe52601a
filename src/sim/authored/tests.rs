use super::*;
use crate::paxos::{Ballot, Kind, Value};
use crate::sim::{Pick, Script};

const C1: NodeId = NodeId::client(0);
const C2: NodeId = NodeId::client(1);
const P1: NodeId = NodeId::proposer(0);
const A2: NodeId = NodeId::acceptor(1);

/// Where a course would host the app: the address in front of `#L=`.
pub const ORIGIN: &str = "https://paxos.cs.example.edu/courses/cs425/paxoscope/";

/// Thirty captions as a lecturer might type them: a sentence or two each, 60 to 120 characters.
pub const CAPTIONS: [&str; 30] = [
    "Everything starts with a request: C1 asks its proposer to get \"X\" chosen.",
    "P1 has no ballot yet, so it picks 1.1 and sends a Prepare to all three acceptors.",
    "A1 has promised nothing so far, so it promises ballot 1.1 and reports no earlier vote.",
    "Meanwhile C2 wants \"Y\". Two clients and two proposers: this is where it gets interesting.",
    "A2 promises too. That makes two of three, a majority, but P1 does not know it yet.",
    "The promise reaches P1. A quorum, and nobody reported a vote: it may propose its own value.",
    "P2 starts its own ballot. Its number is higher, so acceptors will prefer it from now on.",
    "Watch A3: it promises the higher ballot, and must now refuse anything lower.",
    "A1 accepts \"X\" in ballot 1.1. One vote is not enough for anything yet.",
    "Here A2 refuses: it already promised a higher ballot and will not go back on its word.",
    "Notice the Nack travelling back. P1 learns it lost the race, not why the value failed.",
    "P1 retries with round 2. Every retry costs a full round trip: this is the price of contention.",
    "Ask yourself: which value must the next proposer use? Look at what the promises report.",
    "A3 reports its vote for \"X\" in its promise. That report is what keeps Paxos safe.",
    "So P2 proposes \"X\", not its own \"Y\". Its client will not get the value it asked for.",
    "Pause here and compare the two quorums on the canvas. Which acceptor is in both?",
    "A2 accepts \"X\" in the new ballot. Two votes in one ballot: the value is chosen now.",
    "Nobody on the canvas knows it yet. Chosen is a fact about the acceptors, not a message.",
    "The learner counts its first vote. It needs a majority in one ballot before it learns.",
    "Now L1 learns \"X\". From here on every learner can only ever learn \"X\".",
    "Let us break something: we crash A2 while messages to it are still on the wire.",
    "The message to A2 is lost. A crashed node hears nothing, and nothing waits for it.",
    "A2 restarts. Its promise and its vote were on disk, so it remembers them.",
    "Try to predict: will A2 accept the late Accept from the old ballot, or refuse it?",
    "It refuses. Its promise is for a higher ballot, and promises never go down.",
    "C2 finally hears the outcome. It asked for \"Y\" and is told \"X\": that is correct.",
    "A duplicate arrives. Paxos does not care: a second copy changes nobody's state.",
    "The network splits in two. The side with the majority can still make progress.",
    "The partition heals and the stragglers catch up; the chosen value never changes.",
    "Your turn: crash an acceptor yourself and see whether a value can still be chosen.",
];

/// A run of `steps` steps with crashes and duplicates, and a beat on each of the first 30 steps
/// where something happens, bound to its first event (what the authoring panel offers first).
pub fn thirty_beats(steps: usize) -> Authored {
    let cfg = Config::default();
    let t = crate::sim::simulate(
        cfg.clone(),
        7,
        steps,
        crate::sim::Faults { crashes: true, duplicates: true, ..Default::default() },
    )
    .unwrap();
    let commands: Vec<Command> = t.commands().cloned().collect();
    let mut w = World::new(cfg.clone(), 7).unwrap();
    let mut beats = Vec::new();
    for (i, c) in commands.iter().enumerate() {
        let before = w.clone();
        let step = Step { command: c.clone(), events: w.apply(c.clone()) };
        let claims = Claim::all_at(&before, &step, &w);
        if let (Some(on), true) = (claims.first(), beats.len() < 30) {
            let caption = CAPTIONS[beats.len()].to_string();
            beats.push(Beat { end: i + 1, on: on.clone(), also: vec![], caption, highlight: None, turn: None });
        }
    }
    assert_eq!(beats.len(), 30, "the run has 30 steps worth a beat");
    beats[15].highlight = Some(Highlight { nodes: vec![A2], label: "in both quorums".into() });
    let last = beats.len() - 1;
    beats[last].turn = Some(Turn {
        prompt: "Crash an acceptor, then get a value chosen.".into(),
        goal: Goal::ChosenWhileDown { node: A2 },
    });
    let polls = vec![beats[22].end];
    Authored {
        title: "Contention, crashes and a chosen value".into(),
        intro: "Two clients ask for different values at once. Watch who wins, and why safety holds.".into(),
        config: cfg,
        seed: 7,
        commands,
        beats,
        polls,
        challenge: None,
    }
}

fn small_lesson() -> Authored {
    let mut s = Script::new(Config::default(), 3).unwrap();
    s.request(C1, "X").deliver(Pick::kind(Kind::Request));
    s.deliver(Pick::kind(Kind::Prepare).to(NodeId::acceptor(0)));
    let commands = s.finish().unwrap();
    Authored {
        title: "Hello, Paxos".into(),
        intro: String::new(),
        config: Config::default(),
        seed: 3,
        commands,
        beats: vec![
            Beat {
                end: 2,
                on: Claim::Starts { by: P1 },
                also: vec![],
                caption: "P1 starts ballot 1.1.".into(),
                highlight: Some(Highlight { nodes: vec![P1], label: "the proposer".into() }),
                turn: None,
            },
            Beat {
                end: 3,
                on: Claim::Promises { by: NodeId::acceptor(0) },
                also: vec![Claim::Follows { client: C1, leader: P1 }],
                caption: "A1 promises.".into(),
                highlight: None,
                turn: Some(Turn {
                    prompt: "Get Y chosen.".into(),
                    goal: Goal::Chosen { value: Some(Value::new("Y").unwrap()) },
                }),
            },
        ],
        polls: vec![3],
        challenge: None,
    }
}

fn challenge() -> Authored {
    let mut s = Script::new(Config::default(), 5).unwrap();
    s.request(C1, "X").request(C2, "Y");
    Authored {
        title: "Choose with A2 down".into(),
        intro: "The cluster is yours.".into(),
        config: Config::default(),
        seed: 5,
        commands: s.finish().unwrap(),
        beats: vec![],
        polls: vec![],
        challenge: Some(Challenge {
            prompt: "Get a value chosen while A2 is down, then make the acceptors disagree.".into(),
            goals: vec![
                Goal::ChosenWhileDown { node: A2 },
                Goal::Refused { ballot: Ballot { round: 2, proposer: P1 } },
            ],
        }),
    }
}

#[test]
fn a_lesson_survives_the_file_and_the_link_unchanged() {
    for a in [small_lesson(), challenge(), thirty_beats(90)] {
        let (back, lesson) = Authored::from_json(&a.to_json()).unwrap();
        assert_eq!(back, a);
        assert_eq!(lesson.beats, a.beats);
        assert_eq!(lesson.commands, a.commands);
        assert!(lesson.is_authored());
        let (back, lesson) = Authored::from_link(&a.to_link().unwrap()).unwrap();
        assert_eq!(back, a);
        assert_eq!(lesson.challenge, a.challenge);
        assert_eq!(lesson.polls, a.polls);
    }
}

#[test]
fn a_thirty_beat_lesson_with_captions_fits_a_two_thousand_character_link() {
    let a = thirty_beats(90);
    let captions: usize = a.beats.iter().map(|b| b.caption.len()).sum();
    let code = a.to_link().unwrap();
    let url = Authored::link_length(&code, ORIGIN);
    println!(
        "30 beats, {} steps, {captions} characters of captions: file {} bytes, link code {} characters, address {url}",
        a.commands.len(),
        a.to_json().len(),
        code.len()
    );
    assert!(url <= LINK_BUDGET, "the address is {url} characters");
}

#[test]
fn the_file_is_versioned_json_that_names_its_format() {
    let j = small_lesson().to_json();
    assert!(j.starts_with("{\"format\":\"paxoscope-lesson\",\"version\":1,"), "{j}");
    assert!(j.contains("\"type\":\"promises\""));
}

/// A file as a person might write it: pretty-printed (the app writes compact JSON).
fn pretty(j: String) -> String {
    serde_json::to_string_pretty(&serde_json::from_str::<serde_json::Value>(&j).unwrap()).unwrap()
}

#[test]
fn bad_files_say_what_is_wrong() {
    let good = pretty(small_lesson().to_json());
    let cases: Vec<(String, &str)> = vec![
        (good.replace("\"version\": 1", "\"version\": 7"), "version 7; this Paxoscope reads version 1"),
        (good.replace("paxoscope-lesson", "paxoscope-trace"), "not a Paxoscope lesson"),
        ("{\"format\":".into(), "not valid JSON"),
        (
            good.replace("\"by\": \"P1\"", "\"by\": \"P7\""),
            "names P7, which is not in this cluster (it has 2 proposers)",
        ),
        (
            pretty(challenge().to_json()).replace("\"node\": \"A2\"", "\"node\": \"A7\""),
            "goal 1 names A7, which is not in this cluster",
        ),
        (good.replace("\"end\": 3", "\"end\": 9"), "beat 2 ends at step 9"),
        (good.replace("\"type\": \"promises\"", "\"type\": \"refuses\""), "does not happen at that step"),
        (good.replace("\"title\": \"Hello, Paxos\"", "\"title\": \"\""), "no title"),
        (good.replace("\"polls\": [\n    3\n  ]", "\"polls\": [\n    30\n  ]"), "a poll asks about step 30"),
        (good.replace("\"seed\": 3", "\"seed\": 3, \"colour\": 1"), "\"colour\" is not a field here"),
        (good.replace("\"type\": \"promises\"", "\"type\": \"sings\""), "unknown claim type"),
        (format!("{}{}", good, " ".repeat(MAX_FILE_BYTES)), "a lesson file is at most 512 KB"),
    ];
    for (text, want) in cases {
        let e = Authored::from_json(&text).unwrap_err();
        assert!(e.contains(want), "wanted {want:?}, got {e:?}");
    }
    let mut c = challenge();
    c.beats = small_lesson().beats;
    assert!(Authored::from_json(&c.to_json()).unwrap_err().contains("a challenge has no beats"));
}

#[test]
fn damaged_links_are_refused_with_a_message_never_a_panic() {
    let code = small_lesson().to_link().unwrap();
    assert!(Authored::from_link("").unwrap_err().contains("no lesson"));
    assert!(Authored::from_link("abc$").unwrap_err().contains("damaged"));
    // A newer version is named as one; a first byte no version has is a damaged link.
    let mut bytes = crate::sim::pack::from_base64url(&code).unwrap();
    bytes[0] = LINK_VERSION + 1;
    let newer = Authored::from_link(&crate::sim::pack::to_base64url(&bytes)).unwrap_err();
    assert!(newer.contains("version 2, from a newer Paxoscope"), "{newer}");
    let garbled = Authored::from_link("hello-world").unwrap_err();
    assert!(garbled.contains("damaged") && !garbled.contains("version"), "{garbled}");
    for cut in 1..code.len() {
        assert!(Authored::from_link(&code[..cut]).is_err(), "a link cut at {cut} opens");
    }
    let chars: Vec<char> = code.chars().collect();
    for i in 2..chars.len() {
        let mut bad = chars.clone();
        bad[i] = if bad[i] == 'A' { 'B' } else { 'A' };
        // Most flips are refused; the few that still decode must still pass every check.
        if let Ok((a, _)) = Authored::from_link(&bad.iter().collect::<String>()) {
            a.lesson().unwrap();
        }
    }
}

#[test]
fn text_is_cleaned_to_one_paragraph_and_limits_hold() {
    let mut a = small_lesson();
    a.beats[0].caption = "two\nlines\twith tabs ".into();
    let (back, _) = Authored::from_link(&a.clone().cleaned().to_link().unwrap()).unwrap();
    assert_eq!(back.beats[0].caption, "two lines with tabs");
    assert!(a.lesson().unwrap_err().contains("line break"));
    a.beats[0].caption = "x".repeat(MAX_TEXT + 1);
    assert!(a.lesson().unwrap_err().contains("the limit is 500"));
}
