//! The trace file: config, seed and every step with its events. The CLI prints it and the app
//! exports and imports it. `docs/trace-format.md` is the reference.

use super::command::Command;
use super::command::Event;
use super::command::Step;
use super::config::Config;
use super::timeline::Timeline;
use crate::sim::json_error::{plain, plain_in};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// The `format` field's only accepted value.
pub const FORMAT: &str = "paxoscope-trace";
/// The version this build writes. Version 2 added `decided` events.
pub const VERSION: u32 = 2;
/// The oldest version this build still reads (its steps carry no `decided` events).
pub const OLDEST_VERSION: u32 = 1;
/// Largest trace file accepted, in bytes.
pub const MAX_BYTES: usize = 8 * 1024 * 1024;
/// Most steps accepted in one trace.
pub const MAX_STEPS: usize = 100_000;

/// A whole run, as written: the JSON that the CLI prints and the app exports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Trace {
    /// Always `paxoscope-trace`.
    pub format: String,
    /// Always [`VERSION`].
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

/// One step of a trace as read: the command, and its recorded events as raw JSON text, which
/// replay compares with the events it produces. (Keeping the text, rather than decoding typed
/// events or a JSON tree, keeps the browser build small, and a mismatch is shown as the file has it.)
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedStep {
    /// The command.
    pub command: Command,
    /// The events the file says it caused: a JSON array, as written.
    pub events: Box<RawValue>,
}

/// A trace as read from a file or a paste: checked for shape, format, version and config range,
/// but not yet replayed.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TraceFile {
    /// Always `paxoscope-trace`.
    pub format: String,
    /// 1 or 2.
    pub version: u32,
    /// The cluster and network settings.
    pub config: Config,
    /// The world's seed.
    pub seed: u64,
    /// Every step, in order.
    pub steps: Vec<RecordedStep>,
}

/// Just enough of any Paxoscope file (a trace, a lesson, an attempt) to tell one of the right
/// kind and version from anything else, before its body is read.
#[derive(Deserialize)]
pub(crate) struct Head<'a> {
    #[serde(borrow)]
    pub(crate) format: Option<&'a RawValue>,
    #[serde(borrow)]
    pub(crate) version: Option<&'a RawValue>,
}

impl Head<'_> {
    /// Does the file say it is of `format`?
    pub(crate) fn names(&self, format: &str) -> bool {
        self.format.is_some_and(|f| f.get().trim().strip_prefix('"').and_then(|f| f.strip_suffix('"')) == Some(format))
    }

    /// The version number, if the file has one that is a whole number.
    pub(crate) fn version(&self) -> Option<Option<u64>> {
        self.version.map(|v| v.get().trim().parse::<u64>().ok())
    }
}

/// A canonical form of JSON text: no whitespace between tokens and object keys sorted, so the
/// same events compare equal whether a file is pretty or compact, or its keys were reordered by
/// another tool. (A few dozen lines here spare the browser build a general JSON tree.)
pub(crate) fn canonical(json: &str) -> Result<String, String> {
    let mut p = Canon { b: json.as_bytes(), i: 0 };
    let v = p.value()?;
    p.ws();
    if p.i != p.b.len() {
        return Err("trailing text after the JSON value".into());
    }
    Ok(v)
}

struct Canon<'a> {
    b: &'a [u8],
    i: usize,
}

impl Canon<'_> {
    fn ws(&mut self) {
        while self.b.get(self.i).is_some_and(|c| c.is_ascii_whitespace()) {
            self.i += 1;
        }
    }

    fn value(&mut self) -> Result<String, String> {
        self.ws();
        match self.b.get(self.i) {
            Some(b'{') => {
                self.i += 1;
                let mut fields: Vec<(String, String)> = Vec::new();
                loop {
                    self.ws();
                    if self.b.get(self.i) == Some(&b'}') {
                        self.i += 1;
                        break;
                    }
                    let key = self.string()?;
                    self.ws();
                    self.expect(b':')?;
                    fields.push((key, self.value()?));
                    self.ws();
                    if self.b.get(self.i) == Some(&b',') {
                        self.i += 1;
                    }
                }
                crate::small_sort::sort(&mut fields);
                let inner: Vec<String> = fields.into_iter().map(|(k, v)| format!("{k}:{v}")).collect();
                Ok(format!("{{{}}}", inner.join(",")))
            }
            Some(b'[') => {
                self.i += 1;
                let mut items = Vec::new();
                loop {
                    self.ws();
                    if self.b.get(self.i) == Some(&b']') {
                        self.i += 1;
                        break;
                    }
                    items.push(self.value()?);
                    self.ws();
                    if self.b.get(self.i) == Some(&b',') {
                        self.i += 1;
                    }
                }
                Ok(format!("[{}]", items.join(",")))
            }
            Some(b'"') => self.string(),
            Some(_) => {
                let start = self.i;
                while self.b.get(self.i).is_some_and(|c| !b",}] \t\r\n".contains(c)) {
                    self.i += 1;
                }
                Ok(String::from_utf8_lossy(&self.b[start..self.i]).into_owned())
            }
            None => Err("unexpected end of JSON".into()),
        }
    }

    fn string(&mut self) -> Result<String, String> {
        let start = self.i;
        self.expect(b'"')?;
        while let Some(&c) = self.b.get(self.i) {
            self.i += 1;
            match c {
                b'\\' => self.i += 1,
                b'"' => return Ok(String::from_utf8_lossy(&self.b[start..self.i]).into_owned()),
                _ => {}
            }
        }
        Err("unterminated string".into())
    }

    fn expect(&mut self, c: u8) -> Result<(), String> {
        if self.b.get(self.i) == Some(&c) {
            self.i += 1;
            Ok(())
        } else {
            Err(format!("expected {:?} at byte {}", c as char, self.i))
        }
    }
}

