//! Pure geometry for the cluster view: where nodes sit, where their words go, and where a message
//! is along its wire. Native tests check that no two things overlap for any allowed cluster size.

use crate::paxos::{NodeId, Role};
use crate::sim::{Config, InFlight};

/// The SVG's coordinate system.
pub const VIEW_W: f64 = 1000.0;
/// The SVG's coordinate system.
pub const VIEW_H: f64 = 600.0;
const TOP: f64 = 40.0;
const BOTTOM: f64 = 14.0;
/// Column centres: clients, proposers, acceptors, learners. Messages flow left to right and back.
pub const COLUMNS: [f64; 4] = [90.0, 340.0, 630.0, 895.0];
/// Acceptor columns of more than this many nodes zig-zag, to give their words room.
const ZIGZAG_OVER: u8 = 5;
const ZIG: f64 = 72.0;

/// A point in view coordinates.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    /// Horizontal.
    pub x: f64,
    /// Vertical (down).
    pub y: f64,
}

/// An axis-aligned box.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl Rect {
    /// Do the two boxes share any area?
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }
    /// Is it inside the view?
    pub fn inside_view(&self) -> bool {
        self.x >= 0.0 && self.y >= 0.0 && self.x + self.w <= VIEW_W && self.y + self.h <= VIEW_H
    }
}

/// Sizes that depend on how crowded the busiest column is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Metrics {
    /// Node glyph radius.
    pub r: f64,
    /// Font size of the words under nodes (monospace).
    pub font: f64,
}

impl Metrics {
    /// Width of one monospace character.
    pub fn char_w(&self) -> f64 {
        self.font * 0.6
    }
    /// Distance between lines of words.
    pub fn line_h(&self) -> f64 {
        self.font * 1.2
    }
}

/// Where everything goes for one config.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    counts: [u8; 4],
    /// Glyph and font sizes.
    pub m: Metrics,
}

fn role_index(r: Role) -> usize {
    match r {
        Role::Client => 0,
        Role::Proposer => 1,
        Role::Acceptor => 2,
        Role::Learner => 3,
    }
}

impl Layout {
    /// The layout for `cfg`.
    pub fn new(cfg: &Config) -> Self {
        let counts = [cfg.clients, cfg.proposers, cfg.acceptors, cfg.learners];
        // Zig-zagged acceptors use the vertical room of half as many nodes.
        let densest = counts
            .iter()
            .enumerate()
            .map(|(i, n)| if i == 2 && *n > ZIGZAG_OVER { n.div_ceil(2) + 1 } else { *n })
            .max()
            .unwrap_or(1);
        let m = match densest {
            0..=3 => Metrics { r: 28.0, font: 17.0 },
            4 => Metrics { r: 25.0, font: 15.0 },
            _ => Metrics { r: 22.0, font: 13.0 },
        };
        Layout { counts, m }
    }

    /// Centre of a node's glyph. Each node owns an equal slot of its column and its block
    /// (glyph and words) is centred in the slot; a zig-zagged column spreads its blocks evenly
    /// from top to bottom instead, since neighbours sit side by side.
    pub fn node(&self, id: NodeId) -> Point {
        let c = role_index(id.role);
        let n = self.counts[c].max(1) as f64;
        let i = id.index as f64;
        let span = VIEW_H - TOP - BOTTOM;
        let zig = id.role == Role::Acceptor && self.counts[2] > ZIGZAG_OVER;
        let top = if zig {
            TOP + i * (span - self.block_h()) / (n - 1.0)
        } else {
            TOP + span * (i + 0.5) / n - self.block_h() / 2.0
        };
        let mut x = COLUMNS[c];
        if zig {
            x += if id.index.is_multiple_of(2) { -ZIG } else { ZIG };
        }
        Point { x, y: top + self.m.r }
    }

    /// Height of a node's glyph plus two lines of words: the vertical room one node needs.
    fn block_h(&self) -> f64 {
        2.0 * self.m.r + 8.0 + 2.0 * self.m.line_h()
    }

    /// Baseline of line `k` (0-based) of a node's words.
    pub fn line_y(&self, id: NodeId, k: usize) -> f64 {
        self.node(id).y + self.m.r + 6.0 + self.m.font * 0.85 + k as f64 * self.m.line_h()
    }

    /// The box taken by a node's words, given their lengths in characters.
    pub fn words_box(&self, id: NodeId, chars: &[usize]) -> Option<Rect> {
        let widest = chars.iter().copied().max().filter(|w| *w > 0)? as f64 * self.m.char_w();
        let p = self.node(id);
        Some(Rect {
            x: p.x - widest / 2.0,
            y: p.y + self.m.r + 6.0,
            w: widest,
            h: chars.len() as f64 * self.m.line_h(),
        })
    }

    /// The box taken by a node's glyph.
    pub fn glyph_box(&self, id: NodeId) -> Rect {
        let p = self.node(id);
        Rect { x: p.x - self.m.r, y: p.y - self.m.r, w: 2.0 * self.m.r, h: 2.0 * self.m.r }
    }

    /// Where the `k`-th leader badge on a proposer goes: a column of small tags left of the glyph,
    /// each naming a client that believes this proposer leads.
    pub fn badge_box(&self, proposer: NodeId, k: usize) -> Rect {
        let p = self.node(proposer);
        let h = self.m.font * 1.1;
        let w = self.m.font * 2.0;
        let total = 3.0 * h;
        Rect { x: p.x - self.m.r - 6.0 - w, y: p.y - total / 2.0 + k as f64 * h, w, h: h - 2.0 }
    }

