//! Every lesson replays natively, its captions are true of the step they are shown on, and it
//! reaches the outcome it promises.

use paxoscope::sim::lessons::{audit::audit, build, catalog};

#[test]
fn every_lesson_builds_replays_and_reaches_its_outcome() {
    for (id, number, title, _) in catalog() {
        let lesson = build(id).unwrap_or_else(|e| panic!("lesson {number} ({title}) does not build: {e}"));
        assert!(lesson.beats.iter().all(|b| b.caption.len() > 10), "{id}: every caption says something");
        assert!(lesson.beats.iter().any(|b| b.turn.is_some()), "{id}: has a your-turn point");
        assert_eq!(
            lesson.beats.last().map(|b| b.end),
            Some(lesson.commands.len()),
            "{id}: the last beat ends the script"
        );
        lesson.verify().unwrap_or_else(|e| panic!("lesson {number} ({title}) misses its outcome: {e}"));
    }
}

#[test]
fn every_caption_is_shown_on_the_step_of_its_event() {
    for (id, ..) in catalog() {
        build(id).unwrap().verify_captions().unwrap_or_else(|e| panic!("{id}: {e}"));
    }
}

#[test]
fn what_every_caption_says_is_true_at_its_step() {
    let problems: Vec<String> = catalog().flat_map(|(id, ..)| audit(&build(id).unwrap())).collect();
    assert!(problems.is_empty(), "{} captions say something untrue:\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn lessons_are_made_of_beats_worth_a_click() {
    for (id, ..) in catalog() {
        let l = build(id).unwrap();
        assert!((8..=20).contains(&l.beats.len()), "{id}: {} beats", l.beats.len());
    }
}

#[test]
fn lesson_six_highlights_the_quorum_intersection() {
    let l = build("value-adoption").unwrap();
    assert!(l
        .beats
        .iter()
        .filter_map(|b| b.highlight.as_ref())
        .any(|h| h.label.contains("both quorums") && h.nodes.len() == 1));
}

#[test]
fn captions_are_short_enough_to_read_aloud_from_a_projector() {
    for (id, ..) in catalog() {
        for (k, b) in build(id).unwrap().beats.iter().enumerate() {
            let n = b.caption.chars().count();
            assert!(n <= 230, "{id} beat {}: {n} characters", k + 1);
        }
    }
}
