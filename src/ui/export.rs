//! Animated export, the plain part: which steps a range of steps or beats covers, and the words
//! burned into each frame (the step, and the lesson's caption or the narration of that step).
//! Pure, so it is tested natively; the recording itself is `static/export.js`.

use crate::sim::lessons::Lesson;
use crate::ui::guide;
use crate::ui::session::Session;

/// Frames at most in one export (at 1 s a frame, five minutes of video).
pub const MAX_FRAMES: usize = 300;

/// Seconds each frame may be held, as offered in the dialog.
pub const HOLDS: [f64; 4] = [0.5, 1.0, 2.0, 3.0];

/// The room the picture has in a video frame: 1280×720 less the caption band, as
/// `static/export.js` draws it. In Multi-Paxos the log grid goes under the cluster, so the
/// cluster gets less. While a video records, the cluster is laid out for this room in presenter
/// type, so a frame is legible on a slide whatever the size of the window it was recorded in.
pub fn picture(log: bool) -> (f64, f64) {
    (1280.0, if log { 400.0 } else { 570.0 })
}

/// What a range counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Steps of the recorded run (0 is the start).
    Steps,
    /// Beats of the lesson (1-based); a range covers every step of those beats.
    Beats,
}

/// One frame of the animation: a step and its words.
#[derive(Clone, Debug, PartialEq)]
pub struct Shot {
    /// The step shown.
    pub step: usize,
    /// The step number (and beat), burned in at the top of the caption band.
    pub label: String,
    /// The caption of the beat that ends at this step, or the narration of the step.
    pub caption: String,
}

/// The steps a range covers, checked against the run (and the lesson, for beats).
pub fn steps(s: &Session, lesson: Option<&Lesson>, unit: Unit, from: usize, to: usize) -> Result<Vec<usize>, String> {
    if from > to {
        return Err(format!("The range runs backwards: from {from} to {to}."));
    }
    let (first, last) = match unit {
        Unit::Steps => {
            if to > s.len() {
                return Err(format!("The run has {} steps: pick steps from 0 to {}.", s.len(), s.len()));
            }
            (from, to)
        }
        Unit::Beats => {
            let l = lesson.ok_or("Beats belong to a lesson: open one, or export steps.")?;
            if from == 0 || to > l.beats.len() {
                return Err(format!("This lesson has beats 1 to {}.", l.beats.len()));
            }
            let last = l.beat_end(to);
            if guide::on_script_steps(s, l) < last {
                return Err("The run has left the lesson's script before that beat: export steps instead.".into());
            }
            // Beat 1 starts from the lesson's opening picture; a later beat just after the beat before.
            let first = if from == 1 { 0 } else { l.beat_end(from - 1) + 1 };
            (first, last)
        }
    };
    let n = last - first + 1;
    if n > MAX_FRAMES {
        return Err(format!("That is {n} steps; one export holds at most {MAX_FRAMES}."));
    }
    Ok((first..=last).collect())
}

/// The frames of a range: each step with its number and its words.
pub fn shots(s: &Session, lesson: Option<&Lesson>, unit: Unit, from: usize, to: usize) -> Result<Vec<Shot>, String> {
    let on_script = lesson.map_or(0, |l| guide::on_script_steps(s, l));
    let shots = steps(s, lesson, unit, from, to)?.into_iter().map(|n| {
        let beat = lesson.filter(|_| n <= on_script).and_then(|l| l.beat_at(n).map(|(k, b)| (l, k, b)));
        let narration = n.checked_sub(1).and_then(|i| s.narrations().get(i)).map(|x| x.text.clone());
        let (label, caption) = match (beat, lesson.filter(|_| n <= on_script)) {
            (Some((l, k, b)), _) => {
                (format!("Step {n} · Lesson {}, beat {k} of {}", l.number, l.beats.len()), b.caption.clone())
            }
            (None, Some(l)) if n == 0 => (format!("Step 0 · Lesson {}: {}", l.number, l.title), l.teaches.to_string()),
            (None, _) => (
                format!("Step {n} of {}", s.len()),
                narration.unwrap_or_else(|| "Nothing has happened yet.".to_string()),
            ),
        };
        Shot { step: n, label, caption }
    });
    Ok(shots.collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::lessons::build;
    use crate::sim::Config;

    fn run(steps: usize) -> Session {
        let mut s = Session::new(Config::default(), 7).unwrap();
        s.apply(crate::sim::Command::Request {
            client: crate::paxos::NodeId::client(0),
            value: crate::sim::world::default_value(0),
        })
        .unwrap();
        while s.len() < steps {
            s.step().unwrap();
        }
        s
    }

    #[test]
    fn a_range_of_steps_gives_one_frame_per_step_with_its_narration() {
        let s = run(12);
        let shots = shots(&s, None, Unit::Steps, 1, 10).unwrap();
        assert_eq!(shots.iter().map(|x| x.step).collect::<Vec<_>>(), (1..=10).collect::<Vec<_>>());
        assert_eq!(shots[0].label, "Step 1 of 12");
        assert_eq!(shots[4].caption, s.narrations()[4].text, "step 5 shows the narration of step 5");
        assert_eq!(super::shots(&s, None, Unit::Steps, 0, 0).unwrap()[0].caption, "Nothing has happened yet.");
    }

    #[test]
    fn ranges_outside_the_run_or_backwards_are_refused() {
        let s = run(5);
        assert!(steps(&s, None, Unit::Steps, 0, 6).unwrap_err().contains("0 to 5"));
        assert!(steps(&s, None, Unit::Steps, 4, 2).unwrap_err().contains("backwards"));
        assert!(steps(&s, None, Unit::Beats, 1, 1).unwrap_err().contains("lesson"));
    }

    #[test]
    fn beats_cover_their_steps_and_burn_in_the_caption_where_each_beat_ends() {
        let l = build("happy-path").unwrap();
        let s = Session::from_commands(l.config.clone(), l.seed, &l.commands, 0).unwrap();
        let shots = shots(&s, Some(&l), Unit::Beats, 2, 3).unwrap();
        assert_eq!(shots.first().unwrap().step, l.beats[0].end + 1);
        assert_eq!(shots.last().unwrap().step, l.beats[2].end);
        let end = shots.last().unwrap();
        assert_eq!(end.caption, l.beats[2].caption);
        assert!(end.label.contains("beat 3 of"), "{}", end.label);
        let intro = &super::shots(&s, Some(&l), Unit::Beats, 1, 1).unwrap()[0];
        assert_eq!((intro.step, intro.caption.as_str()), (0, l.teaches.as_str()));
        assert!(steps(&s, Some(&l), Unit::Beats, 1, l.beats.len() + 1).is_err());
    }

    #[test]
    fn beats_past_where_the_run_left_the_script_are_refused() {
        let l = build("happy-path").unwrap();
        let s = Session::from_commands(l.config.clone(), l.seed, &l.commands[..2], 2).unwrap();
        let err = steps(&s, Some(&l), Unit::Beats, 1, l.beats.len()).unwrap_err();
        assert!(err.contains("left the lesson's script"), "{err}");
    }
}