    /// Where a message is on its wire: it leaves the sender's edge at `frac` 0 and reaches the
    /// receiver's edge at 1.
    pub fn along(&self, from: NodeId, to: NodeId, frac: f64) -> Point {
        let (a, b) = (self.node(from), self.node(to));
        let (dx, dy) = (b.x - a.x, b.y - a.y);
        let len = (dx * dx + dy * dy).sqrt().max(1.0);
        let (ux, uy) = (dx / len, dy / len);
        let start = Point { x: a.x + ux * self.m.r, y: a.y + uy * self.m.r };
        let end = Point { x: b.x - ux * self.m.r, y: b.y - uy * self.m.r };
        let f = frac.clamp(0.0, 1.0);
        Point { x: start.x + (end.x - start.x) * f, y: start.y + (end.y - start.y) * f }
    }
}

/// How far along its wire a message is at logical time `now` (0 at sending, 1 when due).
pub fn progress(m: &InFlight, now: u64) -> f64 {
    if m.due <= m.sent_at {
        return 1.0;
    }
    ((now.saturating_sub(m.sent_at)) as f64 / (m.due - m.sent_at) as f64).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::config::LIMITS;

    /// The widest words each role can show (see `format::node_lines`), in characters.
    fn worst_lines(role: Role) -> Vec<usize> {
        match role {
            Role::Client => vec!["leader P5".len(), "heard \"abcdefgh…\"".chars().count()],
            Role::Proposer => {
                vec!["Phase 2 · votes 9/9, need 5".chars().count(), "99.5 → \"abcdefgh…\"".chars().count()]
            }
            Role::Acceptor => vec!["promised 99.5 ▪".chars().count(), "accepted \"abcdefgh…\"".chars().count()],
            Role::Learner => vec!["learned \"abcdefgh…\"".chars().count(), "for \"abcdefgh…\"".chars().count()],
        }
    }

    #[test]
    fn nothing_overlaps_and_everything_fits_for_every_allowed_size() {
        let range = |r: Role| LIMITS.iter().find(|l| l.0 == r).map(|l| l.1..=l.2).unwrap();
        let mut checked = 0;
        for c in range(Role::Client) {
            for p in range(Role::Proposer) {
                for a in range(Role::Acceptor) {
                    for l in range(Role::Learner) {
                        let cfg = Config { clients: c, proposers: p, acceptors: a, learners: l, ..Config::default() };
                        let lay = Layout::new(&cfg);
                        let mut boxes: Vec<(String, Rect)> = Vec::new();
                        for n in cfg.nodes() {
                            boxes.push((format!("{n} glyph"), lay.glyph_box(n)));
                            boxes.push((format!("{n} words"), lay.words_box(n, &worst_lines(n.role)).unwrap()));
                            if n.role == Role::Proposer {
                                for k in 0..c as usize {
                                    boxes.push((format!("{n} badge {k}"), lay.badge_box(n, k)));
                                }
                            }
                        }
                        for (i, (na, ra)) in boxes.iter().enumerate() {
                            assert!(ra.inside_view(), "{c}/{p}/{a}/{l}: {na} {ra:?} leaves the view");
                            for (nb, rb) in &boxes[i + 1..] {
                                assert!(!ra.overlaps(rb), "{c}/{p}/{a}/{l}: {na} {ra:?} overlaps {nb} {rb:?}");
                            }
                        }
                        checked += 1;
                    }
                }
            }
        }
        assert_eq!(checked, 3 * 5 * 9 * 5);
    }

    #[test]
    fn small_clusters_get_large_type() {
        assert!(Layout::new(&Config::default()).m.font >= 16.0);
        let big = Config { clients: 3, proposers: 5, acceptors: 9, learners: 5, ..Config::default() };
        assert!(Layout::new(&big).m.font >= 12.0);
    }

    #[test]
    fn messages_run_from_edge_to_edge() {
        let lay = Layout::new(&Config::default());
        let (p, a) = (NodeId::proposer(0), NodeId::acceptor(1));
        let start = lay.along(p, a, 0.0);
        let dist = |q: Point, c: Point| ((q.x - c.x).powi(2) + (q.y - c.y).powi(2)).sqrt();
        assert!((dist(start, lay.node(p)) - lay.m.r).abs() < 1e-9);
        assert!((dist(lay.along(p, a, 1.0), lay.node(a)) - lay.m.r).abs() < 1e-9);
        assert_eq!(lay.along(p, a, 7.0), lay.along(p, a, 1.0));
    }

    #[test]
    fn progress_is_time_based_and_clamped() {
        let m = InFlight {
            id: 1,
            from: NodeId::proposer(0),
            to: NodeId::acceptor(0),
            msg: crate::paxos::Msg::Prepare { ballot: crate::paxos::Ballot::new(1, 0) },
            sent_at: 10,
            due: 14,
        };
        assert_eq!(progress(&m, 10), 0.0);
        assert_eq!(progress(&m, 12), 0.5);
        assert_eq!(progress(&m, 30), 1.0);
        assert_eq!(progress(&m, 3), 0.0);
    }
}
