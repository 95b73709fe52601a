// End-to-end: the lecturer's review, item by item, in Debian's Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, browser, open, shot, until, text as waitText, attr, count, step as waitStep } from './harness.mjs';

let srv, b;
before(async () => { srv = await serve(); b = await browser(); });
after(async () => { await b?.close(); await srv?.close(); });

/** Waits until the locator's text matches `re`, then returns the text. The locator is looked up
 *  again on every read: an element can be replaced (a notice about one step goes when the step
 *  changes, and the next notice is a new element). */
async function textMatching(locator, re, timeout = 60_000) {
  const read = async () => ((await locator.count()) ? locator.first().textContent() : '');
  return until(read, (t) => re.test(t ?? ''), `text ${re}`, timeout);
}

/** Is the element fully inside the window and the topmost thing at its centre? */
const inView = (locator) => locator.evaluate((el) => {
  const r = el.getBoundingClientRect();
  const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
  return r.width > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth && el.contains(top);
});

// 1. The explorer's verdict stays on screen, with the bounds it searched, while its
//    counterexample plays.

const COUNTEREXAMPLE = /^Counterexample after \d+ states, (\d+) steps long, searching 3 ballots, 0 crashes, 0 duplicates, 0 drops( \(rule broken at step \d+, harm at step \d+\))?: .+/;

test('the explorer verdict stays on screen while its counterexample plays, and says what was searched', async () => {
  const { page, errors, context } = await open(b, srv.url);
  await page.locator('[data-testid=config] summary').click();
  await page.getByTestId('mutation-minority_quorum').check();
  await page.getByTestId('apply').click();
  await page.getByTestId('open-explorer').click();
  await page.getByTestId('explore-run').click();
  // The dialog closes so the cluster can be watched; the verdict moves to the side panel.
  const card = page.getByTestId('explore-card');
  const text = await textMatching(page.getByTestId('explore-card-text'), COUNTEREXAMPLE);
  assert.equal(await card.getAttribute('data-verdict'), 'counterexample');
  assert.equal(await page.getByTestId('explorer').count(), 0, 'the dialog is closed');
  // It is in view at the start and still there when play pauses where safety breaks.
  assert.ok(await inView(card), 'the verdict is in view as the counterexample starts');
  // It pauses where the switched-off rule breaks, then, played on, where safety breaks.
  // (There the narration names the rule and may push the card below the fold.)
  await textMatching(page.getByTestId('notice'), /Paused: a switched-off rule broke/);
  await page.getByTestId('play').click();
  await textMatching(page.getByTestId('notice'), /Paused: safety broke/);
  assert.ok(await inView(card), 'the verdict is in view where safety breaks');
  const [, at, total] = (await page.getByTestId('counter').textContent()).match(/step (\d+) \/ (\d+)/);
  assert.equal(at, total);
  assert.equal(text.match(COUNTEREXAMPLE)[1], total, 'K steps long is the length of the timeline');
  await shot(page, '40-explorer-verdict-kept');
  // Reopened, the dialog shows the same verdict (and the card steps aside); closed, it is back.
  await page.getByTestId('explore-card-open').click();
  assert.equal(await textMatching(page.getByTestId('verdict').locator('p').first(), COUNTEREXAMPLE), text);
  assert.equal(await card.count(), 0);
  await page.keyboard.press('Escape');
  await card.waitFor();
  // Play it again starts it over; dismiss forgets it.
  await page.getByTestId('explore-card-replay').click();
  await textMatching(page.getByTestId('notice'), /counterexample is loaded: it plays from step 0/);
  await page.getByTestId('explore-card-dismiss').click();
  await card.waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
  await context.close();
});

test('on a tablet, the narration of the harm step shows whole, and the verdict card follows it', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#s=42&n=2.2.3.1&mu=minority_quorum`, { width: 768, height: 1024 });
  await page.getByTestId('open-explorer').click();
  await page.getByTestId('explore-run').click();
  await textMatching(page.getByTestId('notice'), /Paused: a switched-off rule broke/);
  await page.getByTestId('play').click();
  await textMatching(page.getByTestId('notice'), /Paused: safety broke/);
  // The side panel sits under the canvas and is short: the card above must not push the words
  // about the step on screen out of sight.
  const whole = () => page.evaluate(() => {
    const side = document.querySelector('.side').getBoundingClientRect();
    const n = document.querySelector('.side [data-testid=narration]').getBoundingClientRect();
    return n.top >= side.top - 1 && n.bottom <= side.bottom + 1 && /Safety is broken/.test(document.querySelector('.side [data-testid=narration]').textContent);
  });
  await until(whole, (ok) => ok, 'the whole narration in the side panel');
  // The card comes next, its verdict in the panel's view.
  const cardTop = await page.evaluate(() => {
    const side = document.querySelector('.side').getBoundingClientRect();
    const t = document.querySelector('[data-testid=explore-card-text]').getBoundingClientRect();
    return t.top >= side.top && t.top < side.bottom;
  });
  assert.ok(cardTop, 'the verdict card starts inside the side panel');
  await shot(page, '41-tablet-harm-narration');
  assert.deepEqual(errors, []);
  await context.close();
});

