//! The trace file: config, seed and every step with its events. The CLI prints it and the app
//! exports and imports it. `docs/trace-format.md` is the reference.

use super::command::Command;
use super::command::Event;
use super::config::Config;
use super::timeline::{Step, Timeline};
use serde::{Deserialize, Serialize};

/// The `format` field's only accepted value.
pub const FORMAT: &str = "paxoscope-trace";
/// The only version this build reads and writes.
pub const VERSION: u32 = 1;
/// Largest trace file accepted, in bytes.
pub const MAX_BYTES: usize = 8 * 1024 * 1024;
/// Most steps accepted in one trace.
pub const MAX_STEPS: usize = 100_000;

/// A whole run, as written: the JSON that the CLI prints and the app exports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Trace {
    /// Always `paxoscope-trace`.
    pub format: String,
    /// Always 1.
    pub version: u32,
    /// The cluster and network settings.
    pub config: Config,
    /// The world's seed.
    pub seed: u64,
    /// Every step, in order.
    pub steps: Vec<Step>,
}

impl Trace {
    /// The trace of a timeline up to its cursor.
    pub fn from_timeline(t: &Timeline) -> Self {
        Trace {
            format: FORMAT.into(),
            version: VERSION,
            config: t.config().clone(),
            seed: t.seed(),
            steps: t.steps()[..t.cursor()].to_vec(),
        }
    }

    /// Pretty JSON, for people (the CLI).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }

    /// Compact JSON, for files the app writes (smaller, and it keeps the browser build small).
    pub fn to_json_compact(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }
}

/// One step of a trace as read: the command, and its recorded events as plain JSON, which replay
/// compares against the events it produces. (Reading events as JSON rather than as typed events
/// keeps the browser build small, and lets a mismatch be shown exactly as the file has it.)
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedStep {
    /// The command.
    pub command: Command,
    /// The events the file says it caused.
    pub events: Vec<serde_json::Value>,
}

/// A trace as read from a file or a paste: checked for shape, format, version and config range,
/// but not yet replayed.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TraceFile {
    /// Always `paxoscope-trace`.
    pub format: String,
    /// Always 1.
    pub version: u32,
    /// The cluster and network settings.
    pub config: Config,
    /// The world's seed.
    pub seed: u64,
    /// Every step, in order.
    pub steps: Vec<RecordedStep>,
}

/// Just enough of a file to tell a Paxoscope trace of the right version from anything else.
#[derive(Deserialize)]
struct Head {
    format: Option<serde_json::Value>,
    version: Option<serde_json::Value>,
}

impl TraceFile {
    /// Parses and checks a trace: size, JSON shape, format, version and config range.
    pub fn parse(text: &str) -> Result<Self, String> {
        if text.len() > MAX_BYTES {
            return Err(format!("The trace is {} KB; the limit is {} KB.", text.len() / 1024, MAX_BYTES / 1024));
        }
        let head: Head = serde_json::from_str(text).map_err(|e| format!("The trace is not valid JSON: {e}."))?;
        match head.format.as_ref().and_then(|f| f.as_str()) {
            Some(FORMAT) => {}
            Some(other) => return Err(format!("This is not a Paxoscope trace: its format is {other:?}.")),
            None => return Err(format!("This is not a Paxoscope trace: it has no \"format\": \"{FORMAT}\" field.")),
        }
        match head.version.as_ref().and_then(|v| v.as_u64()) {
            Some(v) if v == VERSION as u64 => {}
            Some(v) => return Err(format!("This trace is version {v}; this Paxoscope reads version {VERSION}.")),
            None => return Err("The trace has no version number.".into()),
        }
        let trace: TraceFile =
            serde_json::from_str(text).map_err(|e| format!("The trace does not match the format: {e}."))?;
        trace.config.validate().map_err(|e| format!("The trace's config is out of range: {e}."))?;
        if trace.steps.len() > MAX_STEPS {
            return Err(format!("The trace has {} steps; the limit is {MAX_STEPS}.", trace.steps.len()));
        }
        Ok(trace)
    }

    /// The commands, in order.
    pub fn commands(&self) -> impl Iterator<Item = &Command> {
        self.steps.iter().map(|s| &s.command)
    }

    /// Re-applies every command and compares the events. On success, the rebuilt timeline is at
    /// the last step. On failure, the message names the first step that differs (1-based).
    pub fn replay(&self) -> Result<Timeline, String> {
        let mut t = Timeline::new(self.config.clone(), self.seed)?;
        for (i, step) in self.steps.iter().enumerate() {
            let events = t.apply(step.command.clone());
            if let [Event::Rejected { reason }] = events.as_slice() {
                return Err(format!("Step {} differs: the command was refused: {reason}", i + 1));
            }
            let got: Vec<serde_json::Value> =
                events.iter().map(|e| serde_json::to_value(e).unwrap_or_default()).collect();
            if got != step.events {
                return Err(format!("Step {} differs: {}", i + 1, first_difference(&step.events, &got)));
            }
        }
        Ok(t)
    }
}

fn first_difference(expected: &[serde_json::Value], got: &[serde_json::Value]) -> String {
    let show = |e: Option<&serde_json::Value>| e.map_or("nothing".to_string(), |e| e.to_string());
    let i = expected.iter().zip(got).take_while(|(a, b)| a == b).count();
    format!("event {} was expected to be {} but replay gave {}.", i + 1, show(expected.get(i)), show(got.get(i)))
}
