// End-to-end: lessons by URL, share links, trace export/import, bad input, partitions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve, browser, open, shot, until, text, attr, count, step } from './harness.mjs';

let srv, b;
before(async () => { srv = await serve(); b = await browser(); });
after(async () => { await b?.close(); await srv?.close(); });

const counter = (page) => page.getByTestId('counter').textContent();
/** What a student sees, reduced to text: every node's state and every token in flight. */
const state = (page) => page.evaluate(() => [
  ...[...document.querySelectorAll('[data-testid^="node-"]')].map((n) => n.getAttribute('data-label')),
  ...[...document.querySelectorAll('[data-testid^="msg-"].in-flight')].map((t) => t.getAttribute('aria-label')),
  document.querySelector('[data-testid=counter]').textContent,
  document.querySelector('[data-testid=narration]').textContent,
].join('\n'));

/** Plays a lesson beat by beat, waiting for each beat, until its end. Calls `each` at every beat. */
async function playLesson(page, each = async () => {}) {
  const next = page.getByTestId('lesson-next');
  for (let i = 0; i < 40; i++) {
    if ((await next.textContent()).includes('Next lesson')) return i;
    const before = await page.getByTestId('lesson-progress').textContent();
    await next.click();
    await until(() => page.getByTestId('lesson-progress').textContent(), (t) => t !== before, 'the next beat');
    await each();
  }
  throw new Error('the lesson did not end');
}

test('open a lesson by URL and play it beat by beat to the end', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#lesson=value-adoption`);
  const card = page.getByTestId('lesson-card');
  await card.waitFor();
  assert.match(await card.textContent(), /Lesson 6 of 16/);
  assert.match(await card.textContent(), /Value adoption/);
  let sawHighlight = false;
  const beats = await playLesson(page, async () => {
    // At every beat the lesson speaks in its own words.
    assert.doesNotMatch(await page.getByTestId('caption').textContent(), /narration below tells/);
    if (!sawHighlight && (await page.getByTestId('highlight-label').count()) > 0) {
      sawHighlight = /both quorums/.test(await page.getByTestId('highlight-label').textContent());
      if (sawHighlight) await shot(page, '10-lesson-adoption-intersection');
    }
  });
  assert.ok(beats >= 8, `${beats} beats`);
  assert.ok(sawHighlight, 'the quorum intersection is highlighted');
  await text(page.getByTestId('lesson-end'), /Lesson complete\. Next: lesson 7/);
  await text(page.getByTestId('chosen-banner'), /Chosen: "X"/);
  await shot(page, '11-lesson-complete');
  // Past the last beat the next lesson is on offer, and PageDown opens it.
  await text(page.getByTestId('lesson-end'), /Next: lesson 7, .* \(PageDown\)\.$/);
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('PageDown');
  await text(page.getByTestId('lesson-card'), /Lesson 7 of 16/);
  // The finished lesson is marked in the menu.
  await page.getByTestId('lessons').click();
  await attr(page.getByTestId('lesson-value-adoption'), 'data-done', 'true');
  assert.deepEqual(errors, []);
  await context.close();
});

