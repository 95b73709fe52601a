// End-to-end: presenter mode and clickers, predict mode, metrics, themes, accessibility (axe-core),
// keyboard-only use, reduced motion, a touch tablet, and hosting under a sub-path.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, browser, open, shot } from './harness.mjs';

const axePath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', 'axe-core', 'axe.min.js');
let srv, b;
before(async () => { srv = await serve(); b = await browser(); });
after(async () => { await b?.close(); await srv?.close(); });

const counter = (page) => page.getByTestId('counter').textContent();

test('presenter mode: large strip, side panel hidden, clicker keys and full screen', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#lesson=happy-path`);
  await page.keyboard.press('p');
  assert.equal(await page.locator('.side').isVisible(), false);
  const strip = page.getByTestId('presenter-strip');
  assert.ok(await strip.isVisible());
  const size = await strip.locator('.strip-text').evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
  assert.ok(size >= 28, `narration at ${size}px`);
  // Clickers: PageDown steps, PageUp steps back, "." plays and pauses.
  await page.keyboard.press('PageDown');
  await page.keyboard.press('PageDown');
  assert.match(await counter(page), /step 2 \//);
  await page.keyboard.press('PageUp');
  assert.match(await counter(page), /step 1 \//);
  await page.keyboard.press('.');
  assert.equal(await page.getByTestId('play').getAttribute('aria-pressed'), 'true');
  await page.keyboard.press('.');
  assert.equal(await page.getByTestId('play').getAttribute('aria-pressed'), 'false');
  // F asks for full screen.
  await page.keyboard.press('f');
  await page.waitForFunction(() => document.fullscreenElement !== null);
  await page.keyboard.press('f');
  await page.waitForFunction(() => document.fullscreenElement === null);
  await shot(page, '30-presenter');
  assert.deepEqual(errors, []);
  await context.close();
});

test('presenter spotlight dims everything but the chosen node and its messages', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#lesson=happy-path`);
  for (let i = 0; i < 3; i++) await page.getByTestId('lesson-next').click();
  await page.getByTestId('presenter').click();
  await page.getByTestId('node-A2').click();
  const svg = page.getByTestId('cluster');
  assert.match(await svg.getAttribute('class'), /spotlit/);
  assert.match(await page.getByTestId('node-A2').getAttribute('class'), /\blit\b/);
  assert.doesNotMatch(await page.getByTestId('node-A1').getAttribute('class'), /\blit\b/);
  const opacity = await page.getByTestId('node-A1').evaluate((e) => getComputedStyle(e).opacity);
  assert.ok(Number(opacity) < 0.5, `A1 is dimmed (${opacity})`);
  // Still interactive: the menu works, and Escape clears the spotlight.
  assert.ok(await page.getByTestId('crash').isVisible());
  await page.keyboard.press('Escape');
  assert.doesNotMatch(await svg.getAttribute('class'), /spotlit/);
  await shot(page, '31-spotlight');
  assert.deepEqual(errors, []);
  await context.close();
});

test('predict mode asks before a delivery, checks the answer and keeps a score', async () => {
  const { page, errors, context } = await open(b, srv.url);
  await page.getByTestId('predict').click();
  await page.getByTestId('start').click();
  await page.getByTestId('step').click(); // request → P1: a question first
  const q = page.getByTestId('question');
  await q.waitFor();
  assert.match(await q.textContent(), /Will P1 start a new ballot/);
  assert.match(await counter(page), /step 1 \/ 1/, 'nothing happens before the answer');
  await page.getByTestId('choice-0').click(); // Yes
  assert.match(await page.getByTestId('predict-feedback').textContent(), /^Right/);
  assert.match(await counter(page), /step 2 \/ 2/);
  await page.getByTestId('step').click();
  assert.match(await q.textContent(), /Will A\d promise, or refuse\?/);
  await page.getByTestId('choice-1').click(); // Refuse: wrong
  assert.match(await page.getByTestId('predict-feedback').textContent(), /Not quite: the answer was Promise 1\.1/);
  assert.equal(await page.getByTestId('score').textContent(), '1 of 2 right');
  await page.getByTestId('step').click();
  await page.getByTestId('skip-question').click();
  assert.equal(await page.getByTestId('score').textContent(), '1 of 2 right', 'skipping does not score');
  await shot(page, '32-predict');
  assert.deepEqual(errors, []);
  await context.close();
});

