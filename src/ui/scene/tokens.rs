//! Message tokens: copies of one message from one sender, on their way across the same gap, are
//! one token ("Accept 1.2 \"X\"", "to A1 A2 A3"), which splits as its copies go their own ways.
//! Each token sits in the gap next to its sender (messages to clients: next to the clients), at
//! the height where its wires cross the gap, pushed up or down just enough that no two touch.
//! What does not fit is summed up in one "+N more" chip at the bottom of the gap.

use super::band_of;
use super::columns::{token_pad, Columns};
use super::geometry::{Point, Rect};
use super::Type;
use crate::paxos::{Msg, NodeId, Role};
use crate::sim::{MsgId, World};
use crate::ui::format::token_lines;

/// One token: a message, or identical copies of it from one sender.
#[derive(Clone, Debug, PartialEq)]
pub struct TokenBox {
    /// Stable while the token exists: sender, message and gap.
    pub key: String,
    /// Every copy, by id.
    pub ids: Vec<MsgId>,
    /// The sender.
    pub from: NodeId,
    /// The receiver of each copy, in id order.
    pub to: Vec<NodeId>,
    /// The message.
    pub msg: Msg,
    /// The words, one line each.
    pub lines: Vec<String>,
    /// Where it sits.
    pub rect: Rect,
    /// Which gap.
    pub gap: usize,
    /// Some copy is already due (it would arrive on the next Step).
    pub overdue: bool,
}

/// Tokens that did not fit in a gap, as one chip.
#[derive(Clone, Debug, PartialEq)]
pub struct Overflow {
    /// Which gap.
    pub gap: usize,
    /// Where the chip sits.
    pub rect: Rect,
    /// The messages it stands for.
    pub ids: Vec<MsgId>,
}

/// The gap a message from `from` to `to` waits in.
pub fn gap_of(from: NodeId, to: NodeId) -> usize {
    let (a, b) = (band_of(from.role), band_of(to.role));
    if to.role == Role::Client {
        0
    } else if b > a {
        a
    } else {
        a.saturating_sub(1)
    }
}

/// The second line of a token of several copies: where they go.
fn receivers(to: &[NodeId]) -> String {
    let mut distinct: Vec<NodeId> = to.to_vec();
    crate::small_sort::sort(&mut distinct);
    distinct.dedup();
    let copies = |n: &NodeId| to.iter().filter(|t| *t == n).count();
    match distinct.len() {
        1 => format!("{} copies", to.len()),
        2 | 3 => {
            let names: Vec<String> = distinct
                .iter()
                .map(|n| if copies(n) > 1 { format!("{n}×{}", copies(n)) } else { n.to_string() })
                .collect();
            format!("to {}", names.join(" "))
        }
        n => format!("to {n} nodes"),
    }
}

struct Group {
    key: String,
    ids: Vec<MsgId>,
    from: NodeId,
    to: Vec<NodeId>,
    msg: Msg,
    gap: usize,
    overdue: bool,
}

/// The messages that travel as one token with message `id` (grouped as the canvas draws them):
/// one token can stand for several messages, each with its own receiver.
pub fn copies_of(w: &World, id: MsgId) -> Vec<MsgId> {
    groups(w).into_iter().find(|g| g.ids.contains(&id)).map_or_else(Vec::new, |g| g.ids)
}

fn groups(w: &World) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    for m in w.in_flight() {
        let gap = gap_of(m.from, m.to);
        let overdue = m.due <= w.time();
        match out.iter_mut().find(|g| g.from == m.from && g.msg == m.msg && g.gap == gap) {
            Some(g) => {
                g.ids.push(m.id);
                g.to.push(m.to);
                g.overdue |= overdue;
            }
            None => out.push(Group {
                key: format!("{}:{}:{gap}", m.from, m.msg.label()),
                ids: vec![m.id],
                from: m.from,
                to: vec![m.to],
                msg: m.msg,
                gap,
                overdue,
            }),
        }
    }
    out
}

/// Where the group's wires cross the middle of its gap.
fn wanted_y(cols: &Columns, g: &Group, gap: Rect) -> f64 {
    let at = |n: NodeId| cols.nodes.iter().find(|b| b.id == n).map(|b| b.center);
    let Some(s) = at(g.from) else {
        return gap.center().y;
    };
    let ends: Vec<Point> = g.to.iter().filter_map(|n| at(*n)).collect();
    let n = ends.len().max(1) as f64;
    let r = Point { x: ends.iter().map(|p| p.x).sum::<f64>() / n, y: ends.iter().map(|p| p.y).sum::<f64>() / n };
    let gx = gap.center().x;
    if (r.x - s.x).abs() < 1.0 {
        return s.y;
    }
    s.y + (r.y - s.y) * ((gx - s.x) / (r.x - s.x)).clamp(0.0, 1.0)
}

/// `line` broken at spaces into lines of at most `room` characters (a word longer than that
/// stays whole, and is squeezed to fit).
pub(super) fn wrap(line: &str, room: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in line.split(' ') {
        match out.last_mut() {
            Some(last) if last.chars().count() + 1 + word.chars().count() <= room => {
                last.push(' ');
                last.push_str(word);
            }
            _ => out.push(word.to_string()),
        }
    }
    out
}

