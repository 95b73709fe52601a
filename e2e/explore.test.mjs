// End-to-end: rule-breaking switches, the explorer in the browser, the counterexample playing
// back, and the space-time diagram in sync with the timeline.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { serve, browser, open, shot, until, text as waitText, attr, count, step as waitStep, smallestText } from './harness.mjs';

let srv, b;
before(async () => { srv = await serve(); b = await browser(); });
after(async () => { await b?.close(); await srv?.close(); });

test('the default config explores safe in the browser, without freezing the page', async () => {
  const { page, errors, context } = await open(b, srv.url);
  await page.getByTestId('open-explorer').click();
  await page.getByTestId('explore-run').click();
  // The page keeps answering while the search runs: the state count is seen to grow.
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=explore-states]')?.textContent) > 1000);
  await page.getByTestId('verdict').waitFor({ timeout: 60_000 });
  assert.equal(await page.getByTestId('verdict').getAttribute('data-verdict'), 'safe');
  await waitText(page.getByTestId('verdict'), /Safe within these bounds: no violation in 27310 states \(3 ballots in all/);
  console.log(`# the default search took ${await page.getByTestId('explore-time').textContent()} in Chromium`);
  // What the bounds cover is said next to them.
  await waitText(page.getByTestId('explore-covers'), /3 ballots in all: a proposer can meet votes from two earlier ballots/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('cancel stops a search', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#s=42&n=2.2.3.1`);
  await page.getByTestId('open-explorer').click();
  // A search of millions of states, to be sure it is still running when cancelled.
  await page.getByTestId('bound-rounds').fill('5');
  await page.getByTestId('bound-crashes').fill('2');
  await page.getByTestId('bound-duplicates').fill('2');
  await page.getByTestId('explore-run').click();
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=explore-states]')?.textContent) > 1000);
  await page.getByTestId('explore-cancel').click();
  await waitText(page.getByTestId('verdict'), /Cancelled after \d+ states/);
  const n = await page.getByTestId('explore-states').textContent();
  await page.waitForTimeout(300);
  assert.equal(await page.getByTestId('explore-states').textContent(), n, 'nothing runs after cancel');
  assert.deepEqual(errors, []);
  await context.close();
});

test('switch on a mutation, explore, and watch the counterexample turn the invariants red', async () => {
  const { page, errors, context } = await open(b, srv.url);
  await page.locator('[data-testid=config] summary').click();
  await page.getByTestId('mutation-ignore_reported_values').check();
  await page.getByTestId('apply').click();
  await waitText(page.getByTestId('unsafe-badge'), /unsafe/);
  assert.match(page.url(), /mu=ignore_reported_values/);
  await page.getByTestId('open-explorer').click();
  await page.getByTestId('explore-run').click();
  // The counterexample loads at step 0 and plays.
  await page.waitForFunction(() => document.querySelector('[data-testid=notice]')?.textContent.includes('counterexample is loaded'), null, { timeout: 60_000 });
  await page.getByTestId('play').click(); // pause, then walk it by hand
  const [, total] = (await page.getByTestId('counter').textContent()).match(/\/ (\d+)/);
  await page.keyboard.press('Escape');
  // Before the last step only the switched-off rule is broken (P2c, named); the last breaks
  // agreement.
  await page.getByTestId('timeline').fill(String(Number(total) - 1));
  await waitText(page.getByTestId('invariants'), /A rule of Paxos is broken.*proposes its own .* though its quorum reported/);
  await page.getByTestId('forward').click();
  assert.equal(await page.getByTestId('invariants').getAttribute('data-state'), 'violated');
  await waitText(page.getByTestId('invariants'), /is chosen in ballot .* but .* was already chosen/);
  await waitText(page.getByTestId('narration'), /Safety is broken/);
  // Both values were chosen, so both sides' marks are ✓: the banner says who holds which.
  await waitText(page.getByTestId('chosen-banner'), /Agreement broken: two values are chosen: .+ and .+ (Nobody has found out either yet\.|[ACLP]\d.* holds? ")/);
  await shot(page, '20-counterexample-red');
  assert.deepEqual(errors, []);
  await context.close();
});

test('every harmful switch yields a counterexample in the browser', async () => {
  const { page, errors, context } = await open(b, srv.url);
  for (const m of ['ignore_reported_values', 'acceptor_amnesia', 'minority_quorum', 'accept_below_promise']) {
    await page.goto(`${srv.url}#s=42&n=2.2.3.1&mu=${m}`);
    await page.getByTestId('cluster').waitFor();
    await page.getByTestId('open-explorer').click();
    await page.getByTestId('explore-run').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=notice]')?.textContent.includes('counterexample is loaded'), null, { timeout: 60_000 });
    await page.getByTestId('play').click();
    const [, total] = (await page.getByTestId('counter').textContent()).match(/\/ (\d+)/);
    await page.getByTestId('timeline').fill(total);
    assert.equal(await page.getByTestId('invariants').getAttribute('data-state'), 'violated', m);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('the space-time diagram follows the timeline and the canvas', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#lesson=happy-path&at=12`);
  await waitStep(page, /step 12 \//);
  await page.getByTestId('open-spacetime').click();
  const diagram = page.getByTestId('spacetime');
  await diagram.waitFor();
  assert.equal(await diagram.locator('[data-testid^=st-row-]').count(), 12);
  // A delivered arrow ends at its delivery row; an in-flight one is dashed.
  assert.ok(await diagram.locator('.st-arrow.in-flight').count() > 0);
  // Hovering an in-flight token lights up its arrow, and the reverse.
  const tok = page.locator('[data-testid^="msg-"].in-flight').first();
  const id = (await tok.getAttribute('data-testid')).slice(4);
  await tok.hover();
  assert.match(await page.getByTestId(`st-msg-${id}`).getAttribute('class'), /hovered/);
  await page.mouse.move(5, 5);
  assert.doesNotMatch(await page.getByTestId(`st-msg-${id}`).getAttribute('class'), /hovered/);
  // And the reverse: pointing at the arrow marks the token on the canvas.
  await page.getByTestId(`st-msg-${id}`).dispatchEvent('mouseenter');
  assert.match(await page.getByTestId(`msg-${id}`).getAttribute('class'), /selected/);
  await page.getByTestId(`st-msg-${id}`).dispatchEvent('mouseleave');
  // Clicking a row goes there.
  await page.getByTestId('st-row-5').click();
  await waitText(page.getByTestId('counter'), /step 5 \//);
  assert.equal(await diagram.locator('[data-testid^=st-row-]').count(), 5);
  await shot(page, '21-spacetime');
  const [svg] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-spacetime').click()]);
  const text = fs.readFileSync(await svg.path(), 'utf8');
  assert.match(text, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(text, /st-arrow/);
  assert.ok(await page.evaluate((t) => !new DOMParser().parseFromString(t, 'image/svg+xml').querySelector('parsererror'), text));
  assert.deepEqual(errors, []);
  await context.close();
});

test('the diagram stays usable with 20 nodes and 500 events', async () => {
  // 3 clients, 5 proposers, 9 acceptors, 3 learners; a long run of ticks.
  const run = ['l-C2-P2', 'l-C3-P3', 'q-C1-X', 'q-C2-Y', 'q-C3-Z', ...Array(495).fill('t')].join('~');
  const { page, errors, context } = await open(b, `${srv.url}#s=9&n=3.5.9.3&dp=10&ls=5&run=${run}`);
  await waitText(page.getByTestId('counter'), /step 500 \/ 500/);
  const t0 = Date.now();
  await page.getByTestId('open-spacetime').click();
  await page.getByTestId('spacetime').waitFor();
  const opened = Date.now() - t0;
  assert.equal(await page.locator('.st-head').count(), 20);
  assert.equal(await page.locator('[data-testid^=st-row-]').count(), 500);
  // The current row is scrolled into view.
  const visible = await page.evaluate(() => {
    const row = document.querySelector('[data-testid=st-row-500]').getBoundingClientRect();
    const box = document.getElementById('st-scroll').getBoundingClientRect();
    return row.top >= box.top && row.bottom <= box.bottom;
  });
  assert.ok(visible, 'the current step is in view');
  await page.getByTestId('back').click();
  await shot(page, '22-spacetime-large');
  console.log(`# opening the diagram at 500 steps took ${opened} ms`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a broken rule is marked where it breaks, the harm where it follows, and the narration joins them', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#s=42&n=2.2.3.1&mu=accept_below_promise`);
  await page.getByTestId('open-explorer').click();
  await page.getByTestId('explore-run').click();
  const card = page.getByTestId('explore-card-text');
  await waitText(card, /17 steps long, searching 3 ballots, 0 crashes, 0 duplicates, 0 drops \(rule broken at step 13, harm at step 17\)/);
  await page.getByTestId('play').click();
  await page.getByTestId('timeline').fill('13');
  await waitText(page.getByTestId('narration'), /A rule of Paxos is broken \(no acceptor accepts below its promise\)/);
  await page.getByTestId('timeline').fill('17');
  await waitText(page.getByTestId('narration'), /Safety is broken: .* This is the harm the rule exists to prevent: it was broken at step 13/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('shared ballots break their rule but no harm follows; stopping at the rule shows it', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#s=42&n=2.2.3.1&mu=shared_ballots`);
  await page.getByTestId('open-explorer').click();
  await page.getByTestId('explore-run').click();
  await attr(page.getByTestId('verdict'), 'data-verdict', 'no-harm');
  await waitText(page.getByTestId('verdict'), /A rule broke, but no harm followed in \d+ states \(3 ballots in all.*First break: P2 used ballot 1\.1, which belongs to P1\. Why no harm: an acceptor promises only a ballot greater/);
  await page.getByTestId('explore-stop-at-rule').check();
  await page.getByTestId('explore-run').click();
  await waitText(page.getByTestId('explore-card-text'), /4 steps long.*\(rule broken at step 4\)/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('amnesia brings the crash it needs, and fewer crashes cannot be run', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#s=42&n=2.2.3.1&mu=acceptor_amnesia`);
  await page.getByTestId('open-explorer').click();
  assert.equal(await page.getByTestId('bound-crashes').inputValue(), '1');
  await page.getByTestId('bound-crashes').fill('0');
  await waitText(page.getByTestId('explore-covers'), /amnesia only shows after a crash and a restart/);
  assert.equal(await page.getByTestId('explore-run').isDisabled(), true);
  await page.getByTestId('bound-crashes').fill('1');
  await until(() => page.getByTestId('explore-run').isEnabled(), (v) => v, 'the run button enabled');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a shared counterexample opens as one: the link says so, and the bar and strip name it', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#s=42&n=2.2.3.1&mu=ignore_reported_values`);
  await page.getByTestId('open-explorer').click();
  await page.getByTestId('explore-run').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=notice]')?.textContent.includes('counterexample is loaded'), null, { timeout: 60_000 });
  // The address (what Share ▸ Copy link copies) marks the run as the counterexample.
  await page.waitForFunction(() => location.hash.includes('&cx=1'));
  const hash = await page.evaluate(() => location.hash);
  await context.close();
  // A student opens it: the notice says what it is and what it breaks.
  const student = await open(b, `${srv.url}${hash}`);
  await waitText(student.page.getByTestId('notice'), /^The explorer's counterexample, opened from a link: 17 steps, with “Proposers ignore values reported in promises and always propose their own \(breaks P2c\)” switched off\. Step 15, a rule breaks: .+ Step 17, the harm: /);
  assert.deepEqual(student.errors, []);
  await student.context.close();
  // A lecturer opens it in presenter mode at step 0: the bar names it, the strip says what it breaks.
  const at0 = hash.replace(/&at=\d+/, '') + '&at=0&p=1';
  const lecturer = await open(b, `${srv.url}${at0}`);
  await waitText(lecturer.page.getByTestId('presenter-title'), /^Counterexample · 17 steps$/);
  await waitText(lecturer.page.getByTestId('strip-narration'), /^The explorer's counterexample, opened from a link: 17 steps, with “Proposers ignore values reported in promises and always propose their own \(breaks P2c\)” switched off\. Step 15, a rule breaks: .+ Step 17, the harm: /);
  await lecturer.page.keyboard.press('PageDown');
  await waitText(lecturer.page.getByTestId('strip-step'), 'step 1 / 17');
  await waitText(lecturer.page.getByTestId('presenter-title'), /^Counterexample · 17 steps$/);
  assert.deepEqual(lecturer.errors, []);
  await lecturer.context.close();
  assert.deepEqual(errors, []);
});

test('a counterexample plays by itself and pauses exactly where safety breaks', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#s=42&n=2.2.3.1&mu=minority_quorum`);
  await page.getByTestId('speed').fill('4');
  await page.getByTestId('open-explorer').click();
  await page.getByTestId('explore-run').click();
  // First where the switched-off rule breaks (a quorum short of a majority), then at the harm.
  await page.waitForFunction(() => document.querySelector('[data-testid=notice]')?.textContent.includes('Paused: a switched-off rule broke'), null, { timeout: 60_000 });
  await waitStep(page, /step 6 \//);
  await waitText(page.getByTestId('invariants'), /a majority is 2/);
  await page.getByTestId('play').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=notice]')?.textContent.includes('Paused: safety broke'), null, { timeout: 60_000 });
  assert.equal(await page.getByTestId('play').getAttribute('aria-pressed'), 'false');
  const [, at, total] = (await page.getByTestId('counter').textContent()).match(/step (\d+) \/ (\d+)/);
  assert.equal(at, total, 'it stopped at the last step of the counterexample');
  assert.equal(await page.getByTestId('invariants').getAttribute('data-state'), 'violated');
  await waitText(page.getByTestId('narration'), /✗ safety broken/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('presenter mode: E opens the explorer in large type, the bar names its counterexample, and the clicker drives it', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#s=42&n=2.2.3.1&mu=ignore_reported_values`);
  await page.keyboard.press('p');
  await page.getByTestId('presenter-bar').waitFor();
  await waitText(page.getByTestId('presenter-title'), /free play/);
  // The room is told a rule is off, as the top bar would tell one reader.
  await waitText(page.getByTestId('presenter-unsafe'), /rules off/);
  // The top bar is hidden in presenter mode: the key is the way in.
  await page.keyboard.press('e');
  await page.getByTestId('explorer').waitFor();
  // Rules are named in words, as in the settings, not by their trace names.
  await waitText(page.getByTestId('explore-config'), /rules switched off: Proposers ignore values reported in promises/);
  // Every line of it is at least 20 px, the projector's floor.
  const smallest = await smallestText(page.getByTestId('explorer'));
  assert.ok(smallest >= 20, `the explorer's smallest text is ${smallest} px in presenter mode`);
  // The clicker's "next" runs the search (it must not step the run hidden behind the dialog).
  await page.keyboard.press('PageDown');
  await waitText(page.getByTestId('presenter-title'), /^Counterexample · 17 steps$/);
  // The lecturer tells it: it waits at step 0, where the strip gives the verdict.
  await waitText(page.getByTestId('strip-narration'), /^Counterexample after \d+ states, 17 steps long, .+ PageDown steps through it\.$/);
  await page.waitForTimeout(1500); // had it played, a step would have come by now
  await waitText(page.getByTestId('strip-step'), 'step 0 / 17');
  // "." plays, and the strip says so; the clicker's next press takes control back, so PageUp
  // is not undone by play.
  await page.keyboard.press('.');
  await waitText(page.getByTestId('strip-step'), /^step [1-9]\d* \/ 17 · playing$/);
  await page.keyboard.press('PageDown');
  // Once the press is handled the step stays put: read until two reads a second apart agree.
  const at = async () => Number((await page.getByTestId('strip-step').textContent()).match(/step (\d+)/)[1]);
  let held = await at();
  for (let i = 0; i < 15; i++) {
    await page.waitForTimeout(1000);
    const now = await at();
    if (now === held) break;
    held = now;
  }
  await page.keyboard.press('PageUp');
  await waitText(page.getByTestId('strip-step'), `step ${held - 1} / 17`);
  await page.waitForTimeout(1500); // had play gone on, a step would have come by now
  await waitText(page.getByTestId('strip-step'), `step ${held - 1} / 17`);
  // At its last step a press says where the next one leads, and only the next one goes on.
  for (let at = held - 1; at < 17; at++) {
    await page.keyboard.press('PageDown');
    await waitText(page.getByTestId('strip-step'), `step ${at + 1} / 17`);
  }
  await page.keyboard.press('PageDown');
  await waitText(page.getByTestId('notice'), /This is the counterexample's last step/);
  await waitText(page.getByTestId('strip-step'), 'step 17 / 17');
  await page.keyboard.press('PageDown');
  await waitText(page.getByTestId('strip-step'), 'step 18 / 18');
  await waitText(page.getByTestId('presenter-title'), /free play/);
  await count(page.getByTestId('notice'), 0);
  // Back on it, the bar names it again.
  await page.keyboard.press('PageUp');
  await waitText(page.getByTestId('presenter-title'), /^Counterexample · 17 steps$/);
  // The verdict counts the states the search had seen when it stopped, as the progress does.
  await page.keyboard.press('e');
  await page.getByTestId('explorer').waitFor();
  const seen = await page.getByTestId('explore-states').textContent();
  await waitText(page.getByTestId('verdict'), new RegExp(`^Counterexample after ${seen} states`));
  await page.keyboard.press('Escape');
  await count(page.getByTestId('explorer'), 0);
  // Out of presenter mode the scrubber marks the broken rule apart from the harm.
  await page.keyboard.press('p');
  await until(() => page.locator('.marks .mark.rule').getAttribute('title'), (t) => t === 'step 15: a switched-off rule breaks (no harm yet)', 'the rule mark');
  await until(() => page.locator('.marks .mark.violation').getAttribute('title'), (t) => t === 'step 17: safety breaks', 'the harm mark');
  assert.deepEqual(errors, []);
  await context.close();
});