test('predict mode works inside a lesson too', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#lesson=value-adoption`);
  await page.getByTestId('predict').click();
  let asked = 0;
  for (let i = 0; i < 80 && !(await page.getByTestId('lesson-next').isDisabled()); i++) {
    await page.getByTestId('lesson-next').click();
    if (await page.getByTestId('question').count()) {
      asked++;
      if (/Which value must P2 propose/.test(await page.getByTestId('question').textContent())) {
        const labels = await page.locator('.predict-card .choice').allTextContents();
        await page.getByTestId(`choice-${labels.indexOf('"X"')}`).click();
        assert.match(await page.getByTestId('predict-feedback').textContent(), /^Right: "X"/);
      } else {
        await page.getByTestId('choice-0').click();
      }
    }
  }
  assert.ok(asked >= 10, `asked ${asked} questions`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('metrics: this run by phase, and the experiment charts', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#lesson=happy-path`);
  for (let i = 0; i < 24; i++) await page.getByTestId('lesson-next').click();
  await page.getByTestId('open-metrics').click();
  const t = page.getByTestId('run-metrics');
  assert.match(await t.textContent(), /Phase 1 \(prepare, promise\)6/);
  assert.match(await t.textContent(), /All messages23/);
  assert.match(await t.textContent(), /chosen after 10 steps/);
  await page.getByTestId('run-experiment').click();
  assert.equal(await page.locator('.chart').count(), 2);
  assert.match(await page.locator('.chart svg').first().getAttribute('aria-label'), /1 → \d+ msgs, 3 → \d+ msgs/);
  await shot(page, '33-metrics');
  assert.deepEqual(errors, []);
  await context.close();
});

test('light and dark themes; the choice is remembered', async () => {
  const { page, errors, context } = await open(b, srv.url);
  const bg = () => page.locator('.app').evaluate((e) => getComputedStyle(e).backgroundColor);
  const light = await bg();
  await page.getByTestId('theme').click();
  assert.notEqual(await bg(), light);
  assert.match(await page.locator('.app').getAttribute('class'), /theme-dark/);
  await page.reload();
  await page.getByTestId('cluster').waitFor();
  assert.match(await page.locator('.app').getAttribute('class'), /theme-dark/);
  await shot(page, '34-dark');
  assert.deepEqual(errors, []);
  await context.close();
});

async function audit(page, label) {
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) await page.addScriptTag({ path: axePath });
  const bad = await page.evaluate(async () => (await axe.run(document)).violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`));
  assert.deepEqual(bad, [], `${label}: ${bad.join('; ')}`);
}

test('axe-core finds no serious or critical violations anywhere', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#lesson=value-adoption`);
  await audit(page, 'start of a lesson');
  for (let i = 0; i < 21; i++) await page.getByTestId('lesson-next').click();
  await audit(page, 'mid-lesson');
  await page.getByTestId('node-C1').click();
  await audit(page, 'node menu');
  await page.keyboard.press('Escape');
  await page.locator('[data-testid^="msg-"].in-flight').first().click();
  await audit(page, 'message menu');
  await page.keyboard.press('Escape');
  for (const open of ['open-explorer', 'open-metrics', 'help']) {
    await page.getByTestId(open).click();
    await audit(page, open);
    await page.keyboard.press('Escape');
  }
  await page.getByTestId('lessons').click();
  await audit(page, 'lessons menu');
  await page.keyboard.press('Escape');
  await page.getByTestId('open-spacetime').click();
  await audit(page, 'space-time');
  await page.getByTestId('predict').click();
  await page.getByTestId('lesson-next').click();
  await audit(page, 'predict');
  await page.getByTestId('theme').click();
  await audit(page, 'dark theme');
  await page.keyboard.press('p');
  await audit(page, 'presenter');
  assert.deepEqual(errors, []);
  await context.close();
});

test('every action is reachable by keyboard, with a visible focus', async () => {
  const { page, errors, context } = await open(b, srv.url);
  // Tab to C1's node button, open its menu with Enter, and send the request.
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement?.closest('[data-testid=node-C1]') !== null)) break;
  }
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement.querySelector('.glyph')).strokeWidth);
  assert.equal(outline, '5px', 'the focused node is outlined');
  await page.keyboard.press('Enter');
  await page.getByTestId('menu').waitFor();
  await page.getByTestId('request').focus();
  await page.keyboard.press('Enter');
  assert.match(await counter(page), /step 1 \/ 1/);
  // Then a message token: focus, Enter, and deliver.
  await page.keyboard.press('ArrowRight'); // P1 gets the request
  const tok = page.locator('[data-testid^="msg-"].in-flight').first();
  await tok.focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('deliver').focus();
  await page.keyboard.press('Enter');
  assert.match(await counter(page), /step 3 \/ 3/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('narration is spoken through a live region', async () => {
  const { page, errors, context } = await open(b, srv.url);
  const region = page.getByTestId('narration');
  assert.equal(await region.getAttribute('aria-live'), 'polite');
  await page.getByTestId('start').click();
  assert.match(await region.textContent(), /C1 asks P1/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('reduced motion: tokens do not glide', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#lesson=happy-path`, { reducedMotion: 'reduce' });
  await page.getByTestId('lesson-next').click();
  const t = await page.locator('[data-testid^="msg-"]').first().evaluate((e) => getComputedStyle(e).transitionProperty);
  assert.doesNotMatch(t, /transform/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a 768 px touch tablet: everything fits and a tap opens the menus', async () => {
  const ctx = await b.newContext({ viewport: { width: 768, height: 1024 }, hasTouch: true, isMobile: true });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${srv.url}#lesson=happy-path`);
  await page.getByTestId('cluster').waitFor();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 768, `no sideways scrolling (${width}px)`);
  await page.getByTestId('node-A1').tap();
  await page.getByTestId('crash').tap();
  assert.match(await page.getByTestId('node-A1').getAttribute('class'), /crashed/);
  await page.getByTestId('node-C1').tap();
  await page.getByTestId('request').tap();
  await page.getByTestId('step').tap();
  assert.match(await page.getByTestId('counter').textContent(), /step 3 \/ 3/);
  await shot(page, '35-tablet');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('dist/ works from a sub-path', async () => {
  const sub = await serve('/courses/paxos/');
  try {
    const { page, errors, context } = await open(b, `${sub.url}#lesson=happy-path`);
    await page.getByTestId('lesson-next').click();
    assert.match(await page.getByTestId('counter').textContent(), /step 1 \//);
    assert.match(page.url(), /\/courses\/paxos\/#s=1/);
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    await sub.close();
  }
});
