//! Labels for the space-time diagram's arrows ("Prepare 1.1", "Accept 1.1 \"X\""), placed so that
//! none overlaps another and as few arrows as possible run under the words. Pure geometry, so it
//! is tested natively.
//!
//! A broadcast gets one label, not one per copy: its arrows start at the same point, and a stack
//! of identical words there says nothing more. A label sits beside its arrow, where the arrow
//! never is: above it reading on from the start or the middle, or below it reading back from the
//! middle. Of those, the one that hides the least of the other arrows wins. Where each would hide
//! too much or touch another label, an abbreviation ("Prep 1.1") is tried, and then the label is
//! left out: the arrow's tooltip still names it.

use super::Arrow;
use crate::paxos::{Kind, Msg};
use crate::ui::format::short;

/// Font size of a label, in pixels on screen (the diagram is drawn 1:1).
pub const FONT: f64 = 13.0;
/// Width of a character of the monospace label font: 0.6 em, with a little room for the wider
/// monospace faces, so the estimate never undercounts.
pub const CHAR_W: f64 = FONT * 0.62;
/// How far a label's box reaches above its baseline and below it.
const ASCENT: f64 = FONT;
const DESCENT: f64 = 4.0;
/// Room between a label and its arrow's start point.
const GAP: f64 = 6.0;

/// The full label of a message on the diagram: kind and ballot, and the value where it is news.
pub fn tag(m: &Msg) -> String {
    let title = m.kind().title();
    match (m, m.ballot()) {
        // Multi-Paxos: the token's own words, which name the slot (`Accept s2 1.1 "X2"`).
        (Msg::Log(_), _) => m.label(),
        (Msg::Accept { value, .. }, Some(b)) => format!("{title} {b} {}", short(*value)),
        (Msg::Request { value } | Msg::Reply { value } | Msg::Announce { value }, _) => {
            format!("{title} {}", short(*value))
        }
        (_, Some(b)) => format!("{title} {b}"),
        (_, None) => title.to_string(),
    }
}

/// The label where the full one does not fit: a short kind and the ballot.
pub fn abbrev(m: &Msg) -> String {
    let k = match m.kind() {
        Kind::Request => "Req",
        Kind::Prepare => "Prep",
        Kind::Promise => "Prom",
        Kind::Nack => "Nack",
        Kind::Accept => "Acc",
        Kind::Accepted => "Acc'd",
        Kind::Commit => "Com",
        Kind::Reply => "Rep",
        Kind::Announce => "Lrn",
        Kind::Redirect => "Redir",
    };
    let k = match m.slot() {
        Some(s) => format!("{k} {}", crate::paxos::multi::slot_name(s)),
        None => k.to_string(),
    };
    m.ballot().map_or(k.clone(), |b| format!("{k} {b}"))
}

/// A label placed on the diagram.
#[derive(Clone, Debug, PartialEq)]
pub struct Placed {
    /// Index of its arrow (the first of a broadcast).
    pub arrow: usize,
    /// Where the text is anchored: its start, or its end when `leftward`.
    pub x: f64,
    /// Baseline.
    pub y: f64,
    /// The arrow heads left, so the text ends at `x`.
    pub leftward: bool,
    /// The words.
    pub text: String,
}

impl Placed {
    /// The box the text covers: left, top, right, bottom.
    pub fn bounds(&self) -> [f64; 4] {
        let w = self.text.chars().count() as f64 * CHAR_W;
        let x0 = if self.leftward { self.x - w } else { self.x };
        [x0, self.y - ASCENT, x0 + w, self.y + DESCENT]
    }
}

fn overlaps(a: [f64; 4], b: [f64; 4]) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

/// Most of other arrows' length, in pixels, that a label may hide.
const MAX_HIDDEN: f64 = 16.0;

/// The length of segment `s` (x1, y1, x2, y2) inside box `b` (left, top, right, bottom), by
/// Liang–Barsky clipping.
fn hidden(s: [f64; 4], b: [f64; 4]) -> f64 {
    let (dx, dy) = (s[2] - s[0], s[3] - s[1]);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [(-dx, s[0] - b[0]), (dx, b[2] - s[0]), (-dy, s[1] - b[1]), (dy, b[3] - s[1])] {
        if p == 0.0 {
            if q < 0.0 {
                return 0.0;
            }
        } else if p < 0.0 {
            t0 = t0.max(q / p);
        } else {
            t1 = t1.min(q / p);
        }
    }
    if t1 > t0 {
        (t1 - t0) * (dx * dx + dy * dy).sqrt()
    } else {
        0.0
    }
}

