// Soak: 10,000 random UI actions in headless Chromium. Prints memory as it goes and a verdict:
// no console error, no panic, and memory that levels off. Exits non-zero if any of those fails.
import { serve, browser } from '../harness.mjs';

const ACTIONS = Number(process.env.SOAK_ACTIONS || 10000);
const srv = await serve();
const b = await browser();
const ctx = await b.newContext({ viewport: { width: 1280, height: 720 } });
const page = await ctx.newPage();
const errors = [];
page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
page.on('pageerror', (e) => errors.push(String(e)));
await page.addInitScript(() => addEventListener('TrunkApplicationStarted', (e) => { window.__wasm = e.detail.wasm; }));
await page.goto(srv.url);
await page.getByTestId('cluster').waitFor();
const cdp = await ctx.newCDPSession(page);
await cdp.send('Performance.enable');

// One random action, chosen and performed inside the page (fast, and only among what is on screen).
const act = (seed) => page.evaluate(async (seed) => {
  let s = seed >>> 0;
  const rnd = (n) => { s = (s * 1664525 + 1013904223) >>> 0; return s % n; };
  const pick = (sel) => { const all = [...document.querySelectorAll(sel)].filter((e) => !e.disabled); return all.length ? all[rnd(all.length)] : null; };
  const click = (el) => el && el.dispatchEvent(new MouseEvent('click', { bubbles: true }));
  const key = (k) => dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
  const r = rnd(100);
  if (document.querySelector('[data-testid=question]')) { click(pick('.predict-card .choice, .strip-question .choice')); }
  else if (document.querySelector('[data-testid=help-overlay], [data-testid=explorer], [data-testid=metrics]')) { key('Escape'); }
  else if (r < 30) { click(document.querySelector('[data-testid=step]')); }
  else if (r < 38) { click(document.querySelector('[data-testid=back]')); }
  else if (r < 42) { click(document.querySelector('[data-testid=forward]')); }
  else if (r < 52) { click(pick('[data-testid^="msg-"].in-flight')); click(pick('[data-testid=menu] button')); }
  else if (r < 62) { click(pick('[data-testid^="node-"]')); click(pick('[data-testid=menu] button')); }
  else if (r < 66) { const t = document.querySelector('[data-testid=timeline]'); if (t && !t.disabled) { t.value = String(rnd(Number(t.max) + 1)); t.dispatchEvent(new InputEvent('input', { bubbles: true })); } }
  else if (r < 70) { key(['ArrowRight', 'ArrowLeft', ' ', '+', '-', 'PageDown', 'PageUp', '.'][rnd(8)]); }
  else if (r < 73) { click(document.querySelector('[data-testid=start]')); }
  else if (r < 76) { click(pick('[data-testid^=cut-]')); click(document.querySelector(rnd(2) ? '[data-testid=split]' : '[data-testid=heal]')); }
  else if (r < 79) { click(pick('[data-testid^=toggle-], [data-testid^=timeout-]')); }
  else if (r < 81) { click(document.querySelector('[data-testid=lessons]')); click(pick('[data-testid=lessons-menu] button')); }
  else if (r < 83 && document.querySelector('.app.presenter')) { key('p'); }
  else if (r < 83) { click(document.querySelector(['[data-testid=presenter]', '[data-testid=predict]', '[data-testid=theme]', '[data-testid=open-spacetime]'][rnd(4)])); }
  else if (r < 84) { click(document.querySelector('[data-testid=apply]')); }
  else if (r < 85) { click(pick('[data-testid^=log-], [data-testid^=st-row-]')); }
  else if (r < 86) { click(document.querySelector('[data-testid=lesson-next], [data-testid=lesson-resume]')); }
  else { click(document.querySelector('[data-testid=step]')); }
  await new Promise((res) => setTimeout(res, 0));
  return !!document.querySelector('[data-testid=panic]');
}, seed);

const sample = async (n) => {
  await cdp.send('HeapProfiler.collectGarbage');
  const m = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((x) => [x.name, x.value]));
  const wasm = await page.evaluate(() => window.__wasm?.memory?.buffer?.byteLength ?? 0);
  // Presenter mode has no step counter; a page with no cluster at all is a blank page, a failure.
  const steps = await page.evaluate(() => {
    const c = document.querySelector('[data-testid=counter]');
    if (c) return c.textContent;
    return document.querySelector('[data-testid=cluster]') ? '(presenter mode: no counter)' : 'BLANK PAGE';
  });
  if (steps === 'BLANK PAGE') errors.push(`after ${n} actions the page has no cluster`);
  const s = { n, heapMB: m.JSHeapUsedSize / 1e6, wasmMB: wasm / 1e6, nodes: m.Nodes, listeners: m.JSEventListeners, steps };
  console.log(`after ${String(n).padStart(5)} actions: JS heap ${s.heapMB.toFixed(1)} MB, wasm memory ${s.wasmMB.toFixed(1)} MB, DOM nodes ${s.nodes}, listeners ${s.listeners}, ${steps.trim()}`);
  return s;
};

const samples = [await sample(0)];
let panicked = false;
const t0 = Date.now();
for (let i = 1; i <= ACTIONS; i++) {
  if (await act(i * 7919)) { panicked = true; break; }
  if (i % 1000 === 0) {
    samples.push(await sample(i));
    // Start afresh now and then, as a class does between demonstrations.
    await page.evaluate((i) => { location.hash = 's=' + i + '&n=2.2.3.1'; }, i);
  }
}
const secs = (Date.now() - t0) / 1000;
const late = samples.slice(-4);
const wasmGrowth = late[late.length - 1].wasmMB - late[0].wasmMB;
const heapGrowth = late[late.length - 1].heapMB - late[0].heapMB;
const levels = wasmGrowth <= 2 && heapGrowth <= 5;
console.log(`soak: ${ACTIONS} actions in ${secs.toFixed(0)} s; console errors: ${errors.length}; panic: ${panicked}; ` +
  `over the last 3000 actions wasm memory grew ${wasmGrowth.toFixed(1)} MB and the JS heap ${heapGrowth.toFixed(1)} MB: ${levels ? 'levels off' : 'STILL GROWING'}`);
for (const e of errors.slice(0, 5)) console.log('  error:', e);
await b.close();
await srv.close();
process.exit(errors.length === 0 && !panicked && levels ? 0 : 1);
