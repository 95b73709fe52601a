// End-to-end: the cluster view driven like a lecturer would, in Debian's Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, browser, open, shot, until, text, attr, count, step } from './harness.mjs';

let srv, b;
before(async () => { srv = await serve(); b = await browser(); });
after(async () => { await b?.close(); await srv?.close(); });

const counter = (page) => page.getByTestId('counter').textContent();
const inFlight = (page) => page.locator('[data-testid^="msg-"].in-flight');

async function stepUntil(page, done, max = 60) {
  for (let i = 0; i < max; i++) {
    if (await done()) return i;
    await page.getByTestId('step').click();
  }
  throw new Error('condition not reached');
}

test('step through the happy path until the chosen banner shows', async () => {
  const { page, errors, context } = await open(b, srv.url);
  await shot(page, '01-start');
  await page.getByTestId('start').click();
  await text(page.getByTestId('narration'), /C1 asks P1 to get "X" chosen/);
  const banner = page.getByTestId('chosen-banner');
  await stepUntil(page, async () => (await banner.count()) > 0);
  assert.match(await banner.textContent(), /Chosen: "X" in ballot 1\.1/);
  assert.match(await banner.textContent(), /Found out so far: nobody yet/);
  await page.waitForTimeout(700);
  await shot(page, '02-chosen');
  // Chosen is the global view; learning comes later, and P2, which took no part, never does.
  await stepUntil(page, async () => /Found out so far: C1, C2, P1, A1, A2, A3, L1; not yet: P2\./.test(await banner.textContent()));
  assert.equal(await page.getByTestId('invariants').getAttribute('data-state'), 'ok');
  // Only single-decree's properties, in its words: no log, no slots.
  assert.doesNotMatch(await page.getByTestId('invariants').textContent(), /slot|log/);
  assert.match(await page.getByTestId('node-L1').getAttribute('data-label'), /learned "X"/);
  // Each node the banner counts carries a ✓ on the picture, acceptors told by a Commit too.
  const marked = await page.locator('[data-testid^=node-]:has(.knows-mark)').evaluateAll((els) => els.map((e) => e.dataset.testid.slice(5)));
  assert.deepEqual(marked.sort(), ['A1', 'A2', 'A3', 'C1', 'C2', 'L1', 'P1']);
  assert.match(await page.getByTestId('node-A1').getAttribute('data-label'), /knows "X" is chosen/);
  await page.waitForTimeout(700);
  await shot(page, '03-learned');
  assert.deepEqual(errors, []);
  await context.close();
});

