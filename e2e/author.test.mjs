// End-to-end: authoring a lesson from a free-play run, sharing it as a link, playing it in a fresh
// context with a clicker; a challenge solved, its attempt handed in, a folder of attempts graded
// (one tampered with); bad links and files refused with a message, changing nothing.
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
/** The cluster as a student sees it, reduced to text. */
const state = (page) => page.evaluate(() => [
  ...[...document.querySelectorAll('[data-testid^="node-"]')].map((n) => n.getAttribute('data-label')),
  document.querySelector('[data-testid=counter]').textContent,
].join('\n'));

/** Opens the authoring panel from the Share menu. */
async function author(page) {
  await page.getByTestId('share').click();
  await page.getByTestId('author-open').click();
  await page.getByTestId('author-panel').waitFor();
}

/** Steps once and waits for the counter to move. */
async function stepOnce(page) {
  const before = await counter(page);
  await page.getByTestId('step').click();
  await until(() => counter(page), (c) => c !== before, 'the next step');
}

/** The number of the step on screen. */
const at = async (page) => Number((await counter(page)).match(/step (\d+)/)[1]);

test('author a lesson, share it as a link, reopen it fresh and play it with a clicker', async () => {
  const { page, errors, context } = await open(b, srv.url);
  await page.getByTestId('start').click();
  await step(page, /step 1 \//);
  await author(page);
  await page.getByTestId('author-title').fill('Two phases, my way');
  await page.getByTestId('author-intro').fill('Watch P1 get X chosen.');
  // Beats at steps where something happens; a predict question before one delivery.
  let polled = 0;
  for (let i = 0; i < 40 && (await page.getByTestId('author-beat').count()) < 3; i++) {
    await stepOnce(page);
    const n = await page.getByTestId('author-beat').count();
    if ((await at(page)) % 3 === 0) {
      await page.getByTestId('author-mark').click();
      await until(() => page.getByTestId('author-beat').count(), (c) => c === n + 1 || c === n, 'the mark');
    }
    if (!polled && (await page.getByTestId('author-beat').count()) === 1 && (await page.getByTestId('author-poll').isEnabled())) {
      await page.getByTestId('author-poll').click();
      polled = (await at(page)) + 1;
      // In free play the step asked about is not recorded yet: the panel says so at once.
      await count(page.getByTestId('author-poll-unrecorded'), 1);
    }
  }
  await count(page.getByTestId('author-beat'), 3);
  assert.ok(polled > 0, 'a predict question was added');
  await count(page.getByTestId('author-poll-unrecorded'), 0);
  await count(page.getByTestId('author-poll-unasked'), 0);
  const runBefore = await state(page);
  const captions = ['First beat: P1 starts.', 'Second beat: votes come in.', 'Third beat: on it goes.'];
  for (const [i, c] of captions.entries()) await page.getByTestId('author-caption').nth(i).fill(c);
  // Beat 1 marks two acceptors on the canvas; a node the cluster lacks is refused at once.
  await page.getByTestId('author-highlight-label').nth(0).fill('a quorum');
  await page.getByTestId('author-highlight-nodes').nth(0).fill('A1 A9');
  await text(page.getByTestId('author-highlight-error'), 'this cluster has no A9');
  await page.getByTestId('author-share-link').click();
  await text(page.getByTestId('author-link-error'), /beat 1's highlight: this cluster has no A9/);
  await page.getByTestId('author-highlight-nodes').nth(0).fill('A1 A2');
  await count(page.getByTestId('author-highlight-error'), 0);
  assert.equal(await page.getByTestId('author-highlight-label').nth(0).inputValue(), 'a quorum', 'typed words are kept');
  // Closing the panel keeps the draft.
  await page.getByTestId('author-close').click();
  await count(page.getByTestId('author-panel'), 0);
  await author(page);
  assert.equal(await page.getByTestId('author-caption').nth(2).inputValue(), captions[2]);
  // A "your turn" point after beat 2, with a goal from the menu.
  await page.getByTestId('author-goal-kind').selectOption({ label: 'a value is chosen' });
  await page.getByTestId('author-turn').nth(1).click();
  await text(page.getByTestId('author-turn').nth(1), /✕ your turn: get a value chosen/);
  await page.getByTestId('author-share-link').click();
  const link = await until(() => page.getByTestId('author-link').inputValue().catch(() => ''), (v) => v.includes('#L='), 'the link');
  assert.ok(link.length <= 2000, `${link.length} characters`);
  assert.equal(await state(page), runBefore, 'authoring never changed the run');
  // The panel sits beside the canvas at projector and desktop sizes: it covers none of it.
  for (const [width, height, name] of [[1280, 720, '40-authoring-1280'], [1920, 1080, '41-authoring-1920']]) {
    await page.setViewportSize({ width, height });
    await shot(page, name);
    const [panel, canvas] = await Promise.all([page.getByTestId('author-panel').boundingBox(), page.locator('section.canvas').boundingBox()]);
    assert.ok(panel.x >= canvas.x + canvas.width, `at ${width}×${height} the panel starts at x=${panel.x}, the canvas ends at ${canvas.x + canvas.width}`);
  }
  await context.close();

  // A fresh context, as a student or another lecturer who got the link.
  const fresh = await open(b, link);
  const p = fresh.page;
  await text(p.getByTestId('lesson-card'), /Two phases, my way/);
  await text(p.getByTestId('caption'), 'Watch P1 get X chosen.');
  await p.locator('body').click({ position: { x: 5, y: 5 } });
  await p.keyboard.press('p');
  await p.getByTestId('presenter-strip').waitFor();
  await text(p.getByTestId('presenter-title'), 'Two phases, my way');
  await p.keyboard.press('PageDown');
  await text(p.getByTestId('caption'), captions[0]);
  await text(p.getByTestId('highlight-label'), 'A1, A2: a quorum');
  // The lecturer's predict question stops the clicker before its step; PageDown reveals it.
  await p.keyboard.press('PageDown');
  await p.getByTestId('strip-question').waitFor();
  await shot(p, '42-authored-poll-presenter');
  await p.keyboard.press('PageDown');
  await p.getByTestId('strip-question').waitFor({ state: 'detached' });
  await p.keyboard.press('PageDown');
  await text(p.getByTestId('caption'), captions[1]);
  // The turn has no prompt of its own: the goal's words are said once, not twice. In presenter
  // mode the box has its own Step button (the strip's ▶ plays the next beat).
  await text(p.getByTestId('your-turn'), /^Your turn\. Get a value chosen Beat ▶ \(PageDown\) skips it\. Step ▶ or \. to play$/);
  await p.keyboard.press('PageDown');
  await text(p.getByTestId('caption'), captions[2]);
  await p.keyboard.press('PageUp');
  await text(p.getByTestId('caption'), captions[1]);
  assert.deepEqual([...errors, ...fresh.errors], []);
  await fresh.context.close();
});

test('solve a challenge, hand in the attempt, grade a folder of attempts with one tampered', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paxoscope-attempts-'));
  const { page, errors, context } = await open(b, srv.url);
  await page.getByTestId('start').click();
  await step(page, /step 1 \//);
  await author(page);
  await page.getByTestId('author-title').fill('Get X chosen');
  // A beat marked before Challenge is ticked is set aside, and the panel says so.
  await page.getByTestId('author-mark').click();
  await page.getByTestId('author-challenge').check();
  await text(page.getByTestId('author-set-aside'), /^A challenge has no beats: the 1 beat you marked is set aside, not saved with it, and comes back when Challenge is unticked\.$/);
  await page.getByTestId('author-challenge').uncheck();
  await count(page.getByTestId('author-set-aside'), 0);
  await count(page.locator('.author-beats li'), 1);
  await page.getByTestId('author-challenge').check();
  await page.getByTestId('author-intro').fill('Drive the cluster until a value is chosen.');
  await page.getByTestId('author-goal-kind').selectOption({ label: 'a value is chosen' });
  await page.getByTestId('author-add-goal').click();
  await page.getByTestId('author-goal-kind').selectOption({ label: 'learner L learned value v' });
  await page.getByTestId('author-goal-node').selectOption('L1');
  await page.getByTestId('author-goal-value').fill('X');
  await page.getByTestId('author-add-goal').click();
  await count(page.getByTestId('author-goals').locator('li'), 2);
  // The lesson file goes along with the link.
  const [lessonFile] = await Promise.all([page.waitForEvent('download'), page.getByTestId('author-share-file').click()]);
  const lessonPath = path.join(dir, 'challenge.lesson.json');
  await lessonFile.saveAs(lessonPath);
  assert.equal(JSON.parse(fs.readFileSync(lessonPath, 'utf8')).format, 'paxoscope-lesson');
  await page.getByTestId('author-share-link').click();
  const link = await until(() => page.getByTestId('author-link').inputValue().catch(() => ''), (v) => v.includes('#L='), 'the link');
  await context.close();

  /** A student opens the challenge, takes `steps` steps and hands in the attempt. */
  async function attempt(name, steps) {
    const s = await open(b, link);
    const sp = s.page;
    await text(sp.getByTestId('lesson-card'), /Challenge[\s\S]*Get X chosen/);
    await step(sp, /step 1 \//);
    await count(sp.locator('[data-testid=challenge-goal][data-reached=true]'), 0);
    // A challenge has no beats: the clicker's back is one step back, not a jump to step 0.
    await sp.keyboard.press('ArrowRight');
    await step(sp, /step 2 \//);
    await sp.keyboard.press('ArrowLeft');
    await step(sp, /step 1 \//);
    for (let i = 0; i < steps && (await sp.locator('[data-testid=challenge-goal][data-reached=false]').count()) > 0; i++) await stepOnce(sp);
    await sp.getByTestId('student-name').fill(name);
    const [dl] = await Promise.all([sp.waitForEvent('download'), sp.getByTestId('export-attempt').click()]);
    const file = path.join(dir, `${name}.json`);
    await dl.saveAs(file);
    const solved = (await sp.locator('[data-testid=challenge-goal][data-reached=true]').count()) === 2;
    if (solved) {
      await shot(sp, '43-challenge-solved');
      // On the projector the goals stay in view, ticked.
      await sp.locator('body').click({ position: { x: 5, y: 5 } });
      await sp.keyboard.press('p');
      await text(sp.getByTestId('strip-challenge'), /Challenge: Drive the cluster until a value is chosen/);
      await count(sp.getByTestId('presenter-strip').locator('[data-testid=challenge-goal][data-reached=true]'), 2);
      await shot(sp, '45-challenge-presenter');
    }
    assert.deepEqual(s.errors, []);
    await s.context.close();
    return { file, solved };
  }
  const ada = await attempt('Ada', 80);
  assert.ok(ada.solved, 'Ada reached both goals');
  const bob = await attempt('Bob', 2);
  assert.ok(!bob.solved, 'Bob stopped early');
  // Mallory copies Bob's file and claims both goals.
  const forged = JSON.parse(fs.readFileSync(bob.file, 'utf8'));
  forged.attempt.student = 'Mallory';
  forged.attempt.results = forged.attempt.results.map((r) => ({ ...r, reached: true }));
  fs.writeFileSync(path.join(dir, 'Mallory.json'), JSON.stringify(forged));
  fs.rmSync(lessonPath);

  const g = await open(b, srv.url);
  const gp = g.page;
  await gp.getByTestId('share').click();
  await gp.getByTestId('grade-open').click();
  await gp.getByTestId('grade-folder').setInputFiles(dir);
  await count(gp.getByTestId('grade-row'), 3);
  const row = (who) => gp.getByTestId('grade-row').filter({ hasText: who });
  await attr(row('Ada'), 'data-status', 'solved');
  await attr(row('Bob'), 'data-status', 'open');
  await attr(row('Mallory'), 'data-status', 'tampered');
  await text(row('Mallory'), /edited after export/);
  await text(gp.getByTestId('grade-summary'), '3 files: 1 solved, 1 flagged.');
  await shot(gp, '44-grading');
  // The same files dropped onto the table.
  await gp.evaluate(async (files) => {
    const dt = new DataTransfer();
    for (const [name, body] of files) dt.items.add(new File([body], name, { type: 'application/json' }));
    document.querySelector('[data-testid=grades]').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, ['Ada', 'Mallory'].map((n) => [`${n}.json`, fs.readFileSync(path.join(dir, `${n}.json`), 'utf8')]));
  await count(gp.getByTestId('grade-row'), 2);
  await attr(row('Mallory'), 'data-status', 'tampered');
  await attr(row('Ada'), 'data-status', 'solved');
  assert.deepEqual([...errors, ...g.errors], []);
  await g.context.close();
});

test('in Multi-Paxos the goal menu offers the log first: a challenge to make L1 apply s1 to s2 is solved by stepping', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#s=7&n=2.2.3.1&md=multi&run=q-C1-X1~q-C2-Y1`);
  await text(page.getByTestId('counter'), /^step 2 \/ 2/);
  await author(page);
  const kind = page.getByTestId('author-goal-kind');
  // "a value is chosen" is met in a log as soon as any one slot is: the log's goals come first.
  assert.deepEqual((await kind.locator('option').allTextContents()).slice(0, 2), [
    "learner L applied slots s1–sN", "client C applied slots s1–sN",
  ]);
  await page.getByTestId('author-title').fill('Two in order');
  await page.getByTestId('author-challenge').check();
  await page.getByTestId('author-intro').fill('Step until L1 has applied two commands.');
  await page.getByTestId('author-goal-node').selectOption('L1');
  await page.getByTestId('author-goal-number').fill('2');
  await page.getByTestId('author-add-goal').click();
  await text(page.getByTestId('author-goals'), /make L1 apply s1–s2/);
  await page.getByTestId('author-share-link').click();
  const link = await until(() => page.getByTestId('author-link').inputValue().catch(() => ''), (v) => v.includes('#L='), 'the link');
  await context.close();
  const s = await open(b, link);
  await text(s.page.getByTestId('lesson-card'), /Challenge[\s\S]*Two in order/);
  await count(s.page.locator('[data-testid=challenge-goal][data-reached=false]'), 1);
  for (let i = 0; i < 80 && (await s.page.locator('[data-testid=challenge-goal][data-reached=false]').count()) > 0; i++) await stepOnce(s.page);
  await text(s.page.locator('[data-testid=challenge-goal][data-reached=true]'), /L1 has applied s1–s2 with no gap/);
  assert.deepEqual([...errors, ...s.errors], []);
  await s.context.close();
});

test('bad links and lesson files get a clear message and change nothing', async () => {
  const { page, errors, context } = await open(b, srv.url);
  await page.getByTestId('start').click();
  await stepOnce(page);
  const want = await state(page);
  const good = { format: 'paxoscope-lesson', version: 1, title: 'T', config: {}, seed: 1,
    commands: [{ type: 'request', client: 'C1', value: 'X' }], challenge: { prompt: 'p', goals: [{ type: 'chosen_while_down', node: 'A9' }] } };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paxoscope-bad-lessons-'));
  const files = [
    ['v7.json', JSON.stringify({ ...good, version: 7 }), /version 7; this Paxoscope reads version 1/],
    ['node.json', JSON.stringify(good), /names A9, which is not in this cluster/],
    ['big.json', JSON.stringify({ ...good, title: 'x'.repeat(600 * 1024) }), /at most 512 KB/],
    // A file that is not JSON at all is named so in words, not by the parser's tokens ("ident").
    ['notes.json', 'not json at all', /a word JSON does not know \(only true, false and null go without quotes\)/],
  ];
  for (const [name, body, msg] of files) {
    const f = path.join(dir, name);
    fs.writeFileSync(f, body);
    await page.getByTestId('share').click();
    await page.getByTestId('import-trace').setInputFiles(f);
    await text(page.getByTestId('notice'), msg);
    await text(page.getByTestId('notice'), /nothing (was )?changed/);
    assert.equal(await state(page), want, `${name} changed nothing`);
    await page.getByTestId('notice').locator('button').click();
  }
  for (const [hash, msg] of [['L=AAAA_damaged&beat=0', /damaged|version/], ['L=Ag&beat=0', /version 2/]]) {
    await page.evaluate((h) => { location.hash = h; }, hash);
    await text(page.getByTestId('notice'), msg);
    await text(page.getByTestId('notice'), /could not be opened.*nothing was changed/);
    assert.equal(await state(page), want, `${hash} changed nothing`);
  }
  await shot(page, '45-bad-lesson-link');
  assert.deepEqual(errors, []);
  await context.close();
});
