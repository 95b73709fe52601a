//! Wires across a band. A token waits in the gap next to its sender (or next to the clients), so
//! a proposer's Commit to a learner, or a learner's to a client, crosses a band of other nodes on
//! its way. Drawn straight, it ran through whatever node stood in the way (at lesson 6's last
//! beat, P2's Commit to L1 went through A2's hexagon), as if that node were its receiver. Such a
//! wire bends instead through the free lane between the nodes of each band it crosses.

use super::geometry::{Point, Rect};
use super::{band_of, NodeBox, Scene};
use crate::paxos::NodeId;

// Plain loops rather than iterator chains throughout: this runs in the browser, and each chain
// is code of its own in the download.

impl Scene {
    /// The wire between node `n` and the token at `at`, from the glyph's edge: sender first when
    /// `sent`, else token first.
    pub fn wire(&self, n: NodeId, at: Point, sent: bool) -> Option<Vec<Point>> {
        let b = self.node(n)?;
        let c = b.center;
        // The bends from the node outwards: out of its own band, then across the others.
        // A wire sent and a wire received keep apart in a lane they share (a learner's Commit
        // in and its Learned out ran along one line, and the room could not tell them apart).
        let bias = if sent { -0.4 } else { 0.4 } * self.t.line_h();
        let mut across = self.bends(c, at, bias);
        let mut path = self.way_out(b, across.first().copied().unwrap_or(at));
        path.append(&mut across);
        // The wire leaves the glyph towards its first bend, not towards the token.
        let to = path.first().copied().unwrap_or(at);
        let (dx, dy) = (to.x - c.x, to.y - c.y);
        let len = (dx * dx + dy * dy).sqrt().max(1.0);
        path.insert(0, Point { x: c.x + dx / len * b.r, y: c.y + dy / len * b.r });
        path.push(at);
        if !sent {
            path.reverse();
        }
        Some(path)
    }

    /// The bends by which a wire from node `b` towards `toward` leaves its band: none if the
    /// straight way passes no other node of the band, nor its own card (a steep one, from A3 to a
    /// token level with A2, cut A2's card); else level with its glyph; else (the inner column of
    /// a zig-zag, whose level way meets the outer column) level to the space between the columns,
    /// down or up it to the lane between two outer nodes, and level out of the band.
    fn way_out(&self, b: &NodeBox, toward: Point) -> Vec<Point> {
        let (k, c) = (band_of(b.id.role), b.center);
        let others = self.blocks(k, Some(b.id));
        // Its own card too: a wire from below ran behind it, vanishing and coming back.
        let mut walls = others.clone();
        walls.push(b.card);
        if clear(&walls, c, &[toward]) {
            return Vec::new();
        }
        let (l, r) = self.band_x(k);
        let left = toward.x < c.x;
        let edge = if left { l } else { r };
        // Level, but a little up or down towards its token: wires from several tokens to one
        // node, all level with its glyph, merged into one line long before it.
        let lift = ((toward.y - c.y) * 0.2).clamp(-0.5 * b.r, 0.5 * b.r);
        for y in [c.y + lift, c.y] {
            let level = vec![Point { x: edge, y }];
            if clear(&walls, c, &level) {
                return level;
            }
        }
        // The nodes between this one and the band's edge, and where the nearest of them begins.
        let (mut outer, mut x) = (Vec::new(), edge);
        for o in &others {
            if left && o.center().x < b.card.x {
                x = x.max(o.right());
                outer.push(*o);
            } else if !left && o.center().x > b.card.right() {
                x = x.min(o.x);
                outer.push(*o);
            }
        }
        // Level out of its own card's column, down or up between the columns, then level again.
        let between = (x + if left { b.card.x } else { b.card.right() }) / 2.0;
        let path = self
            .lane(&outer, c.y, 0.0)
            .map(|y| vec![Point { x: between, y: c.y }, Point { x: between, y }, Point { x: edge, y }]);
        path.filter(|p| clear(&walls, c, p)).unwrap_or_default()
    }

