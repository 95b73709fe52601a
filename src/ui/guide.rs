//! Where a student stands in a lesson: on its script or off it, at which beat, and whether a
//! "your turn" goal has been reached. Pure, so it is tested natively; the app and the lesson
//! card, the presenter strip and the links all read it.

use crate::sim::lessons::{Beat, Lesson, Progress, Turn};
use crate::ui::session::Session;

/// Are the session's cluster settings and seed the lesson's?
pub fn same_cluster(s: &Session, l: &Lesson) -> bool {
    s.timeline().config() == &l.config && s.timeline().seed() == l.seed
}

/// How many of the session's steps still follow the lesson's script (none when the cluster's
/// settings differ from the lesson's).
pub fn on_script_steps(s: &Session, l: &Lesson) -> usize {
    if !same_cluster(s, l) {
        return 0;
    }
    s.timeline().steps().iter().zip(&l.commands).take_while(|(a, b)| a.command == **b).count()
}

/// Is the session's whole recording the lesson's script (so stepping on replays it)?
pub fn future_is_script(s: &Session, l: &Lesson) -> bool {
    s.len() == l.commands.len() && on_script_steps(s, l) == l.commands.len()
}

/// A lesson as the student sees it at the session's step.
#[derive(Clone, Debug, PartialEq)]
pub struct Place<'a> {
    /// Steps that follow the script.
    pub on_script: usize,
    /// The student has left the script (acted differently, or changed the settings).
    pub off: bool,
    /// The beat whose caption shows at this step, with its number (1-based).
    pub beat: Option<(usize, &'a Beat)>,
    /// Beats reached so far.
    pub done: usize,
    /// Beats in all.
    pub total: usize,
    /// The last beat has been reached, on the script.
    pub complete: bool,
}

/// Where the session stands in `l`.
pub fn place<'a>(s: &Session, l: &'a Lesson) -> Place<'a> {
    let on = on_script_steps(s, l);
    let cur = s.cursor();
    // Acting by hand replaces the recorded script after the cursor, even with the very step
    // the script would take: from then on the run is the student's own, and a "your turn" goal
    // is checked rather than the script's next captions shown.
    let off = !same_cluster(s, l) || cur > on || s.len() != l.commands.len();
    let beat = if off { None } else { l.beat_at(cur) };
    let total = l.beats.len();
    // Off the script, the beats reached are those before the student took over: the script's
    // own steps taken by hand after that are theirs, not the lesson's.
    let done = l.beats_done(if off { left(s, on) } else { cur.min(on) });
    Place { on_script: on, off, beat, done, total, complete: !off && total > 0 && done == total }
}

/// Where the run became the student's: the first step done by hand (even the script's own
/// step), or where it parted from the script (`on` steps follow it).
pub fn left(s: &Session, on: usize) -> usize {
    s.hand_from().map_or(on, |h| h.min(on))
}

/// The "your turn" point the student is working on: the last turn the run still shared with
/// the script, once the student has taken over (even with the script's own steps). Returns the turn and the step it
/// began at.
pub fn active_turn<'a>(s: &Session, l: &'a Lesson) -> Option<(&'a Turn, usize)> {
    let p = place(s, l);
    if !p.off {
        return None;
    }
    let left = left(s, p.on_script);
    let at = l.beats.iter().filter(|b| b.turn.is_some()).map(|b| b.end).filter(|e| *e <= left).max()?;
    // A run that followed the lesson past the next beat before leaving it is a "what if?", not
    // an attempt at the earlier turn, and must not be graded as one.
    if l.next_beat_end(at).is_some_and(|next| left >= next) {
        return None;
    }
    l.turn(at).map(|t| (t, at))
}

/// How the student is doing on the active turn's goal.
pub fn goal_progress(s: &Session, l: &Lesson) -> Option<Progress> {
    let (turn, at) = active_turn(s, l)?;
    let start = s.timeline().world_at(at);
    let since = &s.timeline().steps()[at..s.cursor().max(at)];
    Some(turn.goal.check(&start, since, s.world()))
}

