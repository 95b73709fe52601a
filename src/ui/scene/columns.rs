//! Bands and nodes: how wide each role's band must be for its cards, how tall for its nodes, and
//! where each glyph, card and leader badge goes.

use super::geometry::{Point, Rect};
use super::{Frame, Type};
use crate::paxos::{NodeId, Role};
use crate::sim::World;
use crate::ui::format::{node_lines, short, Line};

/// One node: its glyph (a circle of radius `r` around `center`, drawn in the role's shape), its
/// card of words under it, and the tags of clients that believe it leads.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeBox {
    /// The node.
    pub id: NodeId,
    /// Centre of the glyph.
    pub center: Point,
    /// Radius of the glyph.
    pub r: f64,
    /// The card with the node's state.
    pub card: Rect,
    /// The card's words.
    pub lines: Vec<Line>,
    /// Leader tags (proposers only): where, and which client.
    pub badges: Vec<(Rect, NodeId)>,
}

impl NodeBox {
    /// The box around the glyph.
    pub fn glyph(&self) -> Rect {
        Rect { x: self.center.x - self.r, y: self.center.y - self.r, w: 2.0 * self.r, h: 2.0 * self.r }
    }
}

/// Bands, gaps, strips and nodes for one type size.
#[derive(Clone, Debug, PartialEq)]
pub struct Columns {
    /// The type size.
    pub t: Type,
    /// The band of each role.
    pub bands: [Rect; 4],
    /// The gaps between bands.
    pub gaps: [Rect; 3],
    /// Every node.
    pub nodes: Vec<NodeBox>,
    /// Column titles.
    pub titles: Vec<(Role, f64)>,
    /// Baseline of the titles.
    pub title_y: f64,
    /// The note strip.
    pub note: Rect,
    /// The legend strip.
    pub legend: Rect,
}

/// How long the words on this canvas can get: the widest value, ballot and quorum shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// Characters of a quoted value.
    pub value: usize,
    /// Characters of a ballot (`12.3`).
    pub ballot: usize,
    /// Votes a quorum needs (drawn as that many dots).
    pub quorum: usize,
    /// Characters of a round.
    pub round: usize,
}

fn digits(n: u32) -> usize {
    n.max(1).ilog10() as usize + 1
}

/// The budget of `w`: values anyone asked for, and the highest round anyone has seen.
pub fn budget(w: &World) -> Budget {
    let value = w.oracle().requested().iter().map(|v| short(*v).chars().count()).max().unwrap_or(3).max(3);
    let round = w
        .proposers()
        .iter()
        .map(|p| p.max_round)
        .chain(w.acceptors().iter().filter_map(|a| a.promised.map(|b| b.round)))
        .max()
        .unwrap_or(1);
    Budget { value, ballot: digits(round) + 2, quorum: w.quorum() as usize, round: digits(round) }
}

/// The widest line a role's card can show under `b`, in characters (see `format::node_lines`).
fn card_chars(w: &World, role: Role, b: Budget) -> usize {
    if w.log().is_some() {
        // Multi-Paxos cards (see `format::log_lines`): short lines, the log is in the grid.
        return match role {
            // "waits X12+1" is the widest client line (the budget's value is quoted: "X12").
            Role::Client => 9usize.max(7 + b.value),
            Role::Proposer => 9 + b.ballot.max(b.quorum),
            Role::Acceptor | Role::Learner => 9 + b.ballot,
        };
    }
    match role {
        Role::Client => 9usize.max(6 + b.value),
        Role::Proposer => [10 + b.ballot, 13 + b.round, 9 + b.quorum, 9 + b.value, 12 + b.ballot, 12, 8 + b.value]
            .into_iter()
            .max()
            .unwrap_or(12),
        Role::Acceptor => (9 + b.ballot).max(10 + b.ballot + b.value),
        Role::Learner => [8 + b.value, 6 + b.quorum, 5 + b.ballot + b.value, 7].into_iter().max().unwrap_or(8),
    }
}

