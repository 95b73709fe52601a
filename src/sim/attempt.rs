//! A student's attempt at a challenge, as a file they hand in, and the grading of a folder of
//! them. The file carries the trace of the run, whether each goal holds, and a checksum over
//! both (see [`super::checksum`]: it detects an edit, not a determined forger). Grading does not
//! take a file's word for anything: it replays the trace, checks it starts where the challenge
//! starts, and checks every goal again.

use super::checksum::seal;
use super::command::Command;
use super::config::Config;
use super::lessons::{Goal, Lesson, Progress};
use super::link::Link;
use super::timeline::Timeline;
use super::trace::{canonical, Head, Trace, TraceFile};
use crate::sim::json_error::{plain, plain_in};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// The `format` field of an attempt file.
pub const FORMAT: &str = "paxoscope-attempt";
/// The version this build writes and reads.
pub const VERSION: u32 = 1;
/// Largest attempt file accepted, in bytes.
pub const MAX_BYTES: usize = 4 * 1024 * 1024;
/// Most files graded at once.
pub const MAX_FILES: usize = 500;

/// Which challenge an attempt answers: enough to grade it without the challenge's link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChallengeRef {
    /// The challenge's title.
    pub title: String,
    /// How many steps the starting situation has.
    pub start: usize,
    /// The goals, as the challenge sets them.
    pub goals: Vec<Goal>,
    /// A checksum over the starting situation and the goals, so an attempt at another challenge
    /// (or with easier goals written in) is told apart.
    pub fingerprint: String,
}

/// Whether one goal holds, in the student's file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoalResult {
    /// Reached?
    pub reached: bool,
    /// Why, or what is missing.
    pub why: String,
}

#[derive(Serialize)]
struct Body<'a> {
    student: &'a str,
    challenge: &'a ChallengeRef,
    results: &'a [GoalResult],
    trace: &'a Trace,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileIn<'a> {
    #[allow(dead_code)]
    format: String,
    #[allow(dead_code)]
    version: u32,
    #[serde(borrow)]
    attempt: &'a RawValue,
    checksum: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BodyIn<'a> {
    student: String,
    challenge: ChallengeRef,
    results: Vec<GoalResult>,
    #[serde(borrow)]
    trace: &'a RawValue,
}

/// The fingerprint of a challenge: its starting situation (in share-link notation) and goals.
pub fn fingerprint(config: &Config, seed: u64, start: &[Command], goals: &[Goal]) -> String {
    let run = Link::of_run(config.clone(), seed, start.to_vec(), start.len()).to_hash();
    let goals: Vec<String> = goals.iter().map(|g| serde_json::to_string(g).unwrap_or_default()).collect();
    seal(&format!("{run}\n{}", goals.join("\n")))
}

/// Which challenge `l` is, for attempts at it; `None` when it is not a challenge.
pub fn challenge_ref(l: &Lesson) -> Option<ChallengeRef> {
    let c = l.challenge.as_ref()?;
    Some(ChallengeRef {
        title: l.title.clone(),
        start: l.commands.len(),
        goals: c.goals.clone(),
        fingerprint: fingerprint(&l.config, l.seed, &l.commands, &c.goals),
    })
}

/// Checks each goal on the run in `t` from step `start` up to its cursor. Before the start, or
/// on a run that no longer begins with the challenge's situation, nothing counts.
pub fn check_goals(goals: &[Goal], t: &Timeline, start: usize) -> Vec<Progress> {
    let begin = t.world_at(start);
    let since = &t.steps()[start.min(t.cursor())..t.cursor()];
    goals.iter().map(|g| g.check(&begin, since, t.world())).collect()
}

/// Does the run in `t` begin with the challenge's starting situation?
pub fn starts_as(c: &ChallengeRef, t: &Timeline) -> bool {
    let start: Vec<Command> = t.steps().iter().take(c.start).map(|s| s.command.clone()).collect();
    start.len() == c.start && fingerprint(t.config(), t.seed(), &start, &c.goals) == c.fingerprint
}

/// The attempt file for the run in `t` up to its cursor.
pub fn write(student: &str, c: &ChallengeRef, t: &Timeline) -> Result<String, String> {
    let student = super::authored::clean(student);
    if student.is_empty() {
        return Err("Type your name first, so your lecturer knows whose attempt it is.".into());
    }
    if !starts_as(c, t) || t.cursor() < c.start {
        return Err("This run no longer starts from the challenge's situation: restart the challenge first.".into());
    }
    let results: Vec<GoalResult> =
        check_goals(&c.goals, t, c.start).into_iter().map(|p| GoalResult { reached: p.reached, why: p.why }).collect();
    let trace = Trace::from_timeline(t);
    let body = serde_json::to_string(&Body { student: &student, challenge: c, results: &results, trace: &trace })
        .map_err(|e| e.to_string())?;
    let sum = seal(&canonical(&body)?);
    Ok(format!("{{\"format\":\"{FORMAT}\",\"version\":{VERSION},\"attempt\":{body},\"checksum\":\"{sum}\"}}\n"))
}

