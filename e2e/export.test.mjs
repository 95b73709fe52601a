// End-to-end: animated export. Ten steps become a WebM of the right length and size at 1280x720,
// a lesson's beats export with their captions, a bad range changes nothing, Cancel keeps nothing,
// and the single-file build records from file:// with no network.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { serve, browser, open, shot, until, text, step, dist } from './harness.mjs';

let srv, b;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'paxoscope-export-'));
before(async () => { srv = await serve(); b = await browser(); });
after(async () => { await b?.close(); await srv?.close(); fs.rmSync(tmp, { recursive: true, force: true }); });

const axePath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', 'axe-core', 'axe.min.js');
async function audit(page, label) {
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) await page.addScriptTag({ path: axePath });
  const bad = await page.evaluate(async () => (await axe.run(document)).violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`));
  assert.deepEqual(bad, [], `${label}: ${bad.join('; ')}`);
}

/** Free play with `n` steps recorded: C1 asks, then the next message is delivered each time. */
async function run(page, n) {
  await page.getByTestId('start').click();
  for (let i = 1; i < n; i++) await page.keyboard.press('ArrowRight');
  await step(page, new RegExp(`^step ${n} / ${n}`));
}

async function dialog(page, { from, to, hold = '0' }) {
  await page.getByTestId('share').click();
  await page.getByTestId('export-video').click();
  const set = async (id, v) => { await page.getByTestId(id).fill(String(v)); await page.getByTestId(id).dispatchEvent('change'); };
  if (from !== undefined) await set('export-from', from);
  if (to !== undefined) await set('export-to', to);
  await page.getByTestId('export-hold').selectOption(hold);
}

/** The video's length, size in pixels, and two frames (as data URLs), read by a <video> in the page. */
async function inspect(page, file) {
  const b64 = fs.readFileSync(file).toString('base64');
  return page.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const v = document.createElement('video');
    v.muted = true;
    v.src = URL.createObjectURL(new Blob([bytes], { type: 'video/webm' }));
    await new Promise((r, j) => { v.onloadeddata = r; v.onerror = () => j(new Error('not a playable video')); });
    const duration = v.duration; // as the file states it (Chrome's recorder leaves it out: the app writes it)
    const grab = async (t) => {
      v.currentTime = t;
      await new Promise((r) => { v.onseeked = r; });
      const c = document.createElement('canvas');
      c.width = 160; c.height = 90;
      c.getContext('2d').drawImage(v, 0, 0, 160, 90);
      return c.toDataURL();
    };
    return { duration, width: v.videoWidth, height: v.videoHeight, first: await grab(0.2), later: await grab(duration - 0.3) };
  }, b64);
}

test('ten steps export as a 1280x720 WebM of ten held frames, and the run goes back where it was', async () => {
  const { page, errors } = await open(b, srv.url);
  await run(page, 12);
  await page.keyboard.press('ArrowLeft');
  await step(page, /^step 11 \/ 12/);
  await dialog(page, { from: 1, to: 10, hold: '0' }); // half a second a frame
  await shot(page, '70-export-dialog');
  await audit(page, 'export dialog');
  const download = page.waitForEvent('download', { timeout: 60000 });
  await page.getByTestId('export-start').click();
  await until(() => page.getByTestId('export-progress').getAttribute('value'), (v) => Number(v) >= 3, 'three frames recorded');
  // The frames are laid out for the video's picture (1280×570) in presenter type, not shrunk
  // from the window: the canvas's text is at least 18 px in the video.
  const [box, font] = await page.locator('svg.cluster').evaluate((s) => [s.getAttribute('viewBox'), Number(s.dataset.font)]);
  assert.equal(box, '0 0 1280 570');
  assert.ok(font >= 18, `the frame's text is ${font} px`);
  await shot(page, '71-export-recording');
  const d = await download;
  assert.equal(d.suggestedFilename(), 'paxoscope-steps-1-10.webm');
  const file = path.join(tmp, 'ten.webm');
  await d.saveAs(file);
  await text(page.getByTestId('export-status'), /^Saved paxoscope-steps-1-10\.webm: 10 frames/);
  await step(page, /^step 11 \/ 12/);
  const size = fs.statSync(file).size;
  assert.ok(size > 20_000 && size < 4_000_000, `${size} bytes for 5 s of 1280x720`);
  assert.equal(fs.readFileSync(file).subarray(0, 4).toString('hex'), '1a45dfa3', 'an EBML (WebM) file');
  const v = await inspect(page, file);
  assert.deepEqual([v.width, v.height], [1280, 720]);
  assert.ok(v.duration >= 4.5 && v.duration <= 6.5, `10 frames of 0.5 s last ${v.duration} s`);
  assert.notEqual(v.first, v.later, 'the frames change from step to step');
  assert.deepEqual(errors, []);
});

