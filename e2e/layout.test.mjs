// End-to-end layout: nothing hides the state being talked about. At 1920×1080, 1280×720 (also in
// presenter mode, the projector case) and 768×1024, across every beat of every lesson and 50
// seeded free-play runs of the largest cluster, no token or label covers a node's glyph or state
// card, no two tokens touch, and no wire passes a node but its own. The overlaps are counted and
// printed; the count must be zero. On a 1280×720 projector, every text on the canvas is at least
// 20 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, browser, open, until } from './harness.mjs';

let srv, b;
before(async () => { srv = await serve(); b = await browser(); });
after(async () => { await b?.close(); await srv?.close(); });

const LESSONS = ['happy-path', 'one-acceptor', 'minority-crash', 'majority-crash', 'ballot-conflict', 'value-adoption',
  'dueling-proposers', 'lost-and-duplicated', 'partition', 'durability', 'leader-estimates', 'generation-clock',
  'stable-leader', 'leader-crash', 'two-leaders', 'learners-catch-up'];

/** Boxes on the canvas as the browser drew them, and every pair that must not overlap but does. */
function measure() {
  const box = (e) => { const r = e.getBoundingClientRect(); return { x: r.left, y: r.top, w: r.width, h: r.height }; };
  const hit = (a, c) => a.x < c.x + c.w - 0.5 && c.x < a.x + a.w - 0.5 && a.y < c.y + c.h - 0.5 && c.y < a.y + a.h - 0.5;
  const solid = [];
  for (const n of document.querySelectorAll('.node')) {
    const id = n.getAttribute('data-testid');
    solid.push([`${id} glyph`, box(n.querySelector('.glyph'))]);
    solid.push([`${id} card`, box(n.querySelector('.card-bg'))]);
    n.querySelectorAll('.badge rect').forEach((r, k) => solid.push([`${id} badge ${k}`, box(r)]));
  }
  // Ghosts of what just arrived or was lost end invisible; only what waits is measured.
  const tokens = [...document.querySelectorAll('.token:not(.ghost) .pill')]
    .map((p) => [p.closest('.token').getAttribute('data-testid'), box(p)]);
  const labels = [...document.querySelectorAll('.highlight-label, .partition-legend, .column-title')]
    .map((t) => [t.getAttribute('class'), box(t)]);
  const bad = [];
  for (const [a, ra] of [...tokens, ...labels]) for (const [s, rs] of solid) if (hit(ra, rs)) bad.push(`${a} covers ${s}`);
  for (let i = 0; i < tokens.length; i++) for (let j = i + 1; j < tokens.length; j++) {
    if (hit(tokens[i][1], tokens[j][1])) bad.push(`${tokens[i][0]} overlaps ${tokens[j][0]}`);
  }
  // A wire passes no node but the one at its end: a Commit to a learner, drawn straight, ran
  // through an acceptor's hexagon as if it were going there.
  const svg = document.querySelector('svg.cluster');
  const ctm = svg.getScreenCTM();
  const crosses = (r, a, c) => {
    let [t0, t1] = [0, 1];
    const [dx, dy] = [c.x - a.x, c.y - a.y];
    for (const [p, q] of [[-dx, a.x - r.x], [dx, r.x + r.w - a.x], [-dy, a.y - r.y], [dy, r.y + r.h - a.y]]) {
      if (p === 0) { if (q < 0) return false; } else if (p < 0) t0 = Math.max(t0, q / p); else t1 = Math.min(t1, q / p);
    }
    return t0 < t1;
  };
  const shrink = (r, d) => ({ x: r.x + d, y: r.y + d, w: r.w - 2 * d, h: r.h - 2 * d });
  const nodes = [...document.querySelectorAll('.node')]
    .map((n) => [n.getAttribute('data-testid'), box(n.querySelector('.glyph')), box(n.querySelector('.card-bg'))]);
  const inside = (p, r) => p.x >= r.x - 3 && p.x <= r.x + r.w + 3 && p.y >= r.y - 3 && p.y <= r.y + r.h + 3;
  for (const w of document.querySelectorAll('polyline.wire')) {
    const pts = [...w.points].map((p) => { const q = p.matrixTransform(ctm); return { x: q.x, y: q.y }; });
    const ends = [pts[0], pts[pts.length - 1]];
    for (const [id, glyph, card] of nodes) {
      // The wire's own node: its glyph is where the wire ends, but not its card.
      const own = ends.some((e) => inside(e, glyph));
      for (const [part, r] of own ? [['card', card]] : [['glyph', glyph], ['card', card]]) {
        if (pts.slice(1).some((c, i) => crosses(shrink(r, 1), pts[i], c))) bad.push(`a ${w.getAttribute('class')} passes ${id} ${part}`);
      }
    }
  }
  const sizes = [...document.querySelectorAll('svg.cluster text')].map((t) => parseFloat(getComputedStyle(t).fontSize));
  return { bad, minFont: Math.min(...sizes), tokens: tokens.length };
}