/// Lines a role's card has at most (see `format::node_lines`). Multi-Paxos cards are shorter:
/// the log grid under the cluster holds the log, and needs the height.
fn card_lines(w: &World, role: Role) -> usize {
    match (w.log().is_some(), role) {
        (false, Role::Client | Role::Acceptor | Role::Learner) => 2,
        (false, Role::Proposer) => 3,
        (true, Role::Client) => 3,
        (true, Role::Proposer | Role::Learner) => 2,
        (true, Role::Acceptor) => 1,
    }
}

/// The widest token label that can appear in gap `g`, in characters (see `tokens`).
pub fn gap_chars(g: usize, b: Budget) -> usize {
    match g {
        0 => (8 + b.value).max(11),
        1 => [8 + b.ballot, 9 + 2 * b.ballot, 8 + b.ballot + b.value, 10 + b.ballot + b.value, 11]
            .into_iter()
            .max()
            .unwrap_or(12),
        _ => (10 + b.ballot + b.value).max(11),
    }
}

/// Token padding: the ballot tint on the left, a little room on the right.
pub fn token_pad(t: Type) -> f64 {
    1.1 * t.f
}

const ROLES: [Role; 4] = Role::ALL;

/// Places everything at type `t`, or `None` when it does not fit the frame.
pub fn place(w: &World, frame: Frame, t: Type) -> Option<Columns> {
    let c = layout(w, frame, t);
    c.fits.then_some(c.columns)
}

/// Places everything at type `t` even if it does not fit (the smallest type, on a tiny canvas).
pub fn place_anyway(w: &World, frame: Frame, t: Type) -> Columns {
    layout(w, frame, t).columns
}

struct Attempt {
    columns: Columns,
    fits: bool,
}

/// The width a role's band needs: its cards, or its glyph with leader tags on both sides (so the
/// glyph stays centred); twice a card when a large acceptor column zig-zags.
fn band_width(w: &World, role: Role, t: Type, b: Budget) -> f64 {
    let actual = w
        .config()
        .nodes()
        .filter(|n| n.role == role)
        .flat_map(|n| node_lines(w, n))
        .map(|l| l.text.chars().count())
        .max()
        .unwrap_or(0);
    let card = t.width(card_chars(w, role, b).max(actual)) + card_pad(role, t);
    let tags = if role == Role::Proposer { 2.0 * (radius(t) + 0.2 * t.f + badges_width(w, t)) } else { 0.0 };
    // Room for the glyph and its amnesia mark, whatever the cards need.
    let one = card.max(tags).max(3.4 * radius(t));
    if zigzag(w, role) {
        2.0 * one + 0.5 * t.f
    } else {
        one
    }
}

/// Room in a card besides its words: a margin each side, and a disk mark where a role keeps
/// something on disk.
pub fn card_pad(role: Role, t: Type) -> f64 {
    match role {
        Role::Proposer | Role::Acceptor => 1.3 * t.f,
        Role::Client | Role::Learner => 0.5 * t.f,
    }
}

fn radius(t: Type) -> f64 {
    1.15 * t.f
}

fn badge_w(t: Type) -> f64 {
    t.width(2) + 0.3 * t.f
}

fn badges_width(w: &World, t: Type) -> f64 {
    let n = w.config().clients as f64;
    n * badge_w(t) + (n - 1.0).max(0.0) * 0.15 * t.f
}

fn zigzag(w: &World, role: Role) -> bool {
    role == Role::Acceptor && w.config().acceptors > 5
}