test('every lesson opens from the menu', async () => {
  const { page, errors, context } = await open(b, srv.url);
  for (let n = 1; n <= 16; n++) {
    await page.getByTestId('lessons').click();
    await page.getByTestId('lessons-menu').locator('button').nth(n - 1).click();
    await text(page.getByTestId('lesson-card'), new RegExp(`Lesson ${n} of 16`));
    await text(page.getByTestId('lesson-progress'), /beat 0 of \d+/);
  }
  // Every title is whole: lesson 8's long one was cut, with a sideways scrollbar under the list.
  for (const width of [1920, 768]) {
    await page.setViewportSize({ width, height: 1024 });
    await page.getByTestId('lessons').click();
    const menu = page.getByTestId('lessons-menu');
    await menu.waitFor();
    const clipped = await menu.locator('button').evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth + 1).length);
    assert.equal(clipped, 0, `clipped titles at ${width} px`);
    assert.ok(await menu.evaluate((e) => e.scrollWidth <= e.clientWidth + 1), `the menu scrolls sideways at ${width} px`);
    await page.keyboard.press('Escape');
    await count(menu, 0);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('the lessons\' text loads on first use: free play never fetches it, and a failed fetch changes nothing', async () => {
  const { page, errors, context } = await open(b, srv.url, { serviceWorkers: 'block' });
  const fetched = [];
  page.on('request', (r) => { if (/builtin\.txt/.test(r.url())) fetched.push(r.url()); });
  // The server is down for that file: the lesson does not open, and the notice says why.
  await page.route(/builtin\.txt/, (r) => r.fulfill({ status: 503, body: 'busy' }));
  await page.getByTestId('node-C1').click();
  await page.getByTestId('request').click();
  await step(page, /^step 1 \//);
  assert.deepEqual(fetched, [], 'free play fetched the lessons');
  await page.getByTestId('lessons').click();
  await page.getByTestId('lesson-happy-path').click();
  await text(page.getByTestId('notice'), /The lessons could not be loaded \(the server answered 503\); nothing was changed/);
  await step(page, /^step 1 \//);
  assert.equal(await page.getByTestId('lesson-card').count(), 0);
  // A file that is not the lessons' text (a proxy's error page, say) is refused, and not kept.
  await page.unroute(/builtin\.txt/);
  await page.route(/builtin\.txt/, (r) => r.fulfill({ status: 200, body: '<html>Sign in to the campus network</html>' }));
  await page.getByTestId('lessons').click();
  await page.getByTestId('lesson-happy-path').click();
  await text(page.getByTestId('notice'), /could not be loaded \(the file is not this app's lessons' text\); nothing was changed/);
  await step(page, /^step 1 \//);
  // Back up: the next try fetches again and opens the lesson; after that nothing is fetched.
  await page.unroute(/builtin\.txt/);
  await page.getByTestId('lessons').click();
  await page.getByTestId('lesson-happy-path').click();
  await text(page.getByTestId('lesson-card'), /Lesson 1 of 16/);
  await page.getByTestId('lessons').click();
  await page.getByTestId('lesson-one-acceptor').click();
  await text(page.getByTestId('lesson-card'), /Lesson 2 of 16/);
  assert.equal(fetched.length, 3, fetched.join(' '));
  assert.match(fetched[2], /builtin\.txt\?v=\d+$/);
  // A pasted lesson link, a step into the run, opens at its step once the text is there.
  await page.evaluate(() => { location.hash = 'lesson=ballot-conflict&beat=2'; });
  await text(page.getByTestId('lesson-progress'), /^beat 2 of/);
  assert.equal(fetched.length, 3);
  assert.deepEqual(errors.filter((e) => !/503/.test(e)), []);
  await context.close();
});

test('a lesson link in presenter mode waits for the lessons\' text in presenter mode, and keeps the link when it cannot load', async () => {
  const context = await b.newContext({ viewport: { width: 1280, height: 720 }, serviceWorkers: 'block' });
  let release;
  const held = new Promise((r) => { release = r; });
  let fail = true;
  await context.route(/builtin\.txt/, async (r) => {
    if (fail) return r.fulfill({ status: 404, body: '' });
    await held; // a slow lecture-hall network
    return r.continue();
  });
  const page = await context.newPage();
  const link = 'lesson=two-leaders&beat=3&p=1';
  await page.goto(`${srv.url}#${link}`);
  await text(page.getByTestId('notice'), /The lessons could not be loaded \(the server answered 404\), so this link's lesson cannot open: the app shows free play instead\. Reload the page to try again\./);
  await page.getByTestId('presenter-bar').waitFor();
  assert.equal(new URL(page.url()).hash, `#${link}`);
  // The network is back but slow: while the text loads the page is already in presenter mode.
  fail = false;
  await page.reload();
  await page.getByTestId('presenter-bar').waitFor();
  assert.equal(await page.locator('header.topbar').count(), 0);
  release();
  await text(page.getByTestId('lesson-progress'), /^beat 3 of/);
  await text(page.getByTestId('presenter-title'), /Lesson 15 · /);
  assert.equal(new URL(page.url()).hash, `#${link}`);
  await context.close();
});

test('acting in a lesson forks it, and Resume brings the script back', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#lesson=happy-path&beat=3`);
  await text(page.getByTestId('lesson-progress'), /beat 3 of/);
  await page.getByTestId('node-A3').click();
  await page.getByTestId('crash').click();
  await text(page.getByTestId('caption'), /exploring on your own/);
  await count(page.getByTestId('off-script'), 1);
  await page.getByTestId('lesson-resume').click();
  await text(page.getByTestId('lesson-progress'), /^beat 3 of \d+$/);
  await attr(page.getByTestId('node-A3'), 'class', /^(?!.*crashed)/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a link shared during a your-turn reopens at that turn, even when the student did the script\'s own steps', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#lesson=durability&beat=11`);
  const progress = page.getByTestId('lesson-progress');
  await text(progress, /^beat 11 of/);
  // The script's next two steps, done by hand: crash A2, then restart it.
  await page.getByTestId('node-A2').click();
  await page.getByTestId('crash').click();
  await page.getByTestId('node-A2').click();
  await page.getByTestId('restart').click();
  await text(progress, /^beat 11 of \d+ · your turn$/);
  await page.getByTestId('goal-status').waitFor();
  const url = await until(() => page.url(), (u) => /&hd=24(&|$)/.test(u), 'where the student took over, in the address');
  // Without it, the reopened page took the run for the lesson followed on, at beat 13 with no goal.
  const other = await open(b, url);
  await text(other.page.getByTestId('lesson-progress'), /^beat 11 of \d+ · your turn$/);
  await other.page.getByTestId('goal-status').waitFor();
  assert.equal(await other.page.getByTestId('goal-status').textContent(), await page.getByTestId('goal-status').textContent());
  assert.deepEqual([...errors, ...other.errors], []);
  await other.context.close();
  await context.close();
});

test('a share URL round-trips to the identical state', async () => {
  const { page, errors, context } = await open(b, srv.url);
  await page.getByTestId('start').click();
  for (let i = 0; i < 7; i++) await page.getByTestId('step').click();
  await page.getByTestId('node-A2').click();
  await page.getByTestId('crash').click();
  for (let i = 0; i < 3; i++) await page.getByTestId('step').click();
  await page.getByTestId('back').click();
  const url = await until(() => page.url(), (u) => /&at=11$/.test(u), 'the step in the address');
  assert.match(url, /#s=42&n=2\.2\.3\.1&run=.*&at=11$/);
  const want = await state(page);
  const other = await open(b, url);
  assert.equal(await state(other.page), want);
  // A reload keeps the work too.
  await page.reload();
  await page.getByTestId('cluster').waitFor();
  assert.equal(await state(page), want);
  assert.deepEqual([...errors, ...other.errors], []);
  await other.context.close();
  await context.close();
});

test('a damaged share URL is refused with a message', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#s=1&n=2.2.3.1&run=t~zz9`);
  // A freshly opened page has nothing to keep: it says what it shows instead.
  await text(page.getByTestId('notice'), /could not be opened .*step 2.*the app opens in free play instead/);
  await step(page, /step 0 \/ 0/);
  const { page: p2, context: c2 } = await open(b, `${srv.url}#n=2.2.40.1`);
  await text(p2.getByTestId('notice'), /acceptors must be between 1 and 9/);
  // A lesson link with a beat too many still opens in the presenter mode it asks for.
  const { page: p3, context: c3 } = await open(b, `${srv.url}#lesson=ballot-conflict&beat=99&p=1`);
  await text(p3.getByTestId('notice'), /has 16 beats, not 99\); the app opens in free play instead/);
  await p3.getByTestId('presenter-bar').waitFor();
  assert.deepEqual(errors, []);
  await c2.close();
  await c3.close();
  await context.close();
});

test('export then import gives the same trace', async () => {
  const { page, errors, context } = await open(b, srv.url);
  await page.getByTestId('start').click();
  for (let i = 0; i < 9; i++) await page.getByTestId('step').click();
  await page.getByTestId('share').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-trace').click()]);
  const file = path.join(os.tmpdir(), `paxoscope-e2e-${process.pid}.json`);
  await download.saveAs(file);
  const exported = JSON.parse(fs.readFileSync(file, 'utf8'));
  assert.equal(exported.format, 'paxoscope-trace');
  assert.equal(exported.steps.length, 10);
  const want = await state(page);
  const fresh = await open(b, srv.url);
  await fresh.page.getByTestId('share').click();
  await fresh.page.getByTestId('import-trace').setInputFiles(file);
  await fresh.page.getByTestId('notice').waitFor();
  assert.match(await fresh.page.getByTestId('notice').textContent(), /Imported a trace of 10 steps/);
  assert.equal((await state(fresh.page)).replace(/Imported.*/, ''), want.replace(/Imported.*/, ''));
  // Export again: the very same trace.
  await fresh.page.getByTestId('share').click();
  const [d2] = await Promise.all([fresh.page.waitForEvent('download'), fresh.page.getByTestId('export-trace').click()]);
  const file2 = file + '.again';
  await d2.saveAs(file2);
  assert.deepEqual(JSON.parse(fs.readFileSync(file2, 'utf8')), exported);
  assert.deepEqual([...errors, ...fresh.errors], []);
  await fresh.context.close();
  await context.close();
});

test('a broken import shows an error and changes nothing', async () => {
  const { page, errors, context } = await open(b, srv.url);
  await page.getByTestId('start').click();
  await page.getByTestId('step').click();
  const want = await state(page);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paxoscope-bad-'));
  const cases = [
    ['garbage.json', '{not json', /not valid JSON/],
    ['v9.json', '{"format":"paxoscope-trace","version":9}', /version 9/],
    ['range.json', JSON.stringify({ format: 'paxoscope-trace', version: 1, config: { acceptors: 99 }, seed: 1, steps: [] }), /acceptors must be between/],
    ['ids.json', JSON.stringify({ format: 'paxoscope-trace', version: 1, config: {}, seed: 1, steps: [{ command: { type: 'crash', node: 'Q7' }, events: [] }] }), /unknown node id/],
    ['replay.json', JSON.stringify({ format: 'paxoscope-trace', version: 1, config: {}, seed: 1, steps: [{ command: { type: 'crash', node: 'A9' }, events: [] }] }), /refused: there is no A9/],
    ['big.json', 'x'.repeat(9 * 1024 * 1024), /limit/],
  ];
  for (const [name, body, want_msg] of cases) {
    const f = path.join(dir, name);
    fs.writeFileSync(f, body);
    await page.getByTestId('share').click();
    await page.getByTestId('import-trace').setInputFiles(f);
    await page.waitForFunction(() => document.querySelector('[data-testid=notice]'));
    assert.match(await page.getByTestId('notice').textContent(), want_msg, name);
    assert.match(await page.getByTestId('notice').textContent(), /Import refused, nothing changed|limit/, name);
    assert.equal((await state(page)), want, `${name} changed nothing`);
    await page.getByTestId('notice').locator('button').click();
  }
  await shot(page, '12-import-refused');
  assert.deepEqual(errors, []);
  await context.close();
});

test('partition and heal from the panel', async () => {
  const { page, errors, context } = await open(b, srv.url);
  for (const n of ['C1', 'P1', 'A1']) await page.getByTestId(`cut-${n}`).click();
  await page.getByTestId('split').click();
  await text(page.getByTestId('partition-legend'), /\{C1, P1, A1\}\s+\|\s+\{C2, P2, A2, A3, L1\}/);
  await text(page.getByTestId('narration'), /The network is split/);
  await page.getByTestId('node-C1').click();
  await page.getByTestId('request').click();
  for (let i = 0; i < 6; i++) await page.getByTestId('step').click();
  assert.ok((await page.locator('.log-row', { hasText: 'cannot cross the partition' }).count()) > 0);
  assert.equal(await page.getByTestId('chosen-banner').count(), 0);
  await shot(page, '13-partition');
  await page.getByTestId('heal').click();
  assert.equal(await page.getByTestId('partition-legend').count(), 0);
  for (let i = 0; i < 80 && (await page.getByTestId('chosen-banner').count()) === 0; i++) await page.getByTestId('step').click();
  await text(page.getByTestId('chosen-banner'), /Chosen: "X"/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('pictures for slides: SVG and PNG downloads', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#lesson=happy-path&at=8`);
  await step(page, /step 8 \//);
  await page.getByTestId('share').click();
  const [svg] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-svg').click()]);
  const svgText = fs.readFileSync(await svg.path(), 'utf8');
  assert.match(svgText, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svgText, /A2/);
  const parses = await page.evaluate((t) => !new DOMParser().parseFromString(t, 'image/svg+xml').querySelector('parsererror'), svgText);
  assert.ok(parses, 'the SVG is well-formed XML, so other programs can open it');
  // The picture is the canvas at rest: the message that just arrived is not frozen on its
  // receiver, and the step and its caption are in a footer.
  assert.ok(await page.locator('[data-testid^="ghost-"]').count() > 0, 'a ghost is on screen while the step animates');
  assert.doesNotMatch(svgText, /ghost-/);
  assert.match(svgText, /class="export-footer">Step 8\. Lesson 1, beat 7: A3's promise/);
  await page.getByTestId('share').click();
  const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-png').click()]);
  const bytes = fs.readFileSync(await png.path());
  assert.equal(bytes.subarray(1, 4).toString(), 'PNG');
  assert.ok(bytes.length > 20000, `a real picture: ${bytes.length} bytes`);
  fs.copyFileSync(await png.path(), path.join(path.dirname(new URL(import.meta.url).pathname), 'screenshots', '14-exported.png'));
  assert.deepEqual(errors, []);
  await context.close();
});

test('a bug that stops the app says so: a WebAssembly trap shows the banner, another error does not', async () => {
  // The browser build aborts on a panic (scripts/setup.sh, app_trunk): the trap reaches the page
  // as a WebAssembly.RuntimeError thrown out of an event's callback, or rejecting a promise.
  const { page, context } = await open(b, srv.url);
  await page.evaluate(() => setTimeout(() => { throw new Error('an extension failed'); }));
  await page.evaluate(() => { Promise.reject(new TypeError('not ours either')); });
  // The app still works after errors that are not its own.
  await page.getByTestId('start').click();
  await text(page.getByTestId('narration'), /C1 asks P1 to get "X" chosen/);
  await count(page.getByTestId('panic'), 0);
  await page.evaluate(() => setTimeout(() => { throw new WebAssembly.RuntimeError('unreachable'); }));
  const banner = page.getByTestId('panic');
  await text(banner, /^Paxoscope hit an internal error \(unreachable\) and stopped\. Reload the page to start again\.$/);
  assert.equal(await banner.getAttribute('role'), 'alert');
  await page.evaluate(() => { Promise.reject(new WebAssembly.RuntimeError('unreachable')); });
  await page.waitForTimeout(200);
  assert.equal(await banner.count(), 1, 'one banner, however many traps follow');
  await context.close();
});