test('a lesson exports by beats (every step of them), named for the lesson', async () => {
  const { page, errors } = await open(b, `${srv.url}#lesson=happy-path`);
  await page.getByTestId('lesson-card').waitFor();
  await dialog(page, {});
  assert.equal(await page.getByTestId('export-unit').inputValue(), 'beats');
  const set = async (id, v) => { await page.getByTestId(id).fill(String(v)); await page.getByTestId(id).dispatchEvent('change'); };
  await set('export-from', 1);
  await set('export-to', 2);
  const download = page.waitForEvent('download', { timeout: 60000 });
  await page.getByTestId('export-start').click();
  const d = await download;
  assert.equal(d.suggestedFilename(), 'paxoscope-happy-path-beats-1-2.webm');
  const file = path.join(tmp, 'beats.webm');
  await d.saveAs(file);
  const frames = Number((await text(page.getByTestId('export-status'), /^Saved .*: \d+ frames?/)).match(/(\d+) frames?/)[1]);
  assert.ok(frames >= 2, `${frames} frames`);
  const v = await inspect(page, file);
  assert.ok(Math.abs(v.duration - frames * 0.5) <= 1, `${frames} frames of 0.5 s last ${v.duration} s`);
  await step(page, /^step 0 \//);
  assert.deepEqual(errors, []);
});

test('a range outside the run is refused with a clear message and records nothing', async () => {
  const { page, errors } = await open(b, srv.url);
  await run(page, 4);
  await page.getByTestId('theme').click();
  await dialog(page, { from: 2, to: 99 });
  await page.getByTestId('export-start').click();
  await text(page.getByTestId('export-status'), 'The run has 4 steps: pick steps from 0 to 4.');
  await audit(page, 'export dialog with a message, dark theme');
  assert.equal(await page.getByTestId('export-progress').count(), 0);
  await step(page, /^step 4 \/ 4/);
  assert.deepEqual(errors, []);
});

test('Cancel stops the recording, saves nothing, and gives the keys back', async () => {
  const { page, errors } = await open(b, srv.url);
  await run(page, 12);
  const downloads = [];
  page.on('download', (d) => downloads.push(d.suggestedFilename()));
  await dialog(page, { from: 0, to: 12, hold: '1' });
  await page.getByTestId('export-start').click();
  await until(() => page.getByTestId('export-progress').getAttribute('value'), (v) => Number(v) >= 2, 'two frames recorded');
  // While it records, the keys cannot move the run away from the frame being recorded.
  await page.keyboard.press('ArrowLeft');
  await page.getByTestId('export-cancel').click();
  await text(page.getByTestId('export-status'), 'Cancelled: nothing was saved.');
  await step(page, /^step 12 \/ 12/);
  // Give a late download every chance to show up before saying there was none.
  await page.waitForTimeout(1500);
  assert.deepEqual(downloads, []);
  await page.getByTestId('export-close').click();
  await until(() => page.getByTestId('export-dialog').count(), (c) => c === 0, 'the dialog closed');
  await page.keyboard.press('ArrowLeft');
  await step(page, /^step 11 \/ 12/);
  assert.deepEqual(errors, []);
});

test('the single-file build records from file:// with no network', async () => {
  const file = path.join(tmp, 'paxoscope-offline.html');
  execFileSync('node', [path.join(dist, '..', 'scripts', 'single-file.mjs'), dist, file]);
  const context = await b.newContext({ viewport: { width: 1280, height: 720 }, offline: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`file://${file}`);
  await page.getByTestId('cluster').waitFor();
  await run(page, 3);
  await dialog(page, { from: 1, to: 3 });
  const download = page.waitForEvent('download', { timeout: 60000 });
  await page.getByTestId('export-start').click();
  const d = await download;
  assert.equal(d.suggestedFilename(), 'paxoscope-steps-1-3.webm');
  const out = path.join(tmp, 'offline.webm');
  await d.saveAs(out);
  assert.ok(fs.statSync(out).size > 5_000);
  assert.deepEqual(errors, []);
  await context.close();
});