/// What grading found wrong with a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The checksum does not match: the file was changed after it was exported.
    Edited,
    /// The trace does not replay to the events it records.
    DoesNotReplay(String),
    /// The run does not start from the challenge's situation, or its goals were changed.
    NotTheChallenge,
    /// The file says a goal holds (or not) and the replay says otherwise.
    Misreported,
}

impl Problem {
    /// In words, for the table.
    pub fn describe(&self) -> String {
        match self {
            Problem::Edited => "edited after export: the checksum does not match".into(),
            Problem::DoesNotReplay(why) => format!("the run does not replay: {why}"),
            Problem::NotTheChallenge => "does not start from the challenge, or its goals were changed".into(),
            Problem::Misreported => "the goals it reports differ from the replay".into(),
        }
    }
}

/// One graded file: a row of the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The file's name.
    pub file: String,
    /// Who, as the file says.
    pub student: String,
    /// The challenge's title and fingerprint, as the file says.
    pub challenge: Option<ChallengeRef>,
    /// Steps the student took after the start.
    pub steps: usize,
    /// Each goal, and whether the replayed run reaches it (`None` when the run cannot be replayed).
    pub goals: Vec<(Goal, Option<bool>)>,
    /// What is wrong with the file; empty when it is sound.
    pub problems: Vec<Problem>,
    /// The file could not be read at all: why.
    pub unreadable: Option<String>,
}

impl Row {
    /// A row for a file that could not be read or is not an attempt.
    pub fn unreadable(file: &str, why: String) -> Row {
        Row {
            file: file.into(),
            student: String::new(),
            challenge: None,
            steps: 0,
            goals: vec![],
            problems: vec![],
            unreadable: Some(why),
        }
    }

    /// Every goal reached, in a sound file.
    pub fn solved(&self) -> bool {
        self.unreadable.is_none()
            && self.problems.is_empty()
            && !self.goals.is_empty()
            && self.goals.iter().all(|g| g.1 == Some(true))
    }
}

/// Grades one file called `file` with contents `text`.
pub fn grade(file: &str, text: &str) -> Row {
    match read(file, text) {
        Ok(row) => row,
        Err(e) => Row::unreadable(file, e),
    }
}