test('Back restores the previous picture, Forward the next', async () => {
  const { page, errors, context } = await open(b, srv.url, { reducedMotion: 'reduce' });
  await page.getByTestId('start').click();
  for (let i = 0; i < 4; i++) await page.getByTestId('step').click();
  // The picture: every element with its attributes in a stable order (the DOM keeps them in
  // patch order, which is not part of what the user sees).
  const picture = () => page.getByTestId('cluster').evaluate((root) => {
    const walk = (e) => e.nodeType === 3 ? e.textContent
      : `<${e.tagName} ${[...e.attributes].map((a) => `${a.name}=${a.value}`).sort().join(' ')}>${[...e.childNodes].map(walk).join('')}</>`;
    return walk(root);
  });
  const before4 = await picture();
  const narr4 = await page.getByTestId('narration').textContent();
  await page.getByTestId('step').click();
  assert.notEqual(await picture(), before4);
  await page.getByTestId('back').click();
  assert.equal(await picture(), before4);
  assert.equal(await page.getByTestId('narration').textContent(), narr4);
  await step(page, /step 5 \/ 6/);
  await page.getByTestId('forward').click();
  await step(page, /step 6 \/ 6/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('drop a message from its menu', async () => {
  const { page, errors, context } = await open(b, srv.url);
  await page.getByTestId('start').click();
  await page.getByTestId('step').click();
  // P1's three Prepares travel as one token until they part.
  const tok = inFlight(page).first();
  await attr(tok, 'data-type', 'prepare');
  const ids = (await tok.getAttribute('data-ids')).split(' ');
  assert.equal(ids.length, 3);
  await tok.click();
  await shot(page, '04-message-menu');
  await page.getByTestId(`drop-${ids[0]}`).click();
  await text(page.getByTestId('narration'), /is dropped: it will never arrive/);
  await count(page.locator(`[data-testid="ghost-${ids[0]}"].dropped`), 1);
  await attr(inFlight(page).first(), 'data-ids', ids.slice(1).join(' '));
  assert.match(await inFlight(page).first().textContent(), /to A2 A3/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('duplicate a message: the token counts both copies', async () => {
  const { page, errors, context } = await open(b, srv.url);
  await page.getByTestId('start').click();
  await page.getByTestId('step').click();
  const tok = inFlight(page).first();
  const ids = (await tok.getAttribute('data-ids')).split(' ');
  await tok.click();
  await page.getByTestId(`duplicate-${ids[0]}`).click();
  await text(page.getByTestId('narration'), /a second copy .* is now in flight/);
  await until(() => inFlight(page).first().getAttribute('data-ids'), (v) => v.split(' ').length === 4, 'four copies');
  assert.match(await inFlight(page).first().textContent(), /A1×2/);
  // Every copy arrives; the acceptor ignores the second Prepare for the ballot it promised.
  await stepUntil(page, async () => (await page.locator('[data-type="prepare"].in-flight').count()) === 0);
  await attr(page.getByTestId('invariants'), 'data-state', 'ok');
  assert.equal(await page.locator('.log-row', { hasText: 'already promised 1.1 and answered once' }).count() > 0, true);
  assert.deepEqual(errors, []);
  await context.close();
});

test('crash and restart an acceptor', async () => {
  const { page, errors, context } = await open(b, srv.url);
  const a2 = page.getByTestId('node-A2');
  await a2.click();
  await page.getByTestId('crash').click();
  await attr(a2, 'class', /crashed/);
  await text(page.getByTestId('narration'), /A2 crashes/);
  await page.getByTestId('node-C1').click();
  await page.getByTestId('request').click();
  await stepUntil(page, async () => (await page.getByTestId('chosen-banner').count()) > 0);
  await shot(page, '05-crashed-acceptor');
  // The minority crash is harmless: A1 and A3 form a majority; messages to A2 are lost.
  assert.equal(await page.locator('.log-row', { hasText: 'A2 is crashed' }).count() > 0, true);
  await a2.click();
  await page.getByTestId('restart').click();
  await attr(a2, 'class', /^(?!.*crashed)/);
  await text(page.getByTestId('narration'), /A2 restarts from disk/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('keyboard shortcuts: arrows, space, speed and help', async () => {
  const { page, errors, context } = await open(b, srv.url);
  await page.getByTestId('start').click();
  await page.locator('body').click({ position: { x: 5, y: 700 } });
  await page.keyboard.press('ArrowRight');
  await step(page, /step 2 \/ 2/);
  await page.keyboard.press('ArrowRight');
  await step(page, /step 3 \/ 3/);
  await page.keyboard.press('ArrowLeft');
  await step(page, /step 2 \/ 3/);
  const speed = page.locator('.speed output');
  await page.keyboard.press('+');
  await text(speed, '2×');
  await page.keyboard.press('+');
  await text(speed, '4×');
  await page.keyboard.press('-');
  await text(speed, '2×');
  await page.keyboard.press(' ');
  await attr(page.getByTestId('play'), 'aria-pressed', 'true');
  await step(page, /step ([4-9]|\d\d+) \//);
  await page.keyboard.press(' ');
  await attr(page.getByTestId('play'), 'aria-pressed', 'false');
  const [, at] = (await counter(page)).match(/step (\d+)/);
  assert.ok(Number(at) > 3, `play advanced to step ${at}`);
  await page.keyboard.press('?');
  await page.getByTestId('help-overlay').waitFor();
  await shot(page, '06-help');
  await text(page.getByTestId('help-overlay'), /Play \/ pause/);
  // Behind a dialog the run stays where it is: the play keys do nothing.
  const before = await counter(page);
  for (const k of [' ', '.']) await page.keyboard.press(k);
  await page.waitForTimeout(800);
  assert.equal(await counter(page), before, 'no key moved the run behind the help');
  await attr(page.getByTestId('play'), 'aria-pressed', 'false');
  // Either clicker button closes the help (PageDown pages through it first), and neither steps the run.
  const help = page.getByTestId('help-overlay');
  await until(async () => { if (await help.count()) await page.keyboard.press('PageDown'); return help.count(); },
    (n) => n === 0, 'PageDown to page through the help and close it');
  await page.keyboard.press('?');
  await page.getByTestId('help-overlay').waitFor();
  await page.keyboard.press('PageUp');
  await count(page.getByTestId('help-overlay'), 0);
  await page.waitForTimeout(300);
  assert.equal(await counter(page), before, 'closing the help moved nothing');
  await page.keyboard.press('ArrowRight');
  await step(page, new RegExp(`step ${Number(at) + 1} /`));
  assert.deepEqual(errors, []);
  await context.close();
});

test('one dialog at a time: a dialog opened over another replaces it, and takes the focus', async () => {
  const { page, errors, context } = await open(b, srv.url);
  await page.locator('body').click({ position: { x: 5, y: 700 } });
  await page.keyboard.press('?');
  await page.getByTestId('help-overlay').waitFor();
  // The dialog has the focus, so Tab and Enter act in it, not on what is behind it.
  await until(() => page.evaluate(() => document.activeElement?.closest('[role=dialog]')?.getAttribute('aria-label') ?? ''),
    (l) => l === 'Keyboard shortcuts', 'the help has the focus');
  // The explorer's key opens the explorer in place of the help, not on top of it.
  await page.keyboard.press('e');
  await page.getByTestId('explorer').waitFor();
  await count(page.getByTestId('help-overlay'), 0);
  await until(() => page.evaluate(() => document.activeElement?.closest('[role=dialog]')?.getAttribute('aria-label') ?? ''),
    (l) => l === 'Explorer', 'the explorer has the focus');
  // And back: the help's key replaces the explorer. One Escape leaves nothing open.
  await page.keyboard.press('?');
  await page.getByTestId('help-overlay').waitFor();
  await count(page.getByTestId('explorer'), 0);
  await count(page.locator('.overlay[role=dialog]'), 1);
  await page.keyboard.press('Escape');
  await count(page.locator('.overlay[role=dialog]'), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a refused action says why and changes nothing', async () => {
  const { page, errors, context } = await open(b, srv.url);
  await page.getByTestId('node-C1').click();
  await page.getByTestId('request-value').fill('bad"quote');
  await page.getByTestId('request').click();
  await text(page.getByTestId('notice'), /cannot ask for that/);
  await step(page, /step 0 \/ 0/);
  await page.keyboard.press('Escape');
  await count(page.getByTestId('menu'), 0);
  await page.getByTestId('node-P1').click();
  assert.ok(await page.getByTestId('timeout').isDisabled());
  assert.match(await page.getByTestId('timeout').getAttribute('title'), /no ballot in progress/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('Reset starts again from step 0 with the seed typed, and refuses a bad seed', async () => {
  const { page, errors, context } = await open(b, srv.url);
  await page.getByTestId('start').click();
  for (let i = 0; i < 3; i++) await page.getByTestId('step').click();
  await page.getByTestId('seed').fill('abc');
  await page.getByTestId('reset').click();
  await text(page.getByTestId('notice'), /seed must be a whole number/);
  await step(page, /step 4 \/ 4/);
  await page.getByTestId('seed').fill('7');
  await page.getByTestId('reset').click();
  await step(page, /step 0 \/ 0/);
  assert.match(page.url(), /#s=7&/);
  // Another seed, other latencies: the same request arrives at another time.
  await page.getByTestId('start').click();
  await page.getByTestId('step').click();
  assert.deepEqual(errors, []);
  await context.close();
});

/** The nodes among `ids` whose glyph or card the open menu covers. */
async function coveredByMenu(page, ids) {
  return page.evaluate((ids) => {
    const m = document.querySelector('[data-testid=menu]').getBoundingClientRect();
    const hit = (a) => a.left < m.right && m.left < a.right && a.top < m.bottom && m.top < a.bottom;
    return ids.filter((id) => {
      const n = document.querySelector(`[data-testid=node-${id}]`);
      return hit(n.querySelector('.card-bg').getBoundingClientRect()) || hit(n.querySelector('.glyph').getBoundingClientRect());
    });
  }, ids);
}

test("a message's menu covers neither its receivers, whose state it is about, nor its sender", async () => {
  const { page, errors, context } = await open(b, `${srv.url}#lesson=ballot-conflict&beat=9`, { width: 1920, height: 1080 });
  await page.locator('.token:not(.ghost)', { hasText: 'Prepare 2.1' }).first().click();
  await page.getByTestId('menu').waitFor();
  assert.deepEqual(await coveredByMenu(page, ['A1', 'A2', 'A3']), [], 'the menu covers a receiver of the message');
  await context.close();
  // At 1280×720, A1's Promise to P1: both cards are what the narration is about.
  const second = await open(b, srv.url);
  await second.page.getByTestId('start').click();
  const promise = second.page.locator('.token:not(.ghost)[data-type=promise]').first();
  await until(async () => {
    if (await promise.count()) return true;
    await second.page.getByTestId('step').click();
    return false;
  }, (ok) => ok, 'a Promise in flight');
  await promise.click();
  await second.page.getByTestId('menu').waitFor();
  const from = (await second.page.getByTestId('menu').textContent()).match(/(A\d) → P1/)[1];
  assert.deepEqual(await coveredByMenu(second.page, [from, 'P1']), [], 'the menu covers the Promise\'s sender or receiver');
  assert.deepEqual([...errors, ...second.errors], []);
  await second.context.close();
});

test('two values chosen: the second value\'s side is marked red, and the banner says who holds which', async () => {
  // Lesson 10 ends with "Y" chosen in 1.2 and then "X" in 2.1 after an amnesiac restart.
  const { page, errors, context } = await open(b, `${srv.url}#lesson=durability&beat=19`);
  await text(page.getByTestId('chosen-banner'), /two values are chosen: "Y" in 1\.2 and "X" in 2\.1 C2, P2, L1 hold "Y"; C1, P1 hold "X"\./);
  for (const n of ['C2', 'P2', 'L1']) await count(page.locator(`[data-testid=node-${n}] .knows-mark:not(.other)`), 1);
  for (const n of ['C1', 'P1']) await count(page.locator(`[data-testid=node-${n}] .knows-mark.other`), 1);
  assert.match(await page.getByTestId('node-C1').getAttribute('data-label'), /knows "X" is chosen, but "Y" was chosen before it: agreement is broken/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('when a switched-off rule lets two nodes decide different values, the banner and narration say so', async () => {
  const { page, errors, context } = await open(b, srv.url);
  await page.getByTestId('share').click();
  await page.getByTestId('import-trace').setInputFiles(new URL('./fixtures/two-values-decided.json', import.meta.url).pathname);
  await text(page.getByTestId('notice'), /Imported a trace of \d+ steps/);
  // "Y" is chosen by a real majority (A2, A3); L1 learned "X" from one vote under the broken rule.
  const banner = page.getByTestId('chosen-banner');
  await text(banner, /Chosen: "Y" in ballot 1\.2/);
  await text(banner, /Agreement broken: L1 decided "X", which is not chosen\. Found out: P2\./);
  assert.doesNotMatch(await banner.textContent(), /Every node has found out/);
  await text(page.getByTestId('narration'), /L1 learned "X" before, and now P2's Commit says "Y": two values are decided, so agreement is broken/);
  // The picture agrees: P2's mark is the chosen value's, L1's is red.
  await count(page.locator('[data-testid=node-P2] .knows-mark:not(.other)'), 1);
  await count(page.locator('[data-testid=node-L1] .knows-mark.other'), 1);
  assert.match(await page.getByTestId('node-L1').getAttribute('data-label'), /decided "X", which is not the chosen value/);
  // The panel's breach is dated: "no value has been chosen yet" was true at step 7, not now.
  await text(page.getByTestId('invariants'), /At step 7: L1 learned "X", but no value has been chosen yet\./);
  // At step 7 nothing is chosen: L1's mark is red there too, never a green "knows".
  await page.getByTestId('timeline').fill('7');
  await step(page, /step 7 \//);
  await count(page.getByTestId('chosen-banner'), 0);
  await count(page.locator('[data-testid=node-L1] .knows-mark.other'), 1);
  await page.getByTestId('timeline').fill('15');
  await step(page, /step 15 \//);
  await page.evaluate(() => document.activeElement?.blur()); // keys go to the app, not the slider
  await page.keyboard.press('Escape');
  await page.keyboard.press('p');
  await text(page.locator('[data-testid=presenter-bar] .chosen-banner'), /but L1 decided "X"/);
  assert.deepEqual(errors, []);
  await context.close();
});
