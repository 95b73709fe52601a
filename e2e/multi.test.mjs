// End-to-end: Multi-Paxos mode in Chromium. Switch to multi mode in the config dialog, send a
// stream of commands, and watch the log grid fill and its chosen prefix grow; a share link
// carries the mode and reloads the same log.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, browser, open, shot, until, text, attr, count } from './harness.mjs';

let srv, b;
before(async () => { srv = await serve(); b = await browser(); });
after(async () => { await b?.close(); await srv?.close(); });

/// Steps until `done()` holds, waiting for each step's counter to move.
async function stepUntil(page, done, max = 80) {
  for (let i = 0; i < max; i++) {
    if (await done()) return i;
    const before = await page.getByTestId('counter').textContent();
    await page.getByTestId('step').click();
    await until(() => page.getByTestId('counter').textContent(), (t) => t !== before, 'the next step');
  }
  throw new Error('condition not reached');
}

const prefix = (page) => page.getByTestId('log-prefix').getAttribute('data-prefix').then(Number);

async function sendNext(page) {
  await page.getByTestId('node-C1').click();
  await page.getByTestId('request').click();
}

test('a Redirect on the wire is drawn like any message (it once stopped the app)', async () => {
  const run = 'L35~q-C1-X1~q-C2-Y1' + '~t'.repeat(25) + '~q-C1-X2~q-C2-Y2~t~t~t';
  const { page, errors, context } = await open(b, `${srv.url}#s=7&n=2.2.3.1&md=multi&run=${run}`);
  await text(page.getByTestId('counter'), /^step 33 \/ 33/);
  await text(page.locator('.token.kind-redirect'), /Redirect "X2" → P1/);
  await count(page.getByTestId('panic'), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a node menu stays inside the canvas, under the top bar, even above a short cluster', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#s=42&n=2.2.3.1&md=multi`);
  await page.getByTestId('node-C2').click();
  await page.getByTestId('menu').waitFor();
  await until(async () => {
    const menu = await page.getByTestId('menu').boundingBox();
    const canvas = await page.locator('.canvas').boundingBox();
    return menu && canvas && menu.y >= canvas.y - 1;
  }, (ok) => ok, 'the menu inside the canvas');
  assert.deepEqual(errors, []);
  await context.close();
});

test('multi mode: commands fill the log grid and the chosen prefix grows', async () => {
  const { page, errors, context } = await open(b, srv.url);
  await page.locator('[data-testid=config] summary').click();
  await page.getByTestId('mode-multi').check();
  await page.getByTestId('apply').click();
  await page.getByTestId('log-grid').waitFor();
  assert.match(page.url(), /md=multi/);
  await text(page.getByTestId('log-prefix'), /nothing chosen from s1 yet/);
  // Before any command, P1 (whom the clients call leader) has no ballot and says when it will lead.
  await text(page.getByTestId('phase-P1'), /no ballot yet: leads when a command comes$/);
  await text(page.getByTestId('node-P1'), /idle.*leader-to-be/s);

  // The first command: Phase 1 for every slot from s1, then Accept s1.
  await sendNext(page);
  await stepUntil(page, async () => (await prefix(page)) >= 1);
  await text(page.getByTestId('log-slot-1'), /X1/);
  // A short prefix's words stand after its bar, not over slots that are not chosen.
  await until(() => page.getByTestId('log-prefix').evaluate((w) => {
    const bar = w.querySelector('.log-watermark-bar').getBoundingClientRect();
    const words = w.querySelector('span').getBoundingClientRect();
    return bar.width > 0 && words.left >= bar.right - 1;
  }), (ok) => ok, 'the prefix words after the bar');
  await text(page.getByTestId('log-bracket-P1'), /Phase 1 done for slots ≥ s1, ballot 1\.1/);
  // A majority of acceptors hold "X1" in s1 at ballot 1.1, and their cells are marked chosen.
  await until(() => page.locator('.log-cell.accepted.chosen', { hasText: '1.1 X1' }).count(), (n) => n >= 2, 'two chosen cells in s1');

  // The second command skips Phase 1: the leader assigns it slot 2 at once.
  await sendNext(page);
  await stepUntil(page, async () => (await prefix(page)) >= 2);
  await text(page.getByTestId('log-slot-2'), /X2/);
  await text(page.getByTestId('log-prefix'), /s1–s2 chosen, no gap/);
  await stepUntil(page, async () => (await page.getByTestId('log-applied-L1').getAttribute('data-applied')) === '2');
  await shot(page, '40-multi-log-grid');
  // The phases panel follows the log's proposers: P1 leads, P2 follows, and the ballot in use is
  // not counted as wasted.
  await text(page.getByTestId('phase-P1'), /leading: one Accept round per command/);
  await text(page.getByTestId('phase-P2'), /follower · believes P1 leads/);
  await text(page.getByTestId('ballots-wasted'), /wasted: 0/);

  // The link carries the mode: reloading it shows the same log.
  const url = page.url();
  const again = await open(b, url);
  await again.page.getByTestId('log-grid').waitFor();
  await attr(again.page.getByTestId('log-prefix'), 'data-prefix', '2');
  await again.context.close();

  assert.deepEqual(errors, []);
  await context.close();
});

test('multi mode fits at 1920x1080 and 1280x720 without overlaps', async () => {
  for (const [width, height] of [[1920, 1080], [1280, 720]]) {
    const { page, errors, context } = await open(b, `${srv.url}#s=42&n=2.2.3.1&md=multi&run=q-C1-X1`, { width, height });
    await page.getByTestId('log-grid').waitFor();
    await stepUntil(page, async () => (await prefix(page)) >= 1);
    // The safety panel speaks of the log: one value per slot, applied in slot order.
    await text(page.getByTestId('invariants'), /At most one value is chosen in each slot[\s\S]*apply the log in slot order/);
    const boxes = await page.evaluate(() => {
      const r = (el) => el.getBoundingClientRect();
      const grid = r(document.querySelector('[data-testid=log-grid]'));
      const cards = [...document.querySelectorAll('[data-testid^="node-"]')].map(r);
      return { grid, cards, vw: innerWidth };
    });
    const overlaps = boxes.cards.filter((c) => c.left < boxes.grid.right && boxes.grid.left < c.right && c.top < boxes.grid.bottom && boxes.grid.top < c.bottom);
    assert.equal(overlaps.length, 0, `${width}x${height}: the log grid covers no node card`);
    assert.ok(boxes.grid.right <= boxes.vw + 1, `${width}x${height}: the grid fits the width`);
    await shot(page, `41-multi-${width}x${height}`);
    assert.deepEqual(errors, []);
    await context.close();
  }
});