impl TraceFile {
    /// Parses and checks a trace: size, JSON shape, format, version and config range.
    pub fn parse(text: &str) -> Result<Self, String> {
        if text.len() > MAX_BYTES {
            return Err(format!("The trace is {} KB; the limit is {} KB.", text.len() / 1024, MAX_BYTES / 1024));
        }
        let head: Head =
            serde_json::from_str(text).map_err(|e| format!("The trace is not valid JSON: {}.", plain(&e)))?;
        match head.format.map(|f| f.get().trim()) {
            Some(_) if head.names(FORMAT) => {}
            // An attempt handed in at a challenge is opened by the grading table, not as a run.
            Some(_) if head.names(crate::sim::attempt::FORMAT) => {
                return Err(
                    "This is a challenge attempt, not a trace: grade it with Share ▸ Grade challenge attempts.".into()
                )
            }
            Some(other) => return Err(format!("This is not a Paxoscope trace: its format is {other}.")),
            None => return Err(format!("This is not a Paxoscope trace: it has no \"format\": \"{FORMAT}\" field.")),
        }
        match head.version() {
            Some(Some(v)) if (OLDEST_VERSION as u64..=VERSION as u64).contains(&v) => {}
            Some(Some(v)) => {
                return Err(format!(
                    "This trace is version {v}; this Paxoscope reads versions {OLDEST_VERSION} to {VERSION}."
                ))
            }
            _ => return Err("The trace has no version number.".into()),
        }
        let trace: TraceFile = serde_json::from_str(text)
            .map_err(|e| format!("The trace does not match the format: {}.", plain_in(&e, text)))?;
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
                return Err(format!(
                    "Step {} differs: the command was refused: {}",
                    i + 1,
                    super::narrate::mid_sentence(reason)
                ));
            }
            let canon =
                |j: &str| canonical(j).map_err(|e| format!("Step {}: its events are not valid JSON: {e}", i + 1));
            // Version 1 recorded no decisions, so they are left out of the comparison.
            let got: Vec<String> = events
                .iter()
                .filter(|e| self.version >= 2 || !matches!(e, Event::Decided { .. }))
                .map(|e| canon(&serde_json::to_string(e).unwrap_or_default()))
                .collect::<Result<_, _>>()?;
            let want: Vec<&RawValue> = serde_json::from_str(step.events.get())
                .map_err(|e| format!("Step {}: its events are not a list: {}", i + 1, plain(&e)))?;
            let want: Vec<String> = want.iter().map(|r| canon(r.get())).collect::<Result<_, _>>()?;
            if got != want {
                return Err(format!(
                    "Step {} differs from its replay (was the file edited?): {}",
                    i + 1,
                    first_difference(&want, &got)
                ));
            }
        }
        Ok(t)
    }
}

fn first_difference(expected: &[String], got: &[String]) -> String {
    let show = |e: Option<&String>| e.map_or("nothing".to_string(), |e| e.clone());
    let i = expected.iter().zip(got).take_while(|(a, b)| a == b).count();
    format!("event {} was expected to be {} but replay gave {}.", i + 1, show(expected.get(i)), show(got.get(i)))
}

#[cfg(test)]
mod tests {
    use super::canonical;

    #[test]
    fn canonical_json_ignores_layout_and_key_order_but_not_content() {
        let a = canonical(r#"{"type":"sent","id":1,"msg":{"value":"a b","type":"request"}}"#).unwrap();
        let b = canonical(
            "{\n  \"msg\": { \"type\": \"request\", \"value\": \"a b\" },\n  \"id\": 1, \"type\": \"sent\"\n}",
        )
        .unwrap();
        assert_eq!(a, b);
        assert_ne!(a, canonical(r#"{"type":"sent","id":2,"msg":{"value":"a b","type":"request"}}"#).unwrap());
        assert_ne!(canonical(r#"["a","b"]"#).unwrap(), canonical(r#"["b","a"]"#).unwrap(), "arrays keep their order");
        assert_eq!(canonical(r#"{"k":"x\"y"}"#).unwrap(), r#"{"k":"x\"y"}"#);
        assert!(canonical(r#"{"k":"open"#).is_err());
    }
}
