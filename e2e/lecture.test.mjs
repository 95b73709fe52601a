// End-to-end: presenter mode and clickers, predict mode, metrics, themes, accessibility (axe-core),
// keyboard-only use, reduced motion, a touch tablet, and hosting under a sub-path.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, browser, open, shot, until, text, attr, count, step, smallestText } from './harness.mjs';

const axePath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', 'axe-core', 'axe.min.js');
let srv, b;
before(async () => { srv = await serve(); b = await browser(); });
after(async () => { await b?.close(); await srv?.close(); });

const counter = (page) => page.getByTestId('counter').textContent();

test('presenter mode: large type, beats on the clicker, and full screen', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#lesson=happy-path`);
  await page.keyboard.press('p');
  await count(page.locator('.side:visible'), 0);
  const strip = page.getByTestId('presenter-strip');
  assert.ok(await strip.isVisible());
  await text(page.getByTestId('presenter-title'), /Lesson 1 · The happy path/);
  const progress = page.getByTestId('lesson-progress');
  // PageUp before the first lesson's first beat cannot go back, and says so.
  await page.keyboard.press('PageUp');
  await text(page.getByTestId('notice'), /start of the lesson/);
  // Clickers: PageDown plays to the next beat, PageUp goes back one, Shift steps.
  await page.keyboard.press('PageDown');
  await text(progress, /beat 1 of 14/);
  await count(page.getByTestId('notice'), 0);
  await page.keyboard.press('PageDown');
  await text(progress, /beat 2 of 14/);
  await until(() => page.url(), (u) => /#lesson=happy-path&beat=2&p=1$/.test(u), 'the address to hold the beat');
  // The clicker's button is named for what its press does: here, play to the next beat.
  await text(strip.getByTestId('strip-next'), 'Beat ▶');
  const caption = strip.locator('.caption');
  await text(caption, /P1 picks ballot 1\.1/);
  const size = await caption.evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
  assert.ok(size >= 26, `caption at ${size}px`);
  await page.keyboard.press('PageUp');
  await text(progress, /beat 1 of 14/);
  await page.keyboard.press('PageDown');
  await text(progress, /beat 2 of 14/);
  await page.keyboard.press('PageDown');
  await text(progress, /beat 3 of 14/);
  // Shift moves one step: beat 4 takes two, so the first stops between beats.
  await page.keyboard.press('Shift+PageDown');
  await until(() => page.url(), (u) => /&at=4&p=1$/.test(u), 'one step');
  await text(progress, /beat 3 of 14/);
  await page.keyboard.press('PageDown');
  await text(progress, /beat 4 of 14/);
  // The clicker's "." plays on through the beats, and the room sees that it does; "." again
  // pauses, and the word goes.
  await page.keyboard.press('.');
  await text(progress, /· playing$/);
  await page.keyboard.press('.');
  await until(() => progress.textContent(), (t) => !/playing/.test(t), 'play to stop');
  // Many clickers send "b" for the same button (PowerPoint's blank screen): it plays and pauses too.
  await page.keyboard.press('b');
  await text(progress, /· playing$/);
  await page.keyboard.press('b');
  await until(() => progress.textContent(), (t) => !/playing/.test(t), 'play to stop with b');
  // Played on, a lesson stops at the beat that hands over to the room ("your turn"), and does
  // not do the exercise for it nor run into free play.
  await page.evaluate(() => { location.hash = 'lesson=happy-path&beat=12&p=1'; });
  await text(progress, /^beat 12 of 14$/);
  await page.keyboard.press('.');
  // Each beat's caption is held long enough to read (up to 10 s at 1×) before play goes on.
  await until(() => progress.textContent(), (t) => /^beat 14 of 14$/.test(t), 'play to the your-turn beat', 40000);
  const url = page.url();
  await page.waitForTimeout(2000); // had play gone on, it would have stepped by now
  assert.equal(page.url(), url, 'play stopped at the your-turn beat');
  await text(progress, /^beat 14 of 14$/);
  await count(page.locator('[data-testid=goal-status][data-reached=true]'), 0);
  // The your-turn says "ask for "Y", then step": once the room has asked (from the spotlight's
  // buttons), the button reads Step, and a press is one step of the room's own run.
  await text(strip.getByTestId('strip-next'), 'Next ▶');
  await page.getByTestId('node-C2').click();
  await strip.getByRole('button', { name: /^C2 asks for/ }).click();
  await text(progress, /your turn/);
  await text(strip.getByTestId('strip-next'), 'Step ▶');
  const before = await page.getByTestId('strip-narration').textContent();
  await page.keyboard.press('PageDown');
  await until(() => page.getByTestId('strip-narration').textContent(), (t) => t !== before, 'one step');
  await text(progress, /your turn/);
  // F asks for full screen.
  await page.keyboard.press('f');
  await page.waitForFunction(() => document.fullscreenElement !== null);
  await page.keyboard.press('f');
  await page.waitForFunction(() => document.fullscreenElement === null);
  await shot(page, '30-presenter');
  assert.deepEqual(errors, []);
  await context.close();
});

