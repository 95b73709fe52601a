//! Where a menu opens on the canvas: beside what was clicked, where it covers the least of the
//! nodes' state. For a message, what its receivers will do with it is the question being asked,
//! and the narration is usually about its sender, so covering either costs more than covering a
//! bystander. For a node, its own card is what its menu changes.

use super::{Point, Rect, Scene, TokenBox};
use crate::paxos::NodeId;

/// Space between what was clicked and its menu.
const GAP: f64 = 12.0;
/// A menu's width (`.menu`, and in presenter mode `.app.presenter .menu`).
const MENU_WIDTH: [f64; 2] = [260.0, 380.0];

/// A menu's estimated size in `frame` with `rows` rows of actions (the title, subtitle and Close
/// besides, with 20 px to spare for a subtitle that wraps: a menu opening above its anchor must
/// not reach down over it). The estimate only chooses where a menu opens; a taller one scrolls.
pub fn menu_size(frame: super::Frame, rows: usize) -> (f64, f64) {
    let scale = if frame.presenter { 1.4 } else { 1.0 };
    (MENU_WIDTH[frame.presenter as usize], scale * (124.0 + 40.0 * rows as f64))
}

/// The top-left corner of a menu of `size` (width, height) for token `t`.
pub fn message_menu(sc: &Scene, t: &TokenBox, size: (f64, f64)) -> Point {
    let to_x = t.to.iter().filter_map(|n| sc.node(*n)).map(|b| b.center.x).sum::<f64>();
    let receivers_right = to_x > t.rect.center().x * t.to.len() as f64;
    let weight = |n: NodeId| {
        if t.to.contains(&n) {
            3.0
        } else if n == t.from {
            2.0
        } else {
            1.0
        }
    };
    best(sc, t.rect, size, receivers_right, weight)
}

/// The top-left corner of a menu of `size` for node `n`: its glyph and card stay in view.
pub fn node_menu(sc: &Scene, n: NodeId, size: (f64, f64)) -> Option<Point> {
    sc.node(n).map(|b| around(sc, b.glyph().union(&b.card), size))
}

/// The top-left corner of a menu of `size` for something at `anchor` (the chip of a gap's
/// overflowing messages, a node): on the side with more room first.
pub fn around(sc: &Scene, anchor: Rect, size: (f64, f64)) -> Point {
    best(sc, anchor, size, anchor.center().x > sc.frame.w * 0.6, |_| 1.0)
}

/// The cheapest of a few corners around `anchor`: on the `left` side first (or the right),
/// then the other, then centred; level with it, below, above, then at the canvas's top or
/// bottom. The cost is the node state covered, by `weight`, plus the distance from the anchor;
/// covering the anchor itself would hide what was clicked. The first of the cheapest wins.
fn best(sc: &Scene, anchor: Rect, (w, h): (f64, f64), left: bool, weight: impl Fn(NodeId) -> f64) -> Point {
    let r = anchor;
    let (l, right) = (r.x - GAP - w, r.right() + GAP);
    let xs = if left { [l, right, r.center().x - w / 2.0] } else { [right, l, r.center().x - w / 2.0] };
    let ys = [r.y - 30.0, r.bottom() + GAP, r.y - GAP - h, 0.0, sc.frame.h];
    let cost = |m: Rect| {
        let covered: f64 =
            sc.nodes.iter().map(|b| weight(b.id) * (m.overlap_area(&b.glyph()) + m.overlap_area(&b.card))).sum();
        let far = (m.x - r.right()).max(r.x - m.right()).max(0.0) + (m.y - r.bottom()).max(r.y - m.bottom()).max(0.0);
        covered + 1000.0 * m.overlap_area(&r) + 20.0 * far
    };
    let mut best: Option<(f64, Point)> = None;
    for p in xs.iter().flat_map(|&x| ys.map(|y| inside(sc, Point { x, y }, (w, h)))) {
        let c = cost(Rect { x: p.x, y: p.y, w, h });
        if best.is_none_or(|(b, _)| c < b - 0.5) {
            best = Some((c, p));
        }
    }
    best.map_or(Point { x: r.x, y: r.bottom() }, |(_, p)| p)
}

/// The corner moved so that the menu stays on the canvas (a menu taller than the canvas keeps
/// its top on it, and scrolls).
fn inside(sc: &Scene, p: Point, (w, h): (f64, f64)) -> Point {
    Point { x: p.x.min(sc.frame.w - w - 4.0).max(4.0), y: p.y.min(sc.frame.h - h - 4.0).max(4.0) }
}
