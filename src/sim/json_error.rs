//! serde_json's error messages in plain words, for people who open a damaged file or link.
//!
//! serde speaks to programmers ("invalid type: string \"three\", expected u8 at line 7 column 24");
//! a student who edited a trace by hand needs the field, what was wrong with it and where.

/// What is wrong with the text, without serde's type names and backticks, and where.
pub fn plain(e: &serde_json::Error) -> String {
    if e.line() == 1 && e.column() == 0 {
        return "the file is empty".into();
    }
    let raw = e.to_string();
    let at = format!(" at line {} column {}", e.line(), e.column());
    let what = raw.strip_suffix(&at).unwrap_or(&raw);
    let what = reword(&types_in_words(&what.replace('`', "\"")));
    if e.line() == 0 {
        what
    } else {
        format!("{what} (line {}, column {})", e.line(), e.column())
    }
}

/// As `plain`, naming the field whose value is wrong when serde does not (it reports a wrong
/// type or value by its place only): the last key written before that place in `text`.
pub fn plain_in(e: &serde_json::Error, text: &str) -> String {
    let words = plain(e);
    if e.classify() != serde_json::error::Category::Data || words.contains("field") {
        return words;
    }
    match key_before(text, e.line(), e.column()) {
        Some(key) => format!("the field \"{key}\": {words}"),
        None => words,
    }
}

/// The last `"key":` in `text` before line `line`, column `column` (both 1-based, as serde counts).
fn key_before(text: &str, line: usize, column: usize) -> Option<String> {
    let start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    let rest = text.get(start..)?;
    let end = start + rest.char_indices().nth(column).map_or(rest.len(), |(i, _)| i);
    let before = text.get(..end)?;
    let colon = before.rfind(':')?;
    let key = before[..colon].trim_end().strip_suffix('"')?;
    let open = key.rfind('"')?;
    Some(key[open + 1..].to_string())
}

/// serde's sentence shapes, turned round so the field or value comes first.
fn reword(s: &str) -> String {
    if let Some(rest) = s.strip_prefix("missing field ") {
        return format!("the field {rest} is missing");
    }
    if let Some(rest) = s.strip_prefix("unknown field ") {
        return match rest.split_once(", expected ") {
            Some((field, known)) => format!("{field} is not a field here (expected {known})"),
            None => format!("{rest} is not a field here"),
        };
    }
    if let Some(rest) = s.strip_prefix("unknown variant ") {
        return match rest.split_once(", expected ") {
            Some((name, known)) => format!("{name} is not a name it knows (expected {known})"),
            None => format!("{rest} is not a name it knows"),
        };
    }
    // A number too large for its field: the field's own range is checked after reading, so
    // serde's type range (0 to 255) would only mislead.
    if let Some((n, _)) = s.strip_prefix("invalid value: integer ").and_then(|r| r.split_once(", expected ")) {
        return format!("{} is out of range", n.trim_matches('"'));
    }
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some((found, wanted)) = s.strip_prefix(prefix).and_then(|r| r.split_once(", expected ")) {
            return format!("found {} where {wanted} was expected", bare(found));
        }
    }
    if let Some(rest) = s.strip_prefix("EOF while parsing ") {
        return format!("the text ends in the middle of {rest}");
    }
    // serde's syntax errors name its parser's tokens ("ident"); a person reads the text.
    let syntax = match s {
        "trailing characters" => "there is text after the end of the JSON",
        "expected ident" => "a word JSON does not know (only true, false and null go without quotes)",
        "expected value" => "a value was expected here",
        "key must be a string" => "a field's name must be in double quotes",
        "trailing comma" => "a comma with nothing after it",
        _ => return s.to_string(),
    };
    syntax.into()
}

/// serde names a found value by its JSON type; the value itself is what the reader typed.
fn bare(found: &str) -> String {
    for kind in ["integer ", "floating point ", "boolean "] {
        if let Some(v) = found.strip_prefix(kind) {
            return v.trim_matches('"').to_string();
        }
    }
    found.strip_prefix("string ").unwrap_or(found).to_string()
}

/// Rust's number types as the range a person would write in the file.
fn types_in_words(s: &str) -> String {
    let words = [
        ("u8", "a whole number"),
        ("u16", "a whole number"),
        ("u32", "a whole number"),
        ("u64", "a whole number of 0 or more"),
        ("usize", "a whole number of 0 or more"),
        ("i64", "a whole number"),
        ("f64", "a number"),
    ];
    match s.rsplit_once("expected ") {
        Some((head, ty)) => match words.iter().find(|(t, _)| *t == ty) {
            Some((_, w)) => format!("{head}expected {w}"),
            None => s.to_string(),
        },
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::plain;

    fn err(text: &str) -> String {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)] // Only the errors are read.
        struct Shape {
            loss: u8,
            events: Vec<u32>,
        }
        plain(&serde_json::from_str::<Shape>(text).unwrap_err())
    }

    #[test]
    fn damage_is_named_in_plain_words_with_its_place() {
        assert_eq!(err(""), "the file is empty");
        assert_eq!(err("{\"loss\": 1}"), "the field \"events\" is missing (line 1, column 11)");
        assert_eq!(err("{\"loss\": 300, \"events\": []}"), "300 is out of range (line 1, column 12)");
        assert_eq!(
            err("{\"loss\": \"three\", \"events\": []}"),
            "found \"three\" where a whole number was expected (line 1, column 16)"
        );
        assert_eq!(
            err("{\"lost\": 1}"),
            "\"lost\" is not a field here (expected \"loss\" or \"events\") (line 1, column 7)"
        );
        assert_eq!(err("{\"loss\": 1, \"events\": [}"), "a value was expected here (line 1, column 24)");
        assert_eq!(
            err("not json"),
            "a word JSON does not know (only true, false and null go without quotes) (line 1, column 2)"
        );
        assert_eq!(
            err("{\"loss\": 1, \"events\": []} x"),
            "there is text after the end of the JSON (line 1, column 27)"
        );
        assert_eq!(err("{\"loss\": 1"), "the text ends in the middle of an object (line 1, column 10)");
        assert!(!err("{\"loss\": true, \"events\": []}").contains('`'), "no backticks are left");
    }

    #[test]
    fn a_wrong_value_is_named_by_its_field() {
        let text = "{\n  \"events\": [],\n  \"loss\": \"three\"\n}";
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)] // Only the errors are read.
        struct Shape {
            loss: u8,
            events: Vec<u32>,
        }
        let e = serde_json::from_str::<Shape>(text).unwrap_err();
        assert_eq!(
            super::plain_in(&e, text),
            "the field \"loss\": found \"three\" where a whole number was expected (line 3, column 17)"
        );
        #[derive(serde::Deserialize, Debug)]
        #[serde(rename_all = "snake_case")]
        enum Rule {
            SkipRecovery,
        }
        let e = serde_json::from_str::<Vec<Rule>>("[\"skip_recovry\"]").unwrap_err();
        assert_eq!(
            super::plain(&e),
            "\"skip_recovry\" is not a name it knows (expected \"skip_recovery\") (line 1, column 15)"
        );
    }
}
