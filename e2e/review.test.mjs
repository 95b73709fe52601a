// End-to-end: the lecturer's review, item by item, in Debian's Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, browser, open, shot } from './harness.mjs';

let srv, b;
before(async () => { srv = await serve(); b = await browser(); });
after(async () => { await b?.close(); await srv?.close(); });

/** Waits until the locator's text matches `re`, then returns the text. */
async function textMatching(locator, re, timeout = 60_000) {
  const handle = await locator.elementHandle({ timeout });
  await handle.evaluate((el, [src, flags, ms]) => new Promise((ok, fail) => {
    const re = new RegExp(src, flags);
    const t0 = performance.now();
    (function poll() {
      if (re.test(el.textContent)) return ok();
      if (performance.now() - t0 > ms) return fail(new Error(`"${el.textContent}" never matched ${re}`));
      requestAnimationFrame(poll);
    })();
  }), [re.source, re.flags, timeout]);
  return locator.textContent();
}

/** Is the element fully inside the window and the topmost thing at its centre? */
const inView = (locator) => locator.evaluate((el) => {
  const r = el.getBoundingClientRect();
  const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
  return r.width > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth && el.contains(top);
});

// 1. The explorer's verdict stays on screen, with the bounds it searched, while its
//    counterexample plays.

const COUNTEREXAMPLE = /^Counterexample after \d+ states, (\d+) steps long, searching 2 rounds, 0 crashes, 0 duplicates, 0 drops: .+/;

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
  await textMatching(page.getByTestId('notice'), /counterexample is loaded and playing/);
  await page.getByTestId('explore-card-dismiss').click();
  await card.waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
  await context.close();
});

test('a safe verdict restates its bounds and the cluster, and leaves when the config changes', async () => {
  const { page, errors, context } = await open(b, srv.url);
  await page.getByTestId('open-explorer').click();
  await page.getByTestId('bound-rounds').fill('1');
  await page.getByTestId('explore-run').click();
  const safe = /^Safe: no violation in \d+ states \(1 round in all, 0 crashes, 0 duplicates, 0 drops; 2 clients, 2 proposers, 3 acceptors, 1 learner\)$/;
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
