// End-to-end: the explorer in Multi-Paxos mode. With the switch that lets a new leader skip the
// recovery of accepted slots, the browser's search finds two commands chosen in slot s1 and plays
// the run; the panel says what a log search covers; the correct log (the app's 8 slots, two
// clients' commands, one leader change) is proven safe.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, browser, open, shot, text } from './harness.mjs';

let srv, b;
before(async () => { srv = await serve(); b = await browser(); });
after(async () => { await b?.close(); await srv?.close(); });

const loaded = (page) => page.waitForFunction(
  () => document.querySelector('[data-testid=notice]')?.textContent.includes('counterexample is loaded'),
  null, { timeout: 180_000 });

test('multi mode: skipping recovery is caught as two commands chosen in one slot', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#s=42&n=2.2.3.1&md=multi&mu=skip_recovery`);
  await page.getByTestId('cluster').waitFor();
  await page.getByTestId('open-explorer').click();
  await text(page.getByTestId('explore-covers'), /Multi-Paxos: each client's first command goes to P1 \(2 clients\); 2 ballots in all \(the first leader's and one leader change\), no crash, drop or duplicate, at most one client retry/);
  await text(page.getByTestId('explore-config'), /a log of \d+ slots/);
  await page.getByTestId('explore-run').click();
  await loaded(page);
  await page.getByTestId('play').click();
  const [, total] = (await page.getByTestId('counter').textContent()).match(/\/ (\d+)/);
  assert.equal(total, '17', 'a shortest run: 17 steps, the two requests included');
  // Before the last step only the skipped recovery is flagged (P2c in s1); the last chooses a
  // second command in s1.
  await page.getByTestId('timeline').fill(String(Number(total) - 1));
  await text(page.getByTestId('invariants'), /A rule of Paxos is broken.*in slot s1 .* though its quorum reported "X1" accepted there/);
  await page.getByTestId('forward').click();
  await text(page.getByTestId('invariants'), /In slot s1, "Y1" is chosen in ballot 1\.2, but "X1" was already chosen there/);
  assert.equal(await page.getByTestId('invariants').getAttribute('data-state'), 'violated');
  await page.getByTestId('explore-card').waitFor();
  await text(page.getByTestId('explore-card-text'), /Counterexample after \d+ states, 17 steps long/);
  await page.getByTestId('open-explorer').click();
  console.log(`# multi skip_recovery took ${await page.getByTestId('explore-time').textContent()} in Chromium`);
  await shot(page, '42-multi-explorer');
  assert.deepEqual(errors, []);
  await context.close();
});

test('multi mode: a minority quorum commits a command that is not chosen', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#s=42&n=2.2.3.1&md=multi&mu=minority_quorum`);
  await page.getByTestId('cluster').waitFor();
  await page.getByTestId('open-explorer').click();
  await page.getByTestId('explore-run').click();
  await loaded(page);
  await page.getByTestId('play').click();
  const [, total] = (await page.getByTestId('counter').textContent()).match(/\/ (\d+)/);
  await page.getByTestId('timeline').fill(total);
  await text(page.getByTestId('invariants'), /P1 committed "X1" in slot s1, but nothing is chosen there yet/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('multi mode: a log of one slot is proven safe through a leader change', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#s=42&n=2.2.3.1&md=multi&sl=1`);
  await page.getByTestId('cluster').waitFor();
  await page.getByTestId('open-explorer').click();
  await page.getByTestId('explore-run').click();
  await page.getByTestId('verdict').waitFor({ timeout: 120_000 });
  assert.equal(await page.getByTestId('verdict').getAttribute('data-verdict'), 'safe');
  // The same count as natively: the fingerprints do not depend on the platform.
  await text(page.getByTestId('verdict'), /Safe within these bounds: no violation in 16115 states \(2 ballots in all, 0 crashes, 0 duplicates, 0 drops; 2 clients, 2 proposers, 3 acceptors, 1 learner, a log of 1 slot\)/);
  console.log(`# one slot proven safe after ${await page.getByTestId('explore-time').textContent()} in Chromium`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('multi mode: the correct log is proven safe through a leader change', async () => {
  const { page, errors, context } = await open(b, `${srv.url}#s=42&n=2.2.3.1&md=multi`);
  await page.getByTestId('cluster').waitFor();
  await page.getByTestId('open-explorer').click();
  await text(page.getByTestId('explore-covers'), /a partial-order reduction\)\. The browser stops once it passes 250,000 states: enough to prove the default log safe, and to find a counterexample for every switch but acceptor amnesia/);
  const clicked = Date.now();
  await page.getByTestId('explore-run').click();
  // The page keeps answering while the search runs: the state count is seen to grow.
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=explore-states]')?.textContent) > 1000);
  await page.getByTestId('verdict').waitFor({ timeout: 120_000 });
  const wall = ((Date.now() - clicked) / 1000).toFixed(1);
  assert.equal(await page.getByTestId('verdict').getAttribute('data-verdict'), 'safe');
  // The same count as natively (paxoscope-cli explore --mode multi --slots 8).
  await text(page.getByTestId('verdict'), /Safe within these bounds: no violation in 102395 states \(2 ballots in all, 0 crashes, 0 duplicates, 0 drops; 2 clients, 2 proposers, 3 acceptors, 1 learner, a log of 8 slots\)/);
  console.log(`# the correct log proven safe after ${await page.getByTestId('explore-time').textContent()} of search, ${wall} s from click to verdict, in Chromium`);
  assert.deepEqual(errors, []);
  await context.close();
});