for (const [mode, hash, value] of [['single-decree', '', 'X'], ['Multi-Paxos', '#s=42&n=2.2.3.1&md=multi', 'X1']]) {
  test(`presenter mode, free play (${mode}): with only a clicker the first press starts the run`, async () => {
    const { page, errors, context } = await open(b, `${srv.url}${hash}`);
    // What the start button offers is what a client of this mode may ask for first.
    await text(page.getByTestId('start'), `C1 asks for "${value}"`);
    await page.keyboard.press('p');
    await text(page.getByTestId('strip-narration'), new RegExp(`^Press PageDown and C1 asks for "${value}"`));
    await page.keyboard.press('PageDown');
    await text(page.getByTestId('strip-step'), /^step 1 \/ 1$/);
    await text(page.getByTestId('strip-narration'), /C1/);
    await page.keyboard.press('PageDown');
    await text(page.getByTestId('strip-step'), /^step 2 \/ 2$/);
    await count(page.getByTestId('notice'), 0);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('presenter mode at 1280×720: the canvas keeps its size as the strip sentences run to two and three lines', async () => {
  const { page, errors, context } = await open(b, srv.url);
  await page.keyboard.press('p');
  await page.getByTestId('presenter-strip').waitFor();
  const heights = new Set();
  const lines = new Set();
  for (let i = 1; i <= 16; i++) {
    await page.keyboard.press('PageDown');
    await text(page.getByTestId('strip-step'), new RegExp(`^step ${i} / ${i}`));
    const [h, n] = await page.evaluate(() => {
      const t = document.querySelector('[data-testid=strip-narration]');
      return [document.querySelector('.canvas').getBoundingClientRect().height,
        Math.round(t.getBoundingClientRect().height / parseFloat(getComputedStyle(t).fontSize) / 1.15)];
    });
    heights.add(Math.round(h));
    lines.add(n);
  }
  assert.ok(lines.size > 1, `the narration ran to ${[...lines]} lines`);
  assert.equal(heights.size, 1, `the canvas was ${[...heights].join(', ')} px tall`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('presenter mode at 1280×720: the canvas keeps its size while a beat of several steps plays', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#lesson=happy-path&beat=9&p=1`);
  await text(page.getByTestId('lesson-progress'), /^beat 9 of 14/);
  const canvas = () => page.locator('.canvas').evaluate((c) => Math.round(c.getBoundingClientRect().height));
  const heights = new Set([await canvas()]);
  await page.keyboard.press('PageDown');
  // Sampled until the beat has played (beat 10 is two steps): the strip's progress line once
  // wrapped to four lines mid-beat, and the canvas shrank and grew back.
  await until(async () => {
    heights.add(await canvas());
    return page.getByTestId('lesson-progress').textContent();
  }, (t) => /^beat 10 of 14/.test(t), 'beat 10');
  assert.equal(heights.size, 1, `the canvas was ${[...heights].join(', ')} px tall`);
  assert.deepEqual(errors, []);
  await context.close();
});

for (const touch of [false, true]) {
  test(`presenter mode: one ${touch ? 'tap' : 'click'} on a waiting message spotlights it (the pointer does not send it flying)`, async () => {
    const size = touch ? { width: 768, height: 1024, touch } : {};
    const { page, errors, context } = await open(b, `${srv.url}#lesson=ballot-conflict&beat=6&p=1`, size);
    await page.getByTestId('presenter-strip').waitFor();
    const tok = page.locator('[data-testid^=msg-].in-flight', { hasText: 'Promise 1.2' }).first();
    // Let the opening layout settle: after it, nothing a pointer does may move a token.
    await page.waitForTimeout(1500);
    const before = await tok.boundingBox();
    await tok.dispatchEvent('mouseenter');
    await page.waitForTimeout(100);
    const after = await tok.boundingBox();
    assert.ok(Math.abs(after.x - before.x) < 4 && Math.abs(after.y - before.y) < 4,
      `the token stays under the pointer: ${JSON.stringify(before)} then ${JSON.stringify(after)}`);
    const canvas = () => page.locator('.canvas').evaluate((c) => Math.round(c.getBoundingClientRect().height));
    const tall = await canvas();
    await (touch ? tok.tap() : tok.click());
    await text(page.getByTestId('spot-actions'), /Deliver Promise 1\.2 to P2/);
    // Its actions take a row of the strip's room, not a column that grows it: the canvas, and
    // the token just picked, stay where they were.
    if (!touch) assert.equal(await canvas(), tall, 'the canvas keeps its height with the spotlight on');
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('presenter mode: the lecturer picks another lesson from the bar, without leaving presenter mode', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#lesson=ballot-conflict&beat=3&p=1`);
  await text(page.getByTestId('presenter-title'), /^Lesson 5 · /);
  await page.getByTestId('lessons').click();
  // The menu opens inside the window, under the button at the bar's right end.
  const r = await page.getByTestId('lessons-menu').boundingBox();
  assert.ok(r.x >= 0 && r.x + r.width <= 1280 + 0.5, `the menu spans ${r.x}..${r.x + r.width}`);
  // A clicker press while the menu is open closes it, and the lesson does not move on behind it
  // (the key's one update does both, so the beat is read once the menu has gone).
  const beat = await page.getByTestId('lesson-progress').textContent();
  await page.keyboard.press('PageDown');
  await count(page.getByTestId('lessons-menu'), 0);
  assert.equal(await page.getByTestId('lesson-progress').textContent(), beat, 'the beat did not change');
  await page.getByTestId('lessons').click();
  await page.getByTestId('lessons-menu').waitFor();
  await page.getByTestId('lesson-happy-path').click();
  await text(page.getByTestId('presenter-title'), 'Lesson 1 · The happy path');
  await count(page.getByTestId('lessons-menu'), 0);
  await page.getByTestId('presenter-strip').waitFor();
  await text(page.getByTestId('lesson-progress'), /^beat 0 of 14$/);
  // When the chosen banner comes, the bar keeps one row (the title's end gives way), so the
  // canvas does not move down at the step the value is chosen.
  await page.evaluate(() => { location.hash = 'lesson=ballot-conflict&beat=11&p=1'; });
  await page.locator('[data-testid=presenter-bar] .chosen-banner').waitFor();
  const bar = await page.getByTestId('presenter-bar').evaluate((e) => e.getBoundingClientRect().height);
  assert.ok(bar < 60, `the bar is ${bar} px tall`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('presenter spotlight dims everything else and puts actions in the strip, not over the canvas', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#lesson=happy-path&beat=3&p=1`);
  await page.getByTestId('presenter-strip').waitFor();
  await page.getByTestId('node-A2').click();
  const svg = page.getByTestId('cluster');
  await attr(svg, 'class', /spotlit/);
  await attr(page.getByTestId('node-A2'), 'class', /\blit\b/);
  assert.doesNotMatch(await page.getByTestId('node-A1').getAttribute('class'), /\blit\b/);
  const opacity = await page.getByTestId('node-A1').evaluate((e) => getComputedStyle(e).opacity);
  assert.ok(Number(opacity) < 0.5, `A1 is dimmed (${opacity})`);
  // No menu opens over the canvas; the actions are in the strip.
  assert.equal(await page.getByTestId('menu').count(), 0);
  await text(page.getByTestId('spot-actions'), /Crash A2/);
  await page.keyboard.press('Escape');
  await attr(svg, 'class', /^(?!.*spotlit)/);
  await shot(page, '31-spotlight');
  // The spotlight serves one action: once it is done, nothing stays dimmed for the next caption.
  await page.getByTestId('node-A2').click();
  await attr(svg, 'class', /spotlit/);
  await page.getByTestId('spot-actions').getByText('Crash A2').click();
  await attr(svg, 'class', /^(?!.*spotlit)/);
  await attr(page.getByTestId('node-A2'), 'class', /crashed/);
  // Clicking a node and then the clicker: the spotlight goes too.
  await page.getByTestId('node-A3').click();
  await attr(svg, 'class', /spotlit/);
  await page.keyboard.press('PageDown');
  await attr(svg, 'class', /^(?!.*spotlit)/);
  // Off script with a spotlight, at 1280×720, the strip still shows all it holds: no part a
  // clicker would have to scroll to.
  await page.getByTestId('node-A1').click();
  await text(page.getByTestId('spot-actions'), /Crash A1/);
  const fits = () => page.getByTestId('presenter-strip').evaluate((e) => e.scrollHeight <= e.clientHeight + 1);
  assert.ok(await fits(), 'the strip overflows');
  await text(page.getByTestId('off-script'), /off script/);
  // The fullest strip: a "your turn" taken up after a crash, with a node in the spotlight.
  await page.evaluate(() => { location.hash = 'lesson=happy-path&beat=14&p=1'; });
  await text(page.getByTestId('lesson-progress'), /beat 14 of 14/);
  await page.getByTestId('node-A2').click();
  await page.getByTestId('spot-actions').getByText('Crash A2').click();
  await page.getByTestId('node-A2').click();
  await text(page.getByTestId('spot-actions'), /Restart A2/);
  await text(page.getByTestId('goal-status'), /Not yet/);
  await text(page.getByTestId('off-script'), /your turn/);
  assert.ok(await fits(), 'the strip overflows with a your-turn and a spotlight');
  await shot(page, '32-presenter-your-turn-spotlight');
  assert.deepEqual(errors, []);
  await context.close();
});

test('presenter spotlight on a token of several copies: each receiver has its own buttons, so lesson 5\'s exercise can be done, and the clicker goes back into the lesson', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#lesson=ballot-conflict&beat=9&p=1`);
  await text(page.getByTestId('your-turn'), /Deliver Prepare 2\.1 to A2 first/);
  await page.waitForTimeout(1000); // the opening layout settles before the click
  await page.locator('[data-testid^=msg-].in-flight', { hasText: 'Prepare 2.1' }).first().click();
  for (const to of ['A1', 'A2', 'A3']) await text(page.getByTestId(`spot-copy-${to}`), `Deliver to ${to}DropDuplicate`);
  // Every receiver of the token is in the light, not only the first copy's.
  await until(() => page.locator('[data-testid=node-A3]').evaluate((n) => getComputedStyle(n).opacity), (o) => Number(o) === 1, 'A3 lit');
  await page.getByTestId('spot-copy-A2').getByText('Deliver to A2').click();
  await text(page.getByTestId('strip-narration'), /^A2 promises ballot 2\.1/);
  await page.locator('[data-testid^=msg-].in-flight', { hasText: 'Accept 1.2' }).first().click();
  await page.getByTestId('spot-copy-A2').getByText('Deliver to A2').click();
  await attr(page.getByTestId('goal-status'), 'data-reached', 'true');
  // With the goal reached, the clicker's next press goes back into the lesson, to its next beat.
  await page.keyboard.press('PageDown');
  await text(page.getByTestId('lesson-progress'), /^beat 10 of 16$/);
  await count(page.getByTestId('goal-status'), 0);
  // A "what if?" there (A3 crashes), undone with the clicker, rejoins the lesson.
  await page.getByTestId('node-A3').click();
  await page.getByTestId('spot-actions').getByText('Crash A3').click();
  await text(page.getByTestId('lesson-progress'), /off script/);
  await page.keyboard.press('PageUp');
  await text(page.getByTestId('lesson-progress'), /^beat 10 of 16$/);
  await page.keyboard.press('PageDown');
  await text(page.getByTestId('lesson-progress'), /^beat 11 of 16/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('presenter mode: the help is in projector type, and PageDown pages through it, then closes it', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#lesson=happy-path&p=1`);
  await page.getByTestId('presenter-bar').waitFor();
  await page.keyboard.press('?');
  await page.getByTestId('help-overlay').waitFor();
  const smallest = await smallestText(page.getByTestId('help-overlay'));
  assert.ok(smallest >= 20, `the help's smallest text is ${smallest} px in presenter mode`);
  await text(page.getByTestId('lesson-progress'), 'beat 0 of 14');
  // Taller than 720 px in projector type: the first press shows the rest (a clicker cannot scroll).
  const card = page.locator('[data-testid=help-overlay] .overlay-card');
  assert.ok(await card.evaluate((e) => e.scrollHeight > e.clientHeight), 'the help fits: this test needs a taller one');
  await page.keyboard.press('PageDown');
  await until(() => card.evaluate((e) => e.scrollTop), (t) => t > 0, 'the help to page down');
  await until(async () => { if (await page.getByTestId('help-overlay').count()) await page.keyboard.press('PageDown'); return page.getByTestId('help-overlay').count(); },
    (n) => n === 0, 'PageDown at the help\'s end to close it');
  await page.waitForTimeout(500); // had a press also played the first beat, it would show by now
  await text(page.getByTestId('lesson-progress'), 'beat 0 of 14');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the top bar never runs off a 1280 px screen, even with the unsafe-rules badge', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#s=42&n=2.2.3.1&mu=ignore_reported_values`);
  await page.getByTestId('unsafe-badge').waitFor();
  const over = await page.evaluate(() => [...document.querySelectorAll('.topbar > *')]
    .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5).map((e) => e.textContent));
  assert.deepEqual(over, []);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth), 'the page scrolls sideways');
  assert.deepEqual(errors, []);
  await context.close();
});

test('presenter mode at 1280×720: beside a verdict and badges the lesson\'s title takes two lines, and the bar keeps its height', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#lesson=durability&beat=19&p=1`);
  await text(page.getByTestId('presenter-unsafe'), /rules off/);
  const title = page.getByTestId('presenter-title');
  // Two lines of 20 px type: on one the topic was cut to "Durability: …".
  const box = await until(() => title.evaluate((t) => [t.clientHeight, t.parentElement.getBoundingClientRect().height]),
    ([h]) => h >= 40, 'the title on two lines');
  assert.ok(box[1] <= 56, `the bar grew to ${box[1]} px`);
  assert.equal(await title.evaluate((t) => getComputedStyle(t).fontSize), '20px');
  assert.deepEqual(errors, []);
  await context.close();
});

test('presenter mode: past the last lesson\'s end the clicker\'s press leads into free play, as its button says', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#lesson=learners-catch-up&beat=8&p=1`);
  const next = page.getByTestId('presenter-strip').locator('button.primary').last();
  await text(next, 'Free play ▶');
  await page.keyboard.press('PageDown');
  await text(page.getByTestId('presenter-title'), /free play/);
  await text(page.getByTestId('notice'), /That was the last lesson\. Free play from here/);
  // The run stays: the next press steps on from where the lesson ended.
  await text(next, 'Step ▶');
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
  await step(page, /step 1 \/ 1/);
  await page.getByTestId('choice-0').click(); // Yes
  await text(page.getByTestId('predict-feedback'), /^Right/);
  await step(page, /step 2 \/ 2/);
  await page.getByTestId('step').click();
  await text(q, /Will A\d promise, refuse, or ignore it\?/);
  const labels = await page.locator('.predict-card .choice').allTextContents();
  await page.getByTestId(`choice-${labels.findIndex((l) => /Refuse/.test(l))}`).click(); // wrong
  await text(page.getByTestId('predict-feedback'), /Not quite: the answer was Promise 1\.1/);
  assert.equal(await page.getByTestId('score').textContent(), '1 of 2 right');
  await page.getByTestId('step').click();
  await page.getByTestId('skip-question').click();
  assert.equal(await page.getByTestId('score').textContent(), '1 of 2 right', 'skipping does not score');
  await shot(page, '32-predict');
  // A number key answers as clicking that choice does (no PageDown needed outside presenter mode).
  for (let i = 0; i < 30 && (await page.getByTestId('question').count()) === 0; i++) {
    const before = await counter(page);
    await page.getByTestId('step').click();
    await until(async () => [await counter(page), await page.getByTestId('question').count()], ([c, n]) => c !== before || n > 0, 'a step or a question');
  }
  await page.getByTestId('question').waitFor();
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('1');
  await text(page.getByTestId('predict-feedback'), /^(Right|Not quite)/);
  await until(() => page.getByTestId('score').textContent(), (s) => s.endsWith('of 3 right'), 'the keyed answer scored');
  assert.deepEqual(errors, []);
  await context.close();
});

test('predict mode works inside a lesson too, at each beat worth a question', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#lesson=value-adoption`);
  await page.getByTestId('predict').click();
  let asked = 0;
  const next = page.getByTestId('lesson-next');
  for (let i = 0; i < 60; i++) {
    if ((await next.textContent()).includes('Next lesson')) break;
    const before = page.url();
    await next.click();
    await until(async () => [page.url(), await page.getByTestId('question').count()], ([u, q]) => u !== before || q > 0, 'a beat or a question');
    if (await page.getByTestId('question').count()) {
      asked++;
      const q = await page.getByTestId('question').textContent();
      assert.equal(await page.getByTestId('caption').textContent(), 'Predict first: the lesson\'s words come back once the answer is revealed.');
      if (/Which value will P2 propose/.test(q)) {
        const labels = await page.locator('.predict-card .choice').allTextContents();
        await page.getByTestId(`choice-${labels.findIndex((l) => l.endsWith('"X"'))}`).click();
        await text(page.getByTestId('predict-feedback'), /^Right: "X"/);
      } else {
        await page.getByTestId('choice-0').click();
        await page.getByTestId('predict-feedback').waitFor();
      }
    }
  }
  assert.ok(asked >= 5, `asked ${asked} questions`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('predict mode is kept by the address: a reload and a shared link keep it on', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#lesson=value-adoption&beat=2`);
  await page.getByTestId('predict').click();
  const url = await until(() => page.url(), (u) => /[#&]pr=1(&|$)/.test(u), 'pr=1 in the address');
  // A reload dropped it silently, and with it the question a student meant to share.
  await page.reload();
  await page.getByTestId('cluster').waitFor();
  await attr(page.getByTestId('predict'), 'aria-pressed', 'true');
  const other = await open(b, url);
  await attr(other.page.getByTestId('predict'), 'aria-pressed', 'true');
  await other.page.getByTestId('predict-card').waitFor();
  await page.getByTestId('predict').click();
  await until(() => page.url(), (u) => !/pr=1/.test(u), 'pr=1 gone from the address');
  assert.deepEqual([...errors, ...other.errors], []);
  await other.context.close();
  await context.close();
});

test('a link copied while a question is open asks it again, in a lesson and in free play', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#lesson=value-adoption`);
  await page.getByTestId('predict').click();
  const next = page.getByTestId('lesson-next');
  for (let i = 0; i < 20 && (await page.getByTestId('question').count()) === 0; i++) {
    const before = page.url();
    await next.click();
    await until(async () => [page.url(), await page.getByTestId('question').count()], ([u, q]) => u !== before || q > 0, 'a beat or a question');
  }
  const asked = await page.getByTestId('question').textContent();
  // Opened without it, the link showed the step before the question with nothing to answer.
  const url = await until(() => page.url(), (u) => /[#&]q=1(&|$)/.test(u), 'q=1 in the address');
  const other = await open(b, url);
  await text(other.page.getByTestId('question'), asked);
  assert.equal(await other.page.getByTestId('counter').textContent(), await page.getByTestId('counter').textContent());
  // Answering it in the reopened page reveals and takes the step, as in the first.
  await other.page.getByTestId('choice-0').click();
  await other.page.getByTestId('predict-feedback').waitFor();
  await until(() => other.page.url(), (u) => !/q=1/.test(u), 'q=1 gone once answered');
  // Free play: the question about the next delivery.
  await page.goto(`${srv.url}#s=42&n=2.2.3.1&pr=1`);
  await page.reload();
  await page.getByTestId('start').click();
  await page.getByTestId('step').click();
  await text(page.getByTestId('question'), /Will P1 start a new ballot/);
  const run = await until(() => page.url(), (u) => /[#&]q=1(&|$)/.test(u), 'q=1 in the free-play address');
  const third = await open(b, run);
  await text(third.page.getByTestId('question'), /Will P1 start a new ballot/);
  // A link whose next step asks nothing says so, and shows the step.
  const none = await open(b, `${srv.url}#lesson=happy-path&beat=14&pr=1&q=1`);
  await text(none.page.getByTestId('notice'), /copied at a question, but the next step asks none/);
  assert.equal(await none.page.getByTestId('question').count(), 0);
  assert.deepEqual([...errors, ...other.errors, ...third.errors, ...none.errors], []);
  await none.context.close();
  await third.context.close();
  await other.context.close();
  await context.close();
});

test('metrics: this run by phase, and the experiment charts', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#lesson=happy-path&beat=14`);
  await page.getByTestId('open-metrics').click();
  const t = page.getByTestId('run-metrics');
  await text(t, /Phase 1 \(prepare, promise\)6/);
  assert.match(await t.textContent(), /chosen after 10 steps/);
  await page.getByTestId('run-experiment').click();
  await count(page.locator('.chart'), 2);
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
  await page.goto(`${srv.url}#lesson=value-adoption&beat=8`);
  await text(page.getByTestId('lesson-progress'), /beat 8 of/);
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
  await page.getByTestId('predict-card').waitFor();
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
  await step(page, /step 1 \/ 1/);
  // Then a message token (P1's three Prepares): focus, Enter, and deliver one copy.
  await page.keyboard.press('ArrowRight'); // P1 gets the request
  await step(page, /step 2 \/ 2/);
  const tok = page.locator('[data-testid^="msg-"].in-flight').first();
  await tok.focus();
  await page.keyboard.press('Enter');
  await page.locator('[data-testid^="deliver-"]').first().focus();
  await page.keyboard.press('Enter');
  await step(page, /step 3 \/ 3/);
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
  await step(page, /step 1 \//);
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
  await attr(page.getByTestId('node-A1'), 'class', /crashed/);
  // Leaving the lesson's script: the card says so and offers the way back.
  await page.getByTestId('lesson-resume').waitFor();
  await page.getByTestId('node-C1').tap();
  await page.getByTestId('request').tap();
  await page.getByTestId('step').tap();
  await step(page, /step 3 \/ 3/);
  await shot(page, '35-tablet');
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('dist/ works from a sub-path', async () => {
  const sub = await serve('/courses/paxos/');
  try {
    const { page, errors, context } = await open(b, `${sub.url}#lesson=happy-path`);
    await page.getByTestId('lesson-next').click();
    await step(page, /step 1 \//);
    await until(() => page.url(), (u) => /\/courses\/paxos\/#lesson=happy-path&beat=1$/.test(u), 'the lesson link');
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    await sub.close();
  }
});

test('on a 1280×720 projector the space-time diagram is drawn large enough to read', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#lesson=ballot-conflict&beat=8`);
  await page.getByTestId('open-spacetime').click();
  await page.getByTestId('spacetime').waitFor();
  await page.keyboard.press('p');
  await page.getByTestId('presenter-strip').waitFor();
  // The drawing is zoomed, so computed font sizes stay 13 px: what counts is the size on screen,
  // read from each label's box (a line of 20 px type is about 23 px tall).
  const smallest = await until(() => page.evaluate(() => Math.min(...[...document.querySelectorAll('.spacetime svg text, .st-head')]
    .map((t) => t.getBoundingClientRect().height).filter((h) => h > 0))), (h) => Number.isFinite(h), 'the diagram drawn');
  assert.ok(smallest >= 22, `the smallest label in the diagram is ${smallest.toFixed(1)} px tall`);
  // The current step's row is in view, once the diagram has scrolled to it after presenter
  // mode's relayout (waited for, not read once: on a busy machine the scroll comes a frame later).
  const inView = await until(() => page.evaluate(() => {
    const cur = document.querySelector('.st-row.current rect')?.getBoundingClientRect();
    const box = document.getElementById('st-scroll')?.getBoundingClientRect();
    return Boolean(cur && box && cur.top >= box.top && cur.bottom <= box.bottom + 1);
  }), (v) => v === true, 'the current step scrolled into view').catch(() => false);
  assert.ok(inView, 'the current step is scrolled out of view');
  assert.deepEqual(errors, []);
  await context.close();
});

test('presenter mode: a room playing on at a turn only a click can finish is told, after 100 steps, that the run may never reach it', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#lesson=partition&beat=14&p=1`);
  await text(page.getByTestId('lesson-progress'), /^beat 14 of/);
  // The clicker's "." plays the room's own run; the network stays cut, so the goal cannot come.
  for (const k of ['.', '+', '+']) await page.keyboard.press(k);
  await until(() => page.getByTestId('turn-long').textContent().catch(() => ''), (t) => /^\d+ steps and the goal is not reached: playing on may never reach it\..*PageUp/.test(t), 'the long-run hint', 60_000);
  await page.keyboard.press('PageUp');
  await count(page.getByTestId('turn-long'), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('presenter mode at a your-turn: Heal is in the strip while the network is cut, and "." with nothing to play says why', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#lesson=partition&beat=5&p=1`);
  // On the script's beats the cut stays: no Heal to click by mistake.
  await text(page.getByTestId('lesson-progress'), /^beat 5 of/);
  await count(page.getByTestId('spot-actions'), 0);
  // The task begins with "Click Heal": the side panel's button is hidden in presenter mode.
  await page.evaluate(() => { location.hash = 'lesson=partition&beat=14&p=1'; });
  await text(page.getByTestId('lesson-progress'), /^beat 14 of/);
  const heal = page.getByTestId('spot-actions').getByText('Heal the partition');
  await heal.click();
  await count(page.getByTestId('spot-actions'), 0);
  await text(page.getByTestId('lesson-progress'), /your turn/);
  // Lesson 13's task starts with a click on C1: "." has nothing to play, and says so.
  await page.evaluate(() => { location.hash = 'lesson=stable-leader&beat=9&p=1'; });
  await text(page.getByTestId('lesson-progress'), /^beat 9 of/);
  await page.keyboard.press('.');
  await text(page.getByTestId('notice'), /Nothing is in flight/);
  assert.deepEqual(errors, []);
  await context.close();
});