/// Where the next beat (from step `cur`) ends, if there is one.
pub fn next_beat(l: &Lesson, cur: usize) -> Option<usize> {
    l.next_beat_end(cur)
}

/// At a "your turn" on the script: the student's own step starts here. Step and Play then take
/// the world's next step by hand, so the run becomes theirs and its goal is checked; replaying
/// the script instead walked on through the lesson's answer, and "step until…" never showed
/// "Goal reached".
pub fn at_turn(s: &Session, l: &Lesson) -> bool {
    l.challenge.is_none() && !place(s, l).off && l.turn(s.cursor()).is_some()
}

/// What a clicker's next press (PageDown, the strip's ▶) does in a lesson, as `App::next_beat`
/// decides it. Its button is named for it, so a prompt's "step until…" or "Beat ▶ skips it"
/// names a button the room can see.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NextPress {
    /// Plays the script to its next beat.
    Beat,
    /// A goal reached: back into the lesson (its script, at the turn's beat), and on a beat.
    Resume,
    /// One step of the student's own run: off the script, or in a challenge.
    Step,
    /// Past the last beat: on to the next lesson (or, at the end, says so).
    Next,
}

/// The label and tooltip of the press past a lesson's last beat: the last built-in lesson's
/// leads into free play, as its card's button does.
pub fn next_words(l: &Lesson, key: &str) -> (&'static str, String) {
    if !l.is_authored() && crate::sim::lessons::next_after(&l.id).is_none() {
        ("Free play ▶", format!("Leave the lesson and keep playing with this cluster ({key})"))
    } else {
        ("Next ▶", format!("On to the next lesson ({key})"))
    }
}

/// See [`NextPress`].
pub fn next_press(s: &Session, l: &Lesson) -> NextPress {
    // A goal reached: the press resumes the lesson at the turn's beat and plays on from there.
    if l.challenge.is_none() && goal_progress(s, l).is_some_and(|p| p.reached) {
        let at = active_turn(s, l).map_or(0, |(_, at)| at);
        return if l.next_beat_end(at).is_some() { NextPress::Resume } else { NextPress::Next };
    }
    if place(s, l).off || l.challenge.is_some() {
        return NextPress::Step;
    }
    match l.next_beat_end(s.cursor()) {
        Some(_) => NextPress::Beat,
        None => NextPress::Next,
    }
}