    /// Band `k`'s extent across the canvas: from the gap before it to the gap after it.
    fn band_x(&self, k: usize) -> (f64, f64) {
        let left = if k == 0 { 0.0 } else { self.gaps[k - 1].right() };
        let right = if k == 3 { self.frame.w } else { self.gaps[k].x };
        (left, right)
    }

    /// The bends of a wire from `a` to `b`: none when the straight line passes no node of a band
    /// between them, else two per band it crosses, at the height of the free lane nearest to
    /// where the straight line crosses that band. Every band crossed gets its lane once one needs
    /// it: the bent wire's slope changes, so a band the straight line cleared may now be hit.
    pub fn bends(&self, a: Point, b: Point, bias: f64) -> Vec<Point> {
        let (back, mut hit) = (b.x < a.x, false);
        let mut bands = Vec::new();
        for k in 0..4 {
            let (l, r) = self.band_x(k);
            if l > a.x.min(b.x) && r < a.x.max(b.x) {
                let blocks = self.blocks(k, None);
                hit |= !clear(&blocks, a, &[b]);
                bands.push((l, r, blocks));
            }
        }
        let mut out = Vec::new();
        if !hit {
            return out;
        }
        if back {
            bands.reverse();
        }
        let mut last = a;
        for (l, r, blocks) in bands {
            let want = last.y + (b.y - last.y) * ((l + r) / 2.0 - last.x) / (b.x - last.x);
            if let Some(y) = self.lane(&blocks, want, bias) {
                out.push(Point { x: if back { r } else { l }, y });
                last = Point { x: if back { l } else { r }, y };
                out.push(last);
            }
        }
        out
    }

    /// What a wire must not pass in band `k` (but for node `except`): each node's glyph, card and
    /// leader tags, with a little room around them (little: a Multi-Paxos canvas at 1280×720
    /// leaves about 12 px between one acceptor's card and the next glyph).
    fn blocks(&self, k: usize, except: Option<NodeId>) -> Vec<Rect> {
        let pad = 0.1 * self.t.f;
        let mut out = Vec::new();
        for n in &self.nodes {
            if band_of(n.id.role) != k || Some(n.id) == except {
                continue;
            }
            let mut r = n.glyph().union(&n.card);
            for (tag, _) in &n.badges {
                r = r.union(tag);
            }
            out.push(Rect { x: r.x - pad, y: r.y - pad, w: r.w + 2.0 * pad, h: r.h + 2.0 * pad });
        }
        out
    }

    /// The height nearest to `want` that runs clear of every block across the band, if any lane
    /// is left between them, moved by `bias` within it. A lane starts at the band's top or under
    /// a block, and ends at the next block's top or the band's bottom.
    fn lane(&self, blocks: &[Rect], want: f64, bias: f64) -> Option<f64> {
        let (top, bottom) = (self.gaps[0].y, self.gaps[0].bottom());
        let mut best: Option<(f64, f64, f64)> = None;
        for s in std::iter::once(top).chain(blocks.iter().map(Rect::bottom)) {
            let mut e = bottom;
            for b in blocks {
                if b.y < s && b.bottom() > s {
                    e = s; // `s` is inside another block: no lane starts here
                } else if b.y >= s && b.y < e {
                    e = b.y;
                }
            }
            if e - s < 1.0 {
                continue;
            }
            // A line's height clear of the nodes in a wide lane (hugging a card, it read as that
            // card's underline); in the middle of a narrow one.
            let m = self.t.line_h().min((e - s) / 2.0);
            let y = want.clamp(s + m, e - m);
            if best.is_none_or(|(q, ..)| (y - want).abs() < (q - want).abs()) {
                best = Some((y, s, e));
            }
        }
        best.map(|(y, s, e)| (y + bias).clamp(s + 0.25 * (e - s), e - 0.25 * (e - s)))
    }
}

/// Does the path from `from` through `path` pass none of `blocks`?
fn clear(blocks: &[Rect], mut from: Point, path: &[Point]) -> bool {
    for p in path {
        for b in blocks {
            if b.crossed_by(from, *p) {
                return false;
            }
        }
        from = *p;
    }
    true
}