fn read(file: &str, text: &str) -> Result<Row, String> {
    if text.len() > MAX_BYTES {
        return Err(format!("it is {} KB; an attempt is at most {} KB", text.len() / 1024, MAX_BYTES / 1024));
    }
    let head: Head = serde_json::from_str(text).map_err(|e| format!("it is not valid JSON: {}", plain(&e)))?;
    if !head.names(FORMAT) {
        return Err("it is not a Paxoscope attempt".into());
    }
    match head.version() {
        Some(Some(v)) if v == VERSION as u64 => {}
        Some(Some(v)) => return Err(format!("it is version {v}; this Paxoscope reads version {VERSION}")),
        _ => return Err("it has no version number".into()),
    }
    let f: FileIn = serde_json::from_str(text)
        .map_err(|e| format!("it does not match the attempt format: {}", plain_in(&e, text)))?;
    let body: BodyIn = serde_json::from_str(f.attempt.get())
        .map_err(|e| format!("it does not match the attempt format: {}", plain(&e)))?;
    let mut problems = Vec::new();
    if canonical(f.attempt.get()).map(|c| seal(&c)).as_deref() != Ok(f.checksum.as_str()) {
        problems.push(Problem::Edited);
    }
    let c = body.challenge;
    let mut row = Row {
        file: file.into(),
        student: body.student,
        challenge: Some(c.clone()),
        steps: 0,
        goals: c.goals.iter().map(|g| (g.clone(), None)).collect(),
        problems,
        unreadable: None,
    };
    let t = match TraceFile::parse(body.trace.get()).and_then(|t| t.replay()) {
        Ok(t) => t,
        Err(e) => {
            row.problems.push(Problem::DoesNotReplay(e));
            return Ok(row);
        }
    };
    if !starts_as(&c, &t) {
        row.problems.push(Problem::NotTheChallenge);
        return Ok(row);
    }
    let now = check_goals(&c.goals, &t, c.start);
    row.steps = t.cursor().saturating_sub(c.start);
    if now.len() != body.results.len() || now.iter().zip(&body.results).any(|(p, r)| p.reached != r.reached) {
        row.problems.push(Problem::Misreported);
    }
    row.goals = c.goals.iter().cloned().zip(now.iter().map(|p| Some(p.reached))).collect();
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paxos::NodeId;
    use crate::sim::authored::Authored;
    use crate::sim::lessons::Challenge;

    const A2: NodeId = NodeId::acceptor(1);

    fn challenge() -> Lesson {
        let c1 = Command::Request { client: NodeId::client(0), value: crate::paxos::Value::new("X").unwrap() };
        Authored {
            title: "Choose with A2 down".into(),
            intro: String::new(),
            config: Config::default(),
            seed: 5,
            commands: vec![c1],
            beats: vec![],
            polls: vec![],
            challenge: Some(Challenge {
                prompt: "Crash A2, then get a value chosen.".into(),
                goals: vec![Goal::ChosenWhileDown { node: A2 }, Goal::AcceptorsDisagree],
            }),
        }
        .lesson()
        .unwrap()
    }

    /// A student's run: the start, then `crash` A2 or not, then steps until a value is chosen.
    fn solve(l: &Lesson, crash: bool) -> Timeline {
        let mut t = Timeline::new(l.config.clone(), l.seed).unwrap();
        for c in &l.commands {
            let _ = t.apply(c.clone());
        }
        if crash {
            let _ = t.apply(Command::Crash { node: A2 });
        }
        while t.world().chosen().is_none() {
            let _ = t.apply(Command::Tick);
        }
        t
    }

    #[test]
    fn a_sound_attempt_grades_as_it_reports() {
        let l = challenge();
        let c = challenge_ref(&l).unwrap();
        let text = write("Ada Lovelace", &c, &solve(&l, true)).unwrap();
        let row = grade("ada.json", &text);
        assert_eq!(row.problems, vec![], "{row:?}");
        assert_eq!(row.student, "Ada Lovelace");
        assert_eq!(row.goals.iter().map(|g| g.1).collect::<Vec<_>>(), vec![Some(true), Some(false)]);
        assert!(!row.solved(), "one goal of two");
        assert!(row.steps > 3);
        // Layout does not matter; content does.
        let pretty = text.replace(",\"", ",\n  \"");
        assert_eq!(grade("ada.json", &pretty).problems, vec![]);
    }

    #[test]
    fn an_edited_attempt_is_flagged_and_graded_on_its_replay() {
        let l = challenge();
        let c = challenge_ref(&l).unwrap();
        let text = write("Bob", &c, &solve(&l, false)).unwrap();
        assert_eq!(grade("bob.json", &text).goals[0].1, Some(false));
        // Bob claims the goal he did not reach.
        let forged = text.replacen("\"reached\":false", "\"reached\":true", 1);
        let row = grade("bob.json", &forged);
        assert_eq!(row.problems, vec![Problem::Edited, Problem::Misreported]);
        assert_eq!(row.goals[0].1, Some(false), "the replay decides");
        // A renamed file says who it is from but is still flagged.
        let renamed = text.replace("\"Bob\"", "\"Eve\"");
        assert_eq!(grade("eve.json", &renamed).problems, vec![Problem::Edited]);
        // Easier goals written in: flagged as another challenge.
        let easier = text.replace("acceptors_disagree", "safety_breaks");
        assert!(grade("b.json", &easier).problems.contains(&Problem::NotTheChallenge));
        // A changed event: the run does not replay.
        let bad_run = text.replacen("\"due\":", "\"due\":1", 1);
        assert!(matches!(grade("b.json", &bad_run).problems[1], Problem::DoesNotReplay(_)));
    }

    #[test]
    fn other_files_are_unreadable_with_a_reason() {
        for (text, why) in [
            ("not json", "not valid JSON"),
            ("{\"format\":\"paxoscope-trace\",\"version\":2}", "not a Paxoscope attempt"),
            ("{\"format\":\"paxoscope-attempt\",\"version\":9}", "version 9"),
            ("{\"format\":\"paxoscope-attempt\",\"version\":1}", "does not match"),
        ] {
            let row = grade("x.json", text);
            assert!(row.unreadable.as_deref().is_some_and(|u| u.contains(why)), "{text}: {row:?}");
        }
        let big = " ".repeat(MAX_BYTES + 1);
        assert!(grade("big.json", &big).unreadable.unwrap().contains("at most 4096 KB"));
    }

    #[test]
    fn an_attempt_needs_a_name_and_the_challenge_start() {
        let l = challenge();
        let c = challenge_ref(&l).unwrap();
        assert!(write("  ", &c, &solve(&l, true)).unwrap_err().contains("name"));
        let other = Timeline::new(Config { acceptors: 5, ..Config::default() }, 5).unwrap();
        assert!(write("Ada", &c, &other).unwrap_err().contains("restart the challenge"));
    }
}