/// Things (arrows, labels) by the bands of rows they cross, so a candidate is checked only
/// against its neighbours.
struct Grid {
    band: f64,
    rows: Vec<Vec<usize>>,
}

impl Grid {
    fn new(band: f64) -> Grid {
        Grid { band, rows: Vec::new() }
    }

    fn row(&self, y: f64) -> usize {
        (y / self.band).max(0.0) as usize
    }

    /// Files thing `i`, which spans `top` to `bottom`.
    fn insert(&mut self, i: usize, top: f64, bottom: f64) {
        let (a, b) = (self.row(top), self.row(bottom));
        if self.rows.len() <= b {
            self.rows.resize_with(b + 1, Vec::new);
        }
        self.rows[a..=b].iter_mut().for_each(|r| r.push(i));
    }

    /// Things filed in the bands from `top` to `bottom`, each with its band.
    fn near(&self, top: f64, bottom: f64) -> impl Iterator<Item = (usize, usize)> + '_ {
        let (lo, hi) = (self.row(top), self.row(bottom));
        let rows = self.rows.iter().enumerate().take(hi + 1).skip(lo);
        rows.flat_map(|(r, row)| row.iter().map(move |i| (r, *i)))
    }
}

/// Pixels of arrows (other than `own`) that box `b` would hide.
fn cost(grid: &Grid, segs: &[[f64; 4]], b: [f64; 4], own: usize) -> f64 {
    // An arrow in several of these bands counts once: in the first of them.
    let first = |i: usize| grid.row(segs[i][1].min(segs[i][3])).max(grid.row(b[1]));
    grid.near(b[1], b[3]).filter(|&(r, i)| i != own && first(i) == r).map(|(_, i)| hidden(segs[i], b)).sum()
}

/// The places tried for a label of the arrow `s`: above the line reading on from its start or
/// middle, below the line reading back from its middle. A line going down never enters the first
/// two boxes, nor the third.
fn spots(s: [f64; 4], leftward: bool) -> [(f64, f64, bool); 3] {
    let d = if leftward { -1.0 } else { 1.0 };
    let (mx, my) = ((s[0] + s[2]) / 2.0, (s[1] + s[3]) / 2.0);
    [
        (s[0] + d * GAP, s[1] - DESCENT, leftward),
        (mx + d * 2.0, my - DESCENT, leftward),
        (mx - d * 2.0, my + ASCENT + 1.0, !leftward),
    ]
}