/// A message's own lines on a token in `gap` (without the receivers of its copies), as the
/// token breaks them: the crossed ghost of a lost copy is drawn with these.
pub fn message_lines(t: Type, msg: &Msg, gap: Rect) -> Vec<String> {
    fit(t, &token_lines(msg), gap)
}

/// `lines` broken to fit `gap`: a line wider than the gap breaks at a space rather than being
/// squeezed.
fn fit(t: Type, lines: &[String], gap: Rect) -> Vec<String> {
    let room = ((gap.w - token_pad(t)) / t.cw()).floor().max(1.0) as usize;
    lines.iter().flat_map(|l| wrap(l, room)).collect()
}

/// Group `g`'s token in `gap`, with the height its wires want it at. `names`: a token of copies
/// to several nodes says where they go on a line of its own.
fn token_box(cols: &Columns, g: Group, gap: Rect, names: bool) -> (f64, TokenBox) {
    let t = cols.t;
    let mut lines = token_lines(&g.msg);
    let several = g.to.iter().any(|n| *n != g.to[0]);
    if g.ids.len() > 1 && (names || !several) {
        lines.push(receivers(&g.to));
    }
    let lines = fit(t, &lines, gap);
    let chars = lines.iter().map(|l| l.chars().count()).max().unwrap_or(1);
    let wd = (t.width(chars) + token_pad(t)).min(gap.w);
    let h = lines.len() as f64 * t.line_h() + 0.35 * t.f;
    let y = wanted_y(cols, &g, gap);
    let rect = Rect { x: gap.x + (gap.w - wd) / 2.0, y: y - h / 2.0, w: wd, h };
    let gi = g.gap;
    let tb = TokenBox {
        key: g.key,
        ids: g.ids,
        from: g.from,
        to: g.to,
        msg: g.msg,
        lines,
        rect,
        gap: gi,
        overdue: g.overdue,
    };
    (y, tb)
}

/// Every token and overflow chip, placed.
pub fn place(w: &World, cols: &Columns) -> (Vec<TokenBox>, Vec<Overflow>) {
    let t = cols.t;
    let (mut tokens, mut overflow) = (Vec::new(), Vec::new());
    for gi in 0..3 {
        let gap = cols.gaps[gi];
        let build = |names: bool| -> Vec<(f64, TokenBox)> {
            groups(w).into_iter().filter(|g| g.gap == gi).map(|g| token_box(cols, g, gap, names)).collect()
        };
        let space = 0.25 * t.f;
        let total = |v: &[(f64, TokenBox)]| v.iter().map(|x| x.1.rect.h + space).sum::<f64>();
        let mut items = build(true);
        // Crowded, a token sent to several nodes leaves out its "to A1 A2 A3" line (its wires
        // name the receivers), so that more tokens stay in view before any go into the chip:
        // a new leader's four Accepts of three lines each hid the first one the caption named.
        if total(&items) > gap.h + space {
            items = build(false);
        }
        crate::small_sort::sort_by(&mut items, |a, b| a.0.total_cmp(&b.0).then_with(|| a.1.key.cmp(&b.1.key)).is_lt());
        let mut kept: Vec<TokenBox> = items.into_iter().map(|(_, tb)| tb).collect();
        let chip_h = t.line_h() + 0.35 * t.f;
        let total = |v: &[TokenBox]| v.iter().map(|x| x.rect.h + space).sum::<f64>();
        if total(&kept) > gap.h + space {
            // The newest messages stay in view (what was just sent is what the narration talks
            // about); the oldest go into the "+N more" chip first.
            let newest = |x: &TokenBox| x.ids.iter().copied().max().unwrap_or(0);
            crate::small_sort::sort_by(&mut kept, |a, b| newest(a) > newest(b));
            let mut rest = Vec::new();
            while !kept.is_empty() && total(&kept) + chip_h > gap.h {
                rest.push(kept.pop().expect("not empty"));
            }
            // Back in the order of their wanted heights, for packing.
            crate::small_sort::sort_by(&mut kept, |a, b| {
                a.rect.center().y.total_cmp(&b.rect.center().y).then_with(|| a.key.cmp(&b.key)).is_lt()
            });
            let ids: Vec<MsgId> = rest.iter().flat_map(|x| x.ids.clone()).collect();
            let cw = (t.width(format!("+{} more", ids.len()).chars().count()) + 0.6 * t.f).min(gap.w);
            let rect = Rect { x: gap.x + (gap.w - cw) / 2.0, y: gap.bottom() - chip_h, w: cw, h: chip_h };
            overflow.push(Overflow { gap: gi, rect, ids });
            pack(&mut kept, Rect { h: gap.h - chip_h - space, ..gap }, space);
        } else {
            pack(&mut kept, gap, space);
        }
        tokens.extend(kept);
    }
    (tokens, overflow)
}

/// Moves tokens (sorted by wanted height) down, then up, just enough that none touches another
/// and all stay inside `area`. Needs their total height to fit, which the caller ensures.
fn pack(items: &mut [TokenBox], area: Rect, space: f64) {
    let mut floor = area.y;
    for it in items.iter_mut() {
        it.rect.y = it.rect.y.max(floor);
        floor = it.rect.bottom() + space;
    }
    let mut ceiling = area.bottom();
    for it in items.iter_mut().rev() {
        if it.rect.bottom() > ceiling {
            it.rect.y = ceiling - it.rect.h;
        }
        ceiling = it.rect.y - space;
    }
}