/**
 * Moves the open page to `hash` (written as the app writes it) and waits until the app has
 * loaded it and drawn it.
 */
async function go(page, hash) {
  await page.evaluate((h) => { location.hash = h; }, hash);
  await until(() => page.evaluate(() => location.hash.slice(1)), (h) => h === hash, `the page at ${hash.slice(0, 60)}`);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

const SIZES = [
  { width: 1920, height: 1080, presenter: false },
  { width: 1280, height: 720, presenter: false },
  { width: 1280, height: 720, presenter: true },
  { width: 768, height: 1024, presenter: false },
];

test('no token, label or wire covers a node at any beat of any lesson, at every screen size', async () => {
  let checked = 0;
  const bad = [];
  let minProjectorFont = Infinity;
  let smallestAt = "";
  for (const size of SIZES) {
    const { page, errors, context } = await open(b, `${srv.url}#lesson=happy-path`, { ...size, reducedMotion: 'reduce' });
    for (const id of LESSONS) {
      const beats = await (async () => {
        await go(page, `lesson=${id}&beat=0${size.presenter ? '&p=1' : ''}`);
        const p = size.presenter ? page.getByTestId('presenter-strip') : page.getByTestId('lesson-card');
        return Number((await p.getByTestId('lesson-progress').textContent()).match(/of (\d+)/)[1]);
      })();
      for (let k = 0; k <= beats; k++) {
        await go(page, `lesson=${id}&beat=${k}${size.presenter ? '&p=1' : ''}`);
        const m = await page.evaluate(measure);
        checked++;
        bad.push(...m.bad.map((x) => `${size.width}×${size.height}${size.presenter ? ' presenter' : ''} ${id} beat ${k}: ${x}`));
        if (size.presenter && size.width === 1280 && m.minFont < minProjectorFont) {
          minProjectorFont = m.minFont;
          smallestAt = `${id} beat ${k}`;
        }
      }
    }
    assert.deepEqual(errors, []);
    await context.close();
  }
  console.log(`layout: ${checked} lesson beats measured at ${SIZES.length} screen sizes: ${bad.length} overlaps; smallest canvas text on a 1280×720 projector: ${minProjectorFont} px`);
  assert.deepEqual(bad.slice(0, 20), [], `${bad.length} overlaps`);
  assert.ok(minProjectorFont >= 20, `canvas text at ${minProjectorFont}px on a 1280×720 projector (${smallestAt})`);
});

test('no token, label or wire covers a node in 50 seeded free-play runs of the largest cluster', async () => {
  const setup = ['l-C2-P2', 'l-C3-P3', 'l-C2-P4', 'q-C1-X', 'q-C2-Y', 'q-C3-Z'];
  const steps = 90;
  let checked = 0;
  const bad = [];
  for (const size of SIZES) {
    const { page, errors, context } = await open(b, srv.url, { ...size, reducedMotion: 'reduce' });
    for (let seed = 1; seed <= 50; seed++) {
      const run = [...setup, ...Array(steps).fill('t')].join('~');
      for (let at = 10; at <= setup.length + steps; at += 15) {
        await go(page, `s=${seed}&n=3.5.9.5&ls=5&dp=10&run=${run}&at=${at}${size.presenter ? '&p=1' : ''}`);
        const m = await page.evaluate(measure);
        checked++;
        bad.push(...m.bad.map((x) => `${size.width}×${size.height} seed ${seed} step ${at}: ${x}`));
      }
    }
    assert.deepEqual(errors, []);
    await context.close();
  }
  console.log(`layout: ${checked} free-play states of the 3/5/9/5 cluster measured at ${SIZES.length} screen sizes: ${bad.length} overlaps`);
  assert.deepEqual(bad.slice(0, 20), [], `${bad.length} overlaps`);
});

test('when the canvas changes size, tokens jump to their new places instead of gliding over cards', async () => {
  // Motion on: the bug was a token gliding from where it sat in the old layout to its new place,
  // across cards that were already in theirs.
  const { page, errors, context } = await open(b, srv.url, { width: 1920, height: 1080 });
  const run = ['l-C2-P2', 'l-C3-P3', 'l-C2-P4', 'q-C1-X', 'q-C2-Y', 'q-C3-Z', ...Array(30).fill('t')].join('~');
  await go(page, `s=3&n=3.5.9.5&ls=5&dp=10&run=${run}&at=24`);
  const frames = () => page.evaluate((measureSrc) => new Promise((done) => {
    const m = new Function(`return (${measureSrc})()`);
    const bad = [];
    let n = 0;
    const tick = () => { bad.push(...m().bad); if (++n < 40) requestAnimationFrame(tick); else done(bad); };
    requestAnimationFrame(tick);
  }), measure.toString());
  // The step's own motion (tokens launched at this step) ends first.
  await until(() => page.evaluate(() => document.getAnimations().filter((a) => a.playState === 'running').length), (n) => n === 0, 'the step\'s motion to end');
  const tokens = await page.evaluate(() => document.querySelectorAll('.token:not(.ghost)').length);
  assert.ok(tokens >= 3, `${tokens} tokens in flight to watch`);
  const bad = [];
  for (const [name, change] of [
    ['presenter on', () => page.keyboard.press('p')],
    ['1280×720', () => page.setViewportSize({ width: 1280, height: 720 })],
    ['presenter off', () => page.keyboard.press('p')],
  ]) {
    const watching = frames();
    await change();
    bad.push(...(await watching).map((x) => `${name}: ${x}`));
  }
  assert.deepEqual([...new Set(bad)].slice(0, 10), [], `${bad.length} overlaps seen while the layout changed`);
  // What arrived or was lost at this step fades away; none stays drawn on the node it reached.
  await until(() => page.evaluate(() => document.getAnimations().filter((a) => a.playState === 'running').length), (n) => n === 0, 'the motion to end');
  const visibleGhosts = (p) => p.evaluate(() => [...document.querySelectorAll('.token.ghost')]
    .filter((g) => getComputedStyle(g).visibility !== 'hidden' && parseFloat(getComputedStyle(g).opacity) > 0.01).length);
  assert.equal(await visibleGhosts(page), 0, 'ghosts left drawn on the canvas after the layout changed');
  // Opened straight at a beat where a message arrives: the first drawing is a change of size too.
  const fresh = await open(b, `${srv.url}#lesson=happy-path&beat=3`, { width: 768, height: 1024 });
  await until(() => fresh.page.evaluate(() => document.querySelectorAll('.token.ghost').length), (n) => n > 0, 'the arrived Prepare');
  await until(() => fresh.page.evaluate(() => document.getAnimations().filter((a) => a.playState === 'running').length), (n) => n === 0, 'the motion to end');
  assert.equal(await visibleGhosts(fresh.page), 0, 'the arrived Prepare is left drawn over A1');
  assert.deepEqual(fresh.errors, []);
  await fresh.context.close();
  assert.deepEqual(errors, []);
  await context.close();
});
