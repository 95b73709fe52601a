//! Where everything on the canvas goes, in CSS pixels of the canvas as it is on screen.
//!
//! The canvas is four *bands*, one per role (clients, proposers, acceptors, learners), and three
//! *gaps* between them. A band holds its nodes: a glyph, and under it a card with the node's
//! state in words. Gaps hold the message tokens, stacked so that no two touch. A token never
//! leaves its gap and a card never leaves its band, so no token or label can cover a node's state,
//! by construction; `tests` (and the end-to-end layout test in Chromium) check it.
//!
//! All canvas text is monospace and drawn with an exact `textLength`, so a text's width is its
//! character count times [`Type::cw`] on any machine. The largest type that fits is chosen from
//! the canvas size and the cluster, so a projector at 1280×720 gets at least 20 px.

pub mod columns;
pub mod geometry;
pub mod place;
mod route;
pub mod tokens;

use crate::paxos::Role;
use crate::sim::World;
pub use columns::NodeBox;
pub use geometry::{Point, Rect};
pub use tokens::{Overflow, TokenBox};

/// The canvas: its size on screen and whether it is on a projector.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    /// Width in CSS pixels.
    pub w: f64,
    /// Height in CSS pixels.
    pub h: f64,
    /// Presenter mode: type as large as the room allows, up to [`MAX_PRESENTER_FONT`].
    pub presenter: bool,
}

/// Largest type on the canvas in presenter mode.
pub const MAX_PRESENTER_FONT: f64 = 26.0;
/// Largest type on the canvas otherwise.
pub const MAX_FONT: f64 = 18.0;
/// Smallest type the layout will use before it stops shrinking.
pub const MIN_FONT: f64 = 8.0;

/// Type sizes: everything on the canvas is set in one size.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Type {
    /// Font size in px.
    pub f: f64,
}

impl Type {
    /// Width of one character (the `textLength` every text is drawn with).
    pub fn cw(&self) -> f64 {
        self.f * 0.58
    }
    /// Distance between lines.
    pub fn line_h(&self) -> f64 {
        self.f * 1.2
    }
    /// Width of `chars` characters.
    pub fn width(&self, chars: usize) -> f64 {
        chars as f64 * self.cw()
    }
}

/// Which band a role's nodes live in.
pub fn band_of(r: Role) -> usize {
    match r {
        Role::Client => 0,
        Role::Proposer => 1,
        Role::Acceptor => 2,
        Role::Learner => 3,
    }
}

/// Everything placed.
#[derive(Clone, Debug, PartialEq)]
pub struct Scene {
    /// The canvas.
    pub frame: Frame,
    /// The type size chosen.
    pub t: Type,
    /// Column titles: centre x and the baseline.
    pub titles: Vec<(Role, f64)>,
    /// Baseline of the column titles.
    pub title_y: f64,
    /// A strip at the top for a note about the picture (a lesson's highlight).
    pub note: Rect,
    /// A strip at the bottom for the partition in words.
    pub legend: Rect,
    /// Every node.
    pub nodes: Vec<NodeBox>,
    /// The gaps between bands, left to right.
    pub gaps: [Rect; 3],
    /// Every token of a message (or of copies of one message) in flight.
    pub tokens: Vec<TokenBox>,
    /// Tokens that did not fit in their gap, summed up.
    pub overflow: Vec<Overflow>,
}

impl Scene {
    /// Lays out `w` on `frame`: the largest type that fits, then nodes, then tokens.
    pub fn build(w: &World, frame: Frame) -> Scene {
        let max = if frame.presenter { MAX_PRESENTER_FONT } else { MAX_FONT };
        let mut f = max;
        let cols = loop {
            let t = Type { f };
            if let Some(cols) = columns::place(w, frame, t) {
                break cols;
            }
            if f <= MIN_FONT {
                break columns::place_anyway(w, frame, Type { f: MIN_FONT });
            }
            f = (f - 0.5).max(MIN_FONT);
        };
        let (tokens, overflow) = tokens::place(w, &cols);
        Scene {
            frame,
            t: cols.t,
            titles: cols.titles.clone(),
            title_y: cols.title_y,
            note: cols.note,
            legend: cols.legend,
            nodes: cols.nodes.clone(),
            gaps: cols.gaps,
            tokens,
            overflow,
        }
    }

    /// The node box of `id`.
    pub fn node(&self, id: crate::paxos::NodeId) -> Option<&NodeBox> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// Every pair of things that must not overlap but do, named: tokens against node glyphs and
    /// cards, and tokens against tokens. Empty when the layout is sound.
    pub fn overlaps(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut solid: Vec<(String, Rect)> = Vec::new();
        for n in &self.nodes {
            solid.push((format!("{} glyph", n.id), n.glyph()));
            solid.push((format!("{} card", n.id), n.card));
            for (k, (b, _)) in n.badges.iter().enumerate() {
                solid.push((format!("{} badge {k}", n.id), *b));
            }
        }
        let labels: Vec<(String, Rect)> = self
            .tokens
            .iter()
            .map(|t| (format!("token {}", t.key), t.rect))
            .chain(self.overflow.iter().map(|o| (format!("overflow in gap {}", o.gap), o.rect)))
            .collect();
        for (i, (la, ra)) in labels.iter().enumerate() {
            for (sb, rb) in &solid {
                if ra.overlaps(rb) {
                    out.push(format!("{la} covers {sb}"));
                }
            }
            for (lb, rb) in &labels[i + 1..] {
                if ra.overlaps(rb) {
                    out.push(format!("{la} overlaps {lb}"));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests;