/// Places labels for `arrows`, drawn as `segs` (x1, y1, x2, y2; the same order), inside
/// `[left, right]`. Earlier arrows are labelled first, so labels near the top keep their places
/// as the run grows below them.
pub fn place(arrows: &[Arrow], segs: &[[f64; 4]], left: f64, right: f64) -> Vec<Placed> {
    let mut arrow_grid = Grid::new(2.0 * FONT);
    segs.iter().enumerate().for_each(|(i, s)| arrow_grid.insert(i, s[1].min(s[3]), s[1].max(s[3])));
    let mut label_grid = Grid::new(2.0 * FONT);
    let mut out: Vec<Placed> = Vec::new();
    for (i, (a, s)) in arrows.iter().zip(segs).enumerate() {
        // A broadcast's copies are sent one after another: label the first only.
        if i > 0 && arrows[i - 1].msg == a.msg && arrows[i - 1].from == a.from && arrows[i - 1].sent == a.sent {
            continue;
        }
        let leftward = s[2] < s[0];
        let free = |b: [f64; 4]| {
            b[0] >= left && b[2] <= right && !label_grid.near(b[1], b[3]).any(|(_, j)| overlaps(out[j].bounds(), b))
        };
        let best = [tag(&a.msg), abbrev(&a.msg)].into_iter().find_map(|t| {
            spots(*s, leftward)
                .into_iter()
                .map(|(x, y, left)| Placed { arrow: i, x, y, leftward: left, text: t.clone() })
                .filter(|p| free(p.bounds()))
                .map(|p| (cost(&arrow_grid, segs, p.bounds(), i), p))
                .filter(|(c, _)| *c <= MAX_HIDDEN)
                .min_by(|a, b| a.0.total_cmp(&b.0))
        });
        if let Some((_, p)) = best {
            let b = p.bounds();
            label_grid.insert(out.len(), b[1], b[3]);
            out.push(p);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paxos::{Ballot, NodeId, Value};
    use crate::sim::{simulate, Config, Faults};
    use crate::ui::spacetime::{build, End};

    fn arrow(from: NodeId, to: NodeId, sent: usize, msg: Msg) -> Arrow {
        Arrow { id: sent as u32, from, to, sent, end: End::InFlight, kind: msg.kind(), label: msg.label(), msg }
    }

    #[test]
    fn clipping_measures_the_part_inside() {
        assert_eq!(hidden([0.0, 5.0, 100.0, 5.0], [10.0, 0.0, 30.0, 10.0]), 20.0);
        assert_eq!(hidden([0.0, 50.0, 100.0, 50.0], [10.0, 0.0, 30.0, 10.0]), 0.0);
        assert!((hidden([0.0, 0.0, 30.0, 40.0], [0.0, 0.0, 100.0, 100.0]) - 50.0).abs() < 1e-9);
    }

    #[test]
    fn labels_say_kind_and_ballot() {
        let b = Ballot { round: 1, proposer: NodeId::proposer(0) };
        let x = Value::new("X").unwrap();
        assert_eq!(tag(&Msg::Prepare { ballot: b }), "Prepare 1.1");
        assert_eq!(tag(&Msg::Promise { ballot: b, accepted: None }), "Promise 1.1");
        assert_eq!(tag(&Msg::Accept { ballot: b, value: x }), "Accept 1.1 \"X\"");
        assert_eq!(abbrev(&Msg::Accepted { ballot: b, value: x }), "Acc'd 1.1");
    }

    #[test]
    fn a_broadcast_gets_one_label() {
        let (p, b) = (NodeId::proposer(0), Ballot { round: 1, proposer: NodeId::proposer(0) });
        let arrows: Vec<Arrow> = (0..3).map(|i| arrow(p, NodeId::acceptor(i), 1, Msg::Prepare { ballot: b })).collect();
        let segs: Vec<[f64; 4]> =
            (0..3).map(|i| [0.0, 20.0, 200.0 + 64.0 * i as f64, 40.0 + 20.0 * i as f64]).collect();
        let placed = place(&arrows, &segs, 0.0, 1000.0);
        assert_eq!(placed.len(), 1);
        assert_eq!(placed[0].text, "Prepare 1.1");
    }

    #[test]
    fn labels_never_overlap_and_stay_inside() {
        let cfg = Config { clients: 3, proposers: 5, acceptors: 9, learners: 3, ..Config::default() };
        let nodes: Vec<NodeId> = cfg.nodes().collect();
        let t = simulate(cfg, 9, 400, Faults::ALL).unwrap();
        let d = build(t.steps(), t.len());
        let x = |n: NodeId| 46.0 + 64.0 * (nodes.iter().position(|m| *m == n).unwrap() as f64 + 0.5);
        let right = 46.0 + 64.0 * nodes.len() as f64;
        // As the drawer draws them: to the delivery, half way to a drop, a long way down in flight.
        let end = |a: &Arrow| match a.end {
            End::Delivered(k) => (x(a.to), k),
            End::Dropped(k) => ((x(a.from) + x(a.to)) / 2.0, k),
            End::InFlight => (x(a.from) + (x(a.to) - x(a.from)) * 0.3, t.len()),
        };
        let segs: Vec<[f64; 4]> = d
            .arrows
            .iter()
            .map(|a| {
                let (x2, k) = end(a);
                [x(a.from), a.sent as f64 * 20.0, x2, (k as f64 * 20.0).max(a.sent as f64 * 20.0 + 8.0)]
            })
            .collect();
        let placed = place(&d.arrows, &segs, 46.0, right);
        assert!(placed.len() > 50, "a busy run still gets labels: {}", placed.len());
        for (i, p) in placed.iter().enumerate() {
            let b = p.bounds();
            assert!(b[0] >= 46.0 && b[2] <= right, "{p:?} is inside");
            let under: f64 = segs.iter().enumerate().filter(|(j, _)| *j != p.arrow).map(|(_, s)| hidden(*s, b)).sum();
            assert!(under <= MAX_HIDDEN, "{p:?} hides {under} px of arrows");
            for q in &placed[..i] {
                assert!(!overlaps(b, q.bounds()), "{p:?} overlaps {q:?}");
            }
        }
    }
}
