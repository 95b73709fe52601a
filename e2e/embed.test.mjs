// End-to-end: the app embedded in a page (#embed) and driven over postMessage, through the example
// page of docs/embed.md that the build copies next to index.html.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, browser, shot, until, text } from './harness.mjs';

let srv, b;
before(async () => { srv = await serve('/courses/paxos/'); b = await browser(); });
after(async () => { await b?.close(); await srv?.close(); });

/** Posts `msg` to the driven frame and resolves with its answer (matched by id). */
const ask = (page, msg) => page.evaluate((msg) => new Promise((resolve) => {
  const f = document.getElementById('driven');
  const id = `t${Math.random()}`;
  const on = (e) => {
    if (e.source !== f.contentWindow || e.data?.id !== id) return;
    removeEventListener('message', on);
    resolve(e.data);
  };
  addEventListener('message', on);
  f.contentWindow.postMessage({ ...msg, id }, '*');
  setTimeout(() => resolve('no answer'), 5000);
}), msg);

async function example() {
  const context = await b.newContext({ viewport: { width: 1280, height: 1100 } });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${srv.url}embed-example.html`);
  const readout = page.locator('#readout');
  await text(readout, /^step 0 \/ 24 · beat 0 of 16 · nothing chosen · safe$/);
  return { page, context, errors, readout, frame: page.frameLocator('#driven') };
}

test('the example page embeds two frames with no top bar, and its buttons drive the first', async () => {
  const { page, context, errors, readout, frame } = await example();
  // Just the canvas, the words and the step controls.
  await frame.getByTestId('cluster').waitFor();
  assert.equal(await frame.locator('.topbar').count(), 0);
  assert.equal(await frame.locator('.side').count(), 0);
  assert.match(await frame.getByTestId('embed-strip').textContent(), /A higher ballot pre-empts a lower one/);
  const other = page.frameLocator('#alone');
  await text(other.getByTestId('counter'), 'step 3 / 6');

  await page.getByRole('button', { name: 'Beat ▶' }).click();
  await text(readout, /beat 1 of 16/);
  await text(frame.getByTestId('counter'), /beat 1 of 16/);
  await page.locator('#beat').fill('3');
  await page.getByRole('button', { name: 'Go to beat' }).click();
  await text(readout, /^step 6 \/ 24 · beat 3 of 16/);
  await text(frame.getByTestId('embed-strip'), /P1's Prepare reaches A1 first/);
  await page.getByRole('button', { name: 'Step ▶' }).click();
  await text(readout, /^step 7 \/ 24/);
  await page.getByRole('button', { name: '◀ Step back' }).click();
  await text(readout, /^step 6 \/ 24 · beat 3 of 16/);
  // The page's own keys, as a slide deck's would.
  await page.locator('h1').click();
  await page.keyboard.press('ArrowRight');
  await text(readout, /beat 4 of 16/);
  await page.keyboard.press('ArrowLeft');
  await text(readout, /beat 3 of 16/);

  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await text(readout, /playing/);
  await until(() => readout.getAttribute('data-step'), (s) => Number(s) > 7, 'play to move on');
  await page.getByRole('button', { name: 'Pause' }).click();
  await text(readout, /safe$/);
  const paused = await readout.getAttribute('data-step');
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(await readout.getAttribute('data-step'), paused, 'paused stays put');

  // The link menu loads a lesson that breaks safety; the last beat says so.
  await page.locator('#link').selectOption({ label: 'Lesson 10: durability and amnesia' });
  await page.getByRole('button', { name: 'Load' }).click();
  await text(readout, /^step 0 \/ \d+ · beat 0 of \d+/);
  const beats = Number((await readout.textContent()).match(/beat 0 of (\d+)/)[1]);
  await page.locator('#beat').fill(String(beats));
  await page.getByRole('button', { name: 'Go to beat' }).click();
  await text(readout, /SAFETY BROKEN: .*agreement/);
  await text(frame.getByTestId('embed-safety'), '✗ safety broken');
  assert.ok(await readout.getAttribute('data-chosen'), 'a value is chosen');
  await shot(page, '60-embed-example');

  // A bad request: an error comes back and nothing changes.
  const before = await readout.textContent();
  await page.getByRole('button', { name: 'Send a bad request' }).click();
  await text(page.locator('#log .error').first(), /error: "paxoscope:beat" needs "beat": a whole number from 0, not "two"/);
  assert.equal(await readout.textContent(), before);
  // The second frame was never touched.
  assert.equal(await other.getByTestId('counter').textContent(), 'step 3 / 6');
  assert.deepEqual(errors, []);
  await context.close();
});

test('every request is checked: unknown types and bad fields are answered with an error and change nothing', async () => {
  const { page, context, errors, readout } = await example();
  const state = await ask(page, { type: 'paxoscope:get' });
  assert.equal(state.type, 'paxoscope:state');
  assert.deepEqual([state.step, state.steps, state.beat, state.beats, state.lesson, state.safe, state.chosen], [0, 24, 0, 16, 'ballot-conflict', true, null]);
  assert.match(state.link, /^lesson=ballot-conflict&beat=0&embed$/);
  const bad = [
    [{ type: 'paxoscope:jump' }, /unknown type "paxoscope:jump"; the types are load, step/],
    [{ type: 'paxoscope:beat', beat: 99 }, /has 16 beats, not 99/],
    [{ type: 'paxoscope:beat', beat: -1 }, /a whole number from 0, not -1/],
    [{ type: 'paxoscope:beat', beat: [2] }, /not \[2\]/],
    [{ type: 'paxoscope:step', count: 2 }, /takes no fields besides "type" and "id", not "count"/],
    [{ type: 'paxoscope:load' }, /needs "link": a share link as a string, not nothing/],
    [{ type: 'paxoscope:load', link: '#s=1&run=zz' }, /could not be opened: step 1: "zz" is not a command/],
    [{ type: 'paxoscope:load', link: '#lesson=nope' }, /there is no lesson "nope"/],
    [{ type: 'paxoscope:back' }, /already at step 0/],
  ];
  for (const [msg, want] of bad) {
    const answer = await ask(page, msg);
    assert.equal(answer.type, 'paxoscope:error', JSON.stringify(msg));
    assert.match(answer.error, want);
  }
  // A string that looks like ours gets a hint; messages for other scripts get nothing at all.
  const hint = await page.evaluate(() => new Promise((resolve) => {
    const f = document.getElementById('driven');
    addEventListener('message', (e) => { if (e.data?.type === 'paxoscope:error') resolve(e.data.error); });
    f.contentWindow.postMessage({ method: 'slide', args: [2] }, '*');
    f.contentWindow.postMessage('hello', '*');
    f.contentWindow.postMessage('paxoscope:step', '*');
  }));
  assert.match(hint, /send an object such as \{"type": "paxoscope:step"\}/);
  const after = await ask(page, { type: 'paxoscope:get' });
  assert.deepEqual({ ...after, id: 0 }, { ...state, id: 0 }, 'nothing changed');
  await text(readout, /^step 0 \/ 24 · beat 0 of 16/);

  // A run link loads, stays embedded, and free play steps one at a time.
  const run = await ask(page, { type: 'paxoscope:load', link: 's=7&n=2.2.5.1&run=q-C1-X~t~t' });
  assert.deepEqual([run.step, run.steps, run.lesson, run.beat], [3, 3, null, null]);
  assert.match(run.link, /&embed$/);
  const stepped = await ask(page, { type: 'paxoscope:next' });
  assert.equal(stepped.step, 4);
  const frameUrl = await page.evaluate(() => document.getElementById('driven').contentWindow.location.hash);
  assert.match(frameUrl, /embed/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('#embed opens on its own too, and keeps its keys', async () => {
  const context = await b.newContext({ viewport: { width: 768, height: 1024 } });
  const page = await context.newPage();
  await page.goto(`${srv.url}#embed&lesson=value-adoption&beat=2`);
  await page.getByTestId('cluster').waitFor();
  await text(page.getByTestId('counter'), /beat 2 of/);
  assert.equal(await page.locator('.topbar').count(), 0);
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('PageDown');
  await text(page.getByTestId('counter'), /beat 3 of/);
  assert.match(page.url(), /embed/);
  assert.match(await page.getByTestId('embed-open').getAttribute('href'), /^\.\/#lesson=value-adoption&beat=3$/);
  await shot(page, '61-embed-tablet');
  await context.close();
});