/// Playing a lesson on its script, at a beat's end: the auto-play ticks to wait before the next
/// step, so the room can read the caption. At 1× that is about 55 ms a character, from 2.7 s to
/// 9.9 s in all with the step's own tick; faster speeds shorten it in proportion, as they do
/// every tick. Played at a step's pace, a beat of one step showed its caption for under a second.
pub fn caption_hold(s: &Session, l: &Lesson) -> u32 {
    if place(s, l).off {
        return 0;
    }
    l.beat_at(s.cursor()).map_or(0, |(_, b)| {
        let ms = b.caption.len() as f64 * 55.0;
        ((ms / crate::ui::session::BASE_STEP_MS).ceil() as u32).clamp(3, 11) - 1
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::lessons::build;
    use crate::sim::Command;

    fn at(l: &Lesson, n: usize) -> Session {
        Session::from_commands(l.config.clone(), l.seed, &l.commands, n).unwrap()
    }

    #[test]
    fn on_the_script_the_beat_and_its_number_show_at_its_step() {
        let l = build("happy-path").unwrap();
        let end = l.beats[2].end;
        let s = at(&l, end);
        let p = place(&s, &l);
        assert!(!p.off);
        assert_eq!(p.beat.map(|b| b.0), Some(3));
        assert_eq!((p.done, p.total), (3, l.beats.len()));
        let last = at(&l, l.commands.len());
        assert!(place(&last, &l).complete);
    }

    #[test]
    fn acting_differently_leaves_the_script_and_starts_the_turn() {
        let l = build("happy-path").unwrap();
        let (k, b) = l.beats.iter().enumerate().find(|(_, b)| b.turn.is_some()).unwrap();
        let mut s = at(&l, b.end);
        assert!(active_turn(&s, &l).is_none(), "nothing done yet");
        s.apply(Command::Request {
            client: crate::paxos::NodeId::client(1),
            value: crate::paxos::Value::new("Y").unwrap(),
        })
        .unwrap();
        let p = place(&s, &l);
        assert!(p.off && p.beat.is_none());
        assert_eq!(active_turn(&s, &l).map(|t| t.1), Some(l.beats[k].end));
        assert!(!goal_progress(&s, &l).unwrap().reached);
        for _ in 0..40 {
            if s.step().is_err() {
                break;
            }
        }
        assert!(goal_progress(&s, &l).unwrap().reached, "{:?}", goal_progress(&s, &l));
    }

    #[test]
    fn a_what_if_after_the_next_beat_is_not_taken_for_the_earlier_turn() {
        let l = build("ballot-conflict").unwrap();
        let k = l.beats.iter().position(|b| b.turn.is_some()).unwrap();
        let crash = Command::Crash { node: crate::paxos::NodeId::acceptor(2) };
        // Off the script at the turn's own beat: the turn is the student's to try.
        let mut s = at(&l, l.beats[k].end);
        s.apply(crash.clone()).unwrap();
        assert_eq!(active_turn(&s, &l).map(|t| t.1), Some(l.beats[k].end));
        // Off the script a beat later: the lesson had gone on, so no turn is graded.
        let mut s = at(&l, l.beats[k + 1].end);
        s.apply(crash).unwrap();
        assert!(place(&s, &l).off);
        assert!(active_turn(&s, &l).is_none() && goal_progress(&s, &l).is_none());
    }

    #[test]
    fn doing_the_scripts_own_step_by_hand_keeps_the_turn_and_checks_its_goal() {
        let l = build("durability").unwrap();
        let b = l.beats.iter().find(|b| b.turn.is_some()).unwrap();
        let mut s = at(&l, b.end);
        // The script's own next step, taken by hand.
        s.apply(l.commands[b.end].clone()).unwrap();
        assert_eq!(on_script_steps(&s, &l), b.end + 1, "the steps still match the script");
        assert!(place(&s, &l).off, "but the run is now the student's");
        assert_eq!(active_turn(&s, &l).map(|t| t.1), Some(b.end));
        assert!(goal_progress(&s, &l).is_some());
        // More of the script's own steps by hand, past its next beats: the lesson still waits at
        // the turn's beat (the card said "beat 15 · your turn" beside "the lesson waits at 11").
        let turn_beat = place(&at(&l, b.end), &l).done;
        for c in &l.commands[b.end + 1..l.commands.len() - 1] {
            s.apply(c.clone()).unwrap();
        }
        assert!(place(&s, &l).off);
        assert_eq!(place(&s, &l).done, turn_beat);
    }

    #[test]
    fn a_shared_attempt_of_the_scripts_own_steps_reopens_at_its_turn() {
        // A student who does the script's own steps by hand and shares a link: the reopened page
        // must show the same turn and goal, not the lesson followed on to a later beat.
        let l = build("durability").unwrap();
        let b = l.beats.iter().find(|b| b.turn.is_some()).unwrap();
        let mut s = at(&l, b.end);
        for c in &l.commands[b.end..b.end + 4] {
            s.apply(c.clone()).unwrap();
        }
        let link = crate::sim::link::Link::parse(&s.link(Some("durability")).to_hash()).unwrap();
        let back = Session::from_link(&link).unwrap();
        assert_eq!(place(&back, &l), place(&s, &l));
        assert_eq!(active_turn(&back, &l).map(|t| t.1), Some(b.end));
        assert_eq!(goal_progress(&back, &l), goal_progress(&s, &l));
    }

    #[test]
    fn a_goal_that_a_final_outcome_puts_out_of_reach_says_so() {
        let l = build("happy-path").unwrap();
        let s = at(&l, l.commands.len());
        let c1 = crate::paxos::NodeId::client(0);
        let y = crate::paxos::Value::new("Y").unwrap();
        let goal = crate::sim::lessons::Goal::Heard { client: c1, value: y };
        let p = goal.check(&s.timeline().world_at(0), s.timeline().steps(), s.world());
        assert!(!p.reached && p.why.contains("can no longer reach the goal"), "{p:?}");
    }

    #[test]
    fn the_next_press_is_a_beat_on_the_script_a_step_off_it_and_the_next_lesson_at_the_end() {
        let l = build("happy-path").unwrap();
        assert_eq!(next_press(&at(&l, l.beats[1].end), &l), NextPress::Beat);
        let last = l.beats.last().unwrap().end;
        assert!(l.turn(last).is_some(), "happy-path ends with a your-turn");
        assert_eq!(next_press(&at(&l, last), &l), NextPress::Next);
        let mut s = at(&l, last);
        let ask =
            Command::Request { client: crate::paxos::NodeId::client(1), value: crate::paxos::Value::new("Y").unwrap() };
        s.apply(ask).unwrap();
        assert_eq!(next_press(&s, &l), NextPress::Step, "the goal is not reached yet");
        while s.step().is_ok() && !goal_progress(&s, &l).unwrap().reached {}
        assert!(goal_progress(&s, &l).unwrap().reached);
        assert_eq!(next_press(&s, &l), NextPress::Next, "a goal reached at the last beat leads on");
    }

    #[test]
    fn a_step_at_a_turn_is_the_students_own_and_starts_the_goal() {
        let l = build("learners-catch-up").unwrap();
        let end = l.beats.iter().find(|b| b.turn.is_some()).unwrap().end;
        assert!(!at_turn(&at(&l, end - 1), &l), "the step before the turn is the script's");
        let mut s = at(&l, end);
        assert!(at_turn(&s, &l));
        // What the app's Step does at a turn: the world's own next step, by hand.
        s.apply(Command::Tick).unwrap();
        assert!(!at_turn(&s, &l) && place(&s, &l).off);
        assert_eq!(active_turn(&s, &l).map(|t| t.1), Some(end));
        assert_eq!(next_press(&s, &l), NextPress::Step);
        while !goal_progress(&s, &l).unwrap().reached {
            s.apply(Command::Tick).unwrap();
        }
        assert_eq!(next_press(&s, &l), NextPress::Resume, "the lesson has beats after this turn");
    }

    #[test]
    fn changing_the_settings_leaves_the_script() {
        let l = build("ballot-conflict").unwrap();
        let s = Session::new(crate::sim::Config { acceptors: 5, ..l.config.clone() }, l.seed).unwrap();
        assert_eq!(on_script_steps(&s, &l), 0);
        assert!(place(&s, &l).done == 0);
    }

    #[test]
    fn play_holds_a_beat_for_its_caption_and_not_between_beats_or_off_the_script() {
        let l = build("happy-path").unwrap();
        let holds: Vec<(usize, u32)> =
            l.beats.iter().map(|b| (b.caption.len(), caption_hold(&at(&l, b.end), &l))).collect();
        assert!(holds.iter().all(|(_, h)| (2..=10).contains(h)), "{holds:?}");
        let (short, long) = (holds.iter().min().unwrap(), holds.iter().max().unwrap());
        assert!(short.1 < long.1, "a longer caption is held longer: {holds:?}");
        let between = (1..l.commands.len()).find(|n| l.beat_at(*n).is_none()).unwrap();
        assert_eq!(caption_hold(&at(&l, between), &l), 0);
        let mut off = at(&l, l.beats[0].end);
        off.apply(Command::Crash { node: crate::paxos::NodeId::acceptor(2) }).unwrap();
        assert_eq!(caption_hold(&off, &l), 0, "off the script the student drives");
    }
}
