// Browser benchmarks (prints figures, asserts nothing): first render and per-frame scripting
// time with the largest cluster and at least 64 messages in flight, in Debian's Chromium.
import { serve, browser } from '../harness.mjs';

const srv = await serve();
const b = await browser();

async function firstRender() {
  const times = [];
  for (let i = 0; i < 5; i++) {
    const ctx = await b.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await ctx.newPage();
    await page.addInitScript(() => {
      new MutationObserver((_, obs) => {
        if (document.querySelector('[data-testid=cluster] [data-testid=node-L1]')) {
          window.__firstRender = performance.now();
          obs.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(srv.url);
    await page.waitForFunction(() => window.__firstRender);
    times.push(await page.evaluate(() => window.__firstRender));
    await ctx.close();
  }
  times.sort((x, y) => x - y);
  return times;
}

async function frameCost(hash, want) {
  const ctx = await b.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await ctx.newPage();
  await page.goto(`${srv.url}#${hash}`);
  await page.getByTestId('cluster').waitFor();
  // Messages, not tokens: a token carries every message of one broadcast (its data-ids), and a
  // crowded gap folds the rest into one "+N more" token.
  const inFlight = () => page.evaluate(() => {
    const tokens = [...document.querySelectorAll('[data-testid^="msg-"].in-flight')];
    const more = [...document.querySelectorAll('[data-testid^="overflow-"]')];
    return tokens.reduce((n, t) => n + t.dataset.ids.split(' ').filter(Boolean).length, 0)
      + more.reduce((n, o) => n + parseInt(o.getAttribute('aria-label'), 10), 0);
  });
  let n = 0;
  for (let i = 0; i < 400 && (n = await inFlight()) < want; i++) await page.keyboard.press('ArrowRight');
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Performance.enable');
  const metric = async (name) => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === name).value;
  const results = [];
  await page.evaluate(() => { window.__frames = 0; const f = () => { window.__frames++; requestAnimationFrame(f); }; requestAnimationFrame(f); });
  for (const mode of ['idle', 'play 1x', 'play 4x']) {
    if (mode === 'play 1x') await page.getByTestId('play').click();
    if (mode === 'play 4x') { await page.keyboard.press('+'); await page.keyboard.press('+'); }
    const f0 = await page.evaluate(() => window.__frames);
    const s0 = await metric('ScriptDuration');
    const t0 = await metric('TaskDuration');
    const before = await inFlight();
    await page.waitForTimeout(4000);
    const s1 = await metric('ScriptDuration');
    const t1 = await metric('TaskDuration');
    const frames = (await page.evaluate(() => window.__frames)) - f0;
    const after = await inFlight();
    results.push({ mode, frames, scriptMsPerFrame: ((s1 - s0) * 1000) / frames, taskMsPerFrame: ((t1 - t0) * 1000) / frames, inFlight: `${before}→${after}` });
  }
  await ctx.close();
  return { reached: n, results };
}

async function explorer() {
  const ctx = await b.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await ctx.newPage();
  await page.goto(srv.url);
  await page.getByTestId('cluster').waitFor();
  const out = [];
  for (let i = 0; i < 3; i++) {
    await page.getByTestId('open-explorer').click();
    const t0 = Date.now();
    await page.getByTestId('explore-run').click();
    await page.getByTestId('verdict').waitFor({ timeout: 60_000 });
    const wall = Date.now() - t0;
    out.push({ wall, search: await page.getByTestId('explore-time').textContent(), verdict: await page.getByTestId('verdict').textContent() });
    await page.keyboard.press('Escape');
  }
  await ctx.close();
  return out;
}

const fr = await firstRender();
console.log(`first render (cluster drawn), 5 loads on 127.0.0.1: median ${fr[2].toFixed(0)} ms (min ${fr[0].toFixed(0)}, max ${fr[4].toFixed(0)})`);
// Three clients ask three different proposers at once, and the network duplicates half of all
// messages, so the largest cluster has dozens of messages in flight (it steps until 64, or 400 steps).
const cases = [
  ['3 clients / 5 proposers / 9 acceptors / 5 learners', 's=7&n=3.5.9.5&run=l-C2-P2~l-C3-P3~l-C1-P4~D50~q-C1-X~q-C2-Y~q-C3-Z', 64],
  // Multi-Paxos with the most slots the log grid shows, the same cluster and the same faults;
  // each client sends 5 commands.
  ['Multi-Paxos, 16 slots, 3 / 5 / 9 / 5, 15 commands', 's=7&n=3.5.9.5&md=multi&sl=16&run=D50~q-C1-X1~q-C2-Y1~q-C3-Z1~q-C1-X2~q-C2-Y2~q-C3-Z2~q-C1-X3~q-C2-Y3~q-C3-Z3~q-C1-X4~q-C2-Y4~q-C3-Z4~q-C1-X5~q-C2-Y5~q-C3-Z5', 64],
];
for (const [what, hash, want] of cases) {
  const fc = await frameCost(hash, want);
  console.log(`frame cost, ${what}, ${fc.reached} messages in flight at the start:`);
  for (const r of fc.results) {
    console.log(`  ${r.mode.padEnd(8)} ${r.frames} frames in 4 s; scripting ${r.scriptMsPerFrame.toFixed(2)} ms/frame; all main-thread tasks ${r.taskMsPerFrame.toFixed(2)} ms/frame; in flight ${r.inFlight}`);
  }
}
for (const r of await explorer()) {
  console.log(`explorer in Chromium, default search: ${r.verdict.trim()} search ${r.search}, click to verdict ${r.wall} ms`);
}
await b.close();
await srv.close();