test('on a tablet, a lesson keeps its caption and the narration of the step in view', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#lesson=happy-path&beat=13`, { width: 768, height: 1024 });
  await page.getByTestId('lesson-card').waitFor();
  await page.keyboard.press('PageDown');
  await textMatching(page.getByTestId('lesson-progress'), /beat 14 of 14/);
  // The lesson's card (caption, your turn, the lesson's end) pushes the narration below the
  // short panel; the panel scrolls to show it, but never past the caption's top.
  const seen = () => page.evaluate(() => {
    const side = document.querySelector('.side').getBoundingClientRect();
    const n = document.querySelector('.side [data-testid=narration]').getBoundingClientRect();
    const c = document.querySelector('.side [data-testid=caption]').getBoundingClientRect();
    return n.bottom <= side.bottom + 1 && c.top >= side.top - 1;
  });
  await until(seen, (ok) => ok, 'the caption and the narration both in the panel');
  // Wherever the panel scrolls, the narration's sticky heading says which beat this is.
  await textMatching(page.getByTestId('narration-beat'), /^ · beat 14 of 14$/);
  assert.ok(await page.getByTestId('narration-beat').isVisible(), 'the beat shows in the heading');
  assert.deepEqual(errors, []);
  await context.close();
});

test('on a tablet, a lesson link opens with the lesson\'s number, title and progress in view', async () => {
  // A classmate's link at beat 6: the panel opened scrolled to the narration, the card's head
  // (which lesson, which beat) under the canvas.
  const { page, errors, context } = await open(b, `${srv.url}#lesson=value-adoption&beat=6`, { width: 768, height: 1024 });
  await textMatching(page.getByTestId('lesson-progress'), /^beat 6 of/);
  for (const el of [page.locator('.lesson-card h2'), page.locator('.lesson-card .lesson-title'), page.getByTestId('lesson-progress')]) {
    await until(() => inView(el), (v) => v, 'the lesson\'s head in view');
  }
  assert.equal(await page.locator('.side').evaluate((s) => s.scrollTop), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('on a touch tablet every visible control is at least 44 px tall, and the small ones as wide', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#lesson=happy-path&at=8`, { width: 768, height: 1024, touch: true });
  await page.getByTestId('lesson-card').waitFor();
  // Open the failure controls too: their toggles and chips are the smallest things to tap.
  await page.locator('.side').evaluate((s) => s.querySelectorAll('details').forEach((d) => { d.open = true; }));
  const small = () => page.evaluate(() => [...document.querySelectorAll('button, select, .chip, input:not([type=checkbox]):not([type=radio]):not([type=range])')]
    .filter((e) => e.getClientRects().length)
    .map((e) => ({ id: e.dataset.testid || e.textContent.trim().slice(0, 16), r: e.getBoundingClientRect() }))
    .filter(({ r }) => r.height < 43.5 || r.width < 43.5)
    .map(({ id, r }) => `${id} ${Math.round(r.width)}x${Math.round(r.height)}`));
  await until(small, (l) => l.length === 0, 'no control under 44 px');
  // A switch is tapped by its label: each is a finger tall, its box larger than the desktop's.
  await page.getByTestId('config').evaluate((d) => { d.open = true; });
  const switches = await page.locator('.side label.check').evaluateAll((ls) => ls.filter((l) => l.getClientRects().length)
    .map((l) => ({ h: l.getBoundingClientRect().height, box: l.querySelector('input').getBoundingClientRect().width })));
  assert.ok(switches.length >= 8, `${switches.length} switches seen`);
  for (const s of switches) assert.ok(s.h >= 43.5 && s.box >= 21.5, `a switch ${JSON.stringify(s)} is too small to tap`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a run opened at step 0 offers to replay it, not to start another', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#s=7&n=2.2.3.1&run=q-C1-X~d1~d2&at=0`);
  await textMatching(page.getByTestId('narration'), /This run has 3 recorded steps: Step \(→\) replays them/);
  await count(page.getByTestId('start'), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a safe verdict restates its bounds and the cluster, and leaves when the config changes', async () => {
  const { page, errors, context } = await open(b, srv.url);
  await page.getByTestId('open-explorer').click();
  await page.getByTestId('bound-rounds').fill('1');
  await page.getByTestId('explore-run').click();
  const safe = /^Safe within these bounds: no violation in \d+ states \(1 ballot in all, 0 crashes, 0 duplicates, 0 drops; 2 clients, 2 proposers, 3 acceptors, 1 learner\)$/;
  await textMatching(page.getByTestId('verdict'), safe);
  await page.keyboard.press('Escape');
  await textMatching(page.getByTestId('explore-card-text'), safe);
  assert.equal(await page.getByTestId('explore-card').getAttribute('data-verdict'), 'safe');
  // Another cluster is another question: the verdict is not shown against it.
  await page.goto(`${srv.url}#s=42&n=2.2.5.1`);
  await page.getByTestId('cluster').waitFor();
  await page.getByTestId('explore-card').waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
  await context.close();
});

// 2. The space-time diagram: arrows carry labels that never overlap, all its text is at least
//    13 px on screen, and its dark-theme arrows stand out at least 3:1.

/** Every text in the diagram: its size on screen, from the computed font size and the SVG's scale. */
const diagramText = (page) => page.getByTestId('spacetime').evaluate((root) => {
  const out = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || el.closest('title')) continue;
    const svg = el.closest('svg');
    const scale = svg ? svg.getScreenCTM().a : 1;
    const r = el.getBoundingClientRect();
    out.push({ text: n.textContent.trim(), px: parseFloat(getComputedStyle(el).fontSize) * scale, height: r.height });
  }
  return out;
});

/** The labels' boxes on screen, and any two that overlap. */
const labelBoxes = (page) => page.evaluate(() => {
  const svg = document.querySelector('svg.spacetime-svg').getBoundingClientRect();
  const boxes = [...document.querySelectorAll('.st-label')].map((t) => ({ text: t.textContent, r: t.getBoundingClientRect() }));
  const overlaps = [];
  boxes.forEach((a, i) => boxes.slice(0, i).forEach((b) => {
    if (a.r.left < b.r.right - 0.5 && b.r.left < a.r.right - 0.5 && a.r.top < b.r.bottom - 0.5 && b.r.top < a.r.bottom - 0.5) overlaps.push(`${a.text} / ${b.text}`);
  }));
  const outside = boxes.filter((x) => x.r.left < svg.left || x.r.right > svg.right).map((x) => x.text);
  return { texts: boxes.map((x) => x.text), overlaps, outside };
});

/** WCAG contrast of two computed colours ("rgb(r, g, b)"). */
function contrast(a, b) {
  const lum = (c) => {
    const [r, g, bl] = c.match(/[\d.]+/g).slice(0, 3).map((v) => Number(v) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

test('the space-time diagram labels its arrows legibly, and its dark arrows stand out', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#lesson=happy-path&at=12`);
  await waitStep(page, /step 12 \//);
  await page.getByTestId('open-spacetime').click();
  await page.getByTestId('spacetime').waitFor();
  await page.locator('.st-label').first().waitFor();
  const { texts, overlaps, outside } = await labelBoxes(page);
  for (const want of ['Request "X"', 'Prepare 1.1', 'Promise 1.1', 'Accept 1.1 "X"', 'Accepted 1.1']) assert.ok(texts.includes(want), `${want} in ${texts}`);
  assert.deepEqual(overlaps, [], 'no label overlaps another');
  assert.deepEqual(outside, [], 'no label is cut off at the edges');
  // Every text of the diagram, labels, step numbers and node names included, is 13 px or more.
  const sizes = await diagramText(page);
  assert.ok(sizes.some((s) => s.text === '12') && sizes.some((s) => s.text === 'A3'));
  const small = sizes.filter((s) => s.px < 13 || s.height < 13);
  assert.deepEqual(small, [], 'text under 13 px');
  console.log(`# diagram text: ${Math.min(...sizes.map((s) => s.px))} px at the smallest, ${sizes.length} texts`);
  await shot(page, '41-spacetime-labels');
  // Dark theme: every arrow and arrowhead is at least 3:1 against the panel, the current row and
  // a row under the pointer.
  await page.getByTestId('theme').click();
  await page.locator('.app.theme-dark').waitFor();
  // Point at a row by its step number, where no arrow is, so the row shows its hover colour.
  const step = await page.getByTestId('st-row-10').locator('text').boundingBox();
  await page.mouse.move(step.x + 2, step.y + step.height / 2);
  const colours = await page.evaluate(() => ({
    panel: getComputedStyle(document.querySelector('.drawer')).backgroundColor,
    row: getComputedStyle(document.querySelector('.st-row.current rect')).fill,
    hovered: getComputedStyle(document.querySelector('[data-testid=st-row-10] rect')).fill,
    strokes: [...document.querySelectorAll('.st-arrow line:not(.st-hit)')].map((l) => [l.closest('.st-arrow').getAttribute('class'), getComputedStyle(l).stroke]),
    head: getComputedStyle(document.querySelector('#st-head path')).fill,
  }));
  let least = Infinity;
  for (const [kind, stroke] of [...colours.strokes, ['arrowhead', colours.head]]) {
    for (const bg of [colours.panel, colours.row, colours.hovered]) {
      const c = contrast(stroke, bg);
      least = Math.min(least, c);
      assert.ok(c >= 3, `${kind}: ${stroke} on ${bg} is ${c.toFixed(2)}:1`);
    }
  }
  assert.notEqual(colours.hovered, colours.panel, 'the row under the pointer is lit');
  console.log(`# dark arrows: ${least.toFixed(2)}:1 at the least`);
  await shot(page, '42-spacetime-dark');
  assert.deepEqual(errors, []);
  await context.close();
});

test('labels stay apart in a crowded diagram (20 nodes, 300 steps)', async () => {
  const run = ['l-C2-P2', 'l-C3-P3', 'q-C1-X', 'q-C2-Y', 'q-C3-Z', ...Array(295).fill('t')].join('~');
  const { page, errors, context } = await open(b, `${srv.url}#s=9&n=3.5.9.3&dp=10&ls=5&run=${run}`, { width: 1920, height: 1080 });
  await textMatching(page.getByTestId('counter'), /step 300 \/ 300/);
  await page.getByTestId('open-spacetime').click();
  await page.locator('.st-label').first().waitFor();
  const { texts, overlaps, outside } = await labelBoxes(page);
  assert.ok(texts.length > 30, `labels: ${texts.length}`);
  assert.deepEqual(overlaps, []);
  assert.deepEqual(outside, []);
  await shot(page, '43-spacetime-crowded');
  assert.deepEqual(errors, []);
  await context.close();
});

// 3. Every row of the node list shows all its controls, in the largest cluster, at three window
//    sizes.

for (const [width, height] of [[1280, 720], [1920, 1080], [768, 1024]]) {
  test(`every node row shows all its controls in the largest cluster at ${width}×${height}`, async () => {
    const { page, errors, context } = await open(b, `${srv.url}#s=1&n=3.5.9.5`, { width, height });
    // A crashed node shows "restart", the widest state of its row.
    await page.getByTestId('toggle-P5').click();
    await textMatching(page.getByTestId('toggle-P5'), /restart/);
    const rows = page.locator('.fail-row');
    assert.equal(await rows.count(), 22);
    assert.ok(await page.locator('.fail-nodes').evaluate((ul) => ul.scrollHeight <= ul.clientHeight + 1), 'the list has no scroll box of its own');
    for (let i = 0; i < 22; i++) {
      const row = rows.nth(i);
      await row.evaluate((li) => li.scrollIntoView({ block: 'center' }));
      const bad = await row.evaluate((li) => {
        const side = document.querySelector('.side').getBoundingClientRect();
        const box = li.getBoundingClientRect();
        const controls = [...li.querySelectorAll('button, input[type=checkbox], label')];
        const mid = (r) => r.top + r.height / 2;
        return controls.flatMap((c) => {
          const r = c.getBoundingClientRect();
          const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
          const problems = [];
          if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.right > side.right) problems.push('overflows its row');
          if (r.top < side.top || r.bottom > side.bottom || r.bottom > innerHeight) problems.push('is cut off');
          if (!c.contains(hit) && !(c.tagName === 'LABEL' && li.contains(hit))) problems.push(`is covered by ${hit?.className}`);
          if (Math.abs(mid(r) - mid(box)) > 6) problems.push('wrapped to another line');
          return problems.map((p) => `${li.querySelector('.fail-node').textContent} ${c.dataset.testid || c.textContent}: ${p}`);
        });
      });
      assert.deepEqual(bad, []);
    }
    if (width !== 768) {
      await page.getByTestId('toggle-A9').evaluate((el) => el.scrollIntoView({ block: 'center' }));
      await shot(page, `44-node-list-${width}`);
    }
    assert.deepEqual(errors, []);
    await context.close();
  });
}