fn layout(w: &World, frame: Frame, t: Type) -> Attempt {
    let b = budget(w);
    let f = t.f;
    let outer = 0.3 * f;
    let widths: Vec<f64> = ROLES.iter().map(|r| band_width(w, *r, t, b)).collect();
    let gap_min: Vec<f64> = (0..3).map(|g| t.width(gap_chars(g, b)) + token_pad(t) + 0.4 * f).collect();
    let need = widths.iter().sum::<f64>() + gap_min.iter().sum::<f64>() + 2.0 * outer;
    let spare = (frame.w - need).max(0.0) / 5.0;
    let strip = 1.4 * f;
    // Multi-Paxos gives the partition legend's strip back while there is no partition: the log
    // grid has taken part of the canvas's height.
    let legend = if w.log().is_some() && !w.is_partitioned() { 0.3 * f } else { strip };
    let (top, bottom) = (2.0 * strip, frame.h - legend);
    let mut x = outer + spare;
    let mut bands = [Rect { x: 0.0, y: top, w: 0.0, h: bottom - top }; 4];
    let mut gaps = [Rect { x: 0.0, y: top, w: 0.0, h: bottom - top }; 3];
    for i in 0..4 {
        bands[i].x = x;
        bands[i].w = widths[i];
        x += widths[i];
        if i < 3 {
            gaps[i] = Rect { x: x + 0.2 * f, y: top, w: gap_min[i] - 0.4 * f + spare, h: bottom - top };
            x += gap_min[i] + spare;
        }
    }
    let mut fits = need <= frame.w;
    let mut nodes = Vec::new();
    for (i, role) in ROLES.iter().enumerate() {
        let (placed, ok) = column(w, *role, bands[i], t);
        fits &= ok;
        nodes.extend(placed);
    }
    let titles = ROLES.iter().enumerate().map(|(i, r)| (*r, bands[i].center().x)).collect();
    let columns = Columns {
        t,
        bands,
        gaps,
        nodes,
        titles,
        title_y: 1.05 * f,
        note: Rect { x: outer, y: strip, w: frame.w - 2.0 * outer, h: strip },
        legend: Rect { x: outer, y: bottom, w: frame.w - 2.0 * outer, h: strip },
    };
    Attempt { columns, fits }
}

/// The nodes of one role in their band, top to bottom, and whether they fit its height.
fn column(w: &World, role: Role, band: Rect, t: Type) -> (Vec<NodeBox>, bool) {
    let f = t.f;
    let n = w.config().count(role) as usize;
    let r = radius(t);
    let card_h = card_lines(w, role) as f64 * t.line_h() + 0.3 * f;
    let block = 2.0 * r + 0.3 * f + card_h;
    let zig = zigzag(w, role);
    let (pitch, fits) = if zig {
        let p = (band.h - block) / (n - 1) as f64;
        (p, 2.0 * p >= block + 0.4 * f)
    } else {
        let p = band.h / n as f64;
        (p, p >= block + 0.4 * f)
    };
    let sub_w = if zig { (band.w - 0.5 * f) / 2.0 } else { band.w };
    let card_w = t.width(card_chars(w, role, budget(w))) + card_pad(role, t);
    let nodes = (0..n)
        .map(|i| {
            let id = NodeId { role, index: i as u8 };
            let top = if zig { band.y + i as f64 * pitch } else { band.y + i as f64 * pitch + (pitch - block) / 2.0 };
            let x = if zig { band.x + sub_w / 2.0 + (i % 2) as f64 * (sub_w + 0.5 * f) } else { band.center().x };
            let center = Point { x, y: top + r };
            let lines = node_lines(w, id);
            let widest = lines.iter().map(|l| l.text.chars().count()).max().unwrap_or(0);
            let cw = card_w.max(t.width(widest) + card_pad(role, t)).min(sub_w);
            let card = Rect { x: x - cw / 2.0, y: top + 2.0 * r + 0.3 * f, w: cw, h: card_h };
            let badges = if role == Role::Proposer { badges(w, id, center, r, t) } else { vec![] };
            NodeBox { id, center, r, card, lines, badges }
        })
        .collect();
    (nodes, fits)
}

/// Tags left of a proposer's glyph, one per client that believes it leads, in a row.
fn badges(w: &World, p: NodeId, center: Point, r: f64, t: Type) -> Vec<(Rect, NodeId)> {
    let (bw, bh) = (badge_w(t), 1.15 * t.f);
    (0..w.config().clients)
        .filter(|c| w.client_leader(NodeId::client(*c)) == p)
        .enumerate()
        .map(|(k, ci)| {
            let right = center.x - r - 0.2 * t.f - k as f64 * (bw + 0.15 * t.f);
            (Rect { x: right - bw, y: center.y - bh / 2.0, w: bw, h: bh }, NodeId::client(ci))
        })
        .collect()
}
