//! Every lesson replays natively and reaches the outcome its captions promise.

use paxoscope::sim::lessons::{build, catalog};

#[test]
fn every_lesson_builds_replays_and_reaches_its_outcome() {
    for (id, number, title, _) in catalog() {
        let lesson = build(id).unwrap_or_else(|e| panic!("lesson {number} ({title}) does not build: {e}"));
        assert_eq!(lesson.captions.len(), lesson.commands.len(), "{id}: a caption per step");
        assert!(lesson.captions.iter().all(|c| c.len() > 10), "{id}: every caption says something");
        assert!(lesson.written.iter().filter(|w| **w).count() >= 4, "{id}: the lesson speaks in its own words");
        assert!(!lesson.turns.is_empty(), "{id}: has a your-turn point");
        lesson.verify().unwrap_or_else(|e| panic!("lesson {number} ({title}) misses its outcome: {e}"));
    }
}

#[test]
fn lesson_six_highlights_the_quorum_intersection() {
    let l = build("value-adoption").unwrap();
    assert!(l.highlights.iter().any(|h| h.label.contains("both quorums") && h.nodes.len() == 1));
}
