// End-to-end: the built app offline. After one visit the service worker serves it with the
// network cut (and the server gone); a new build replaces the old one's cache; and the single-file
// build opens from file:// without a single request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { serve, browser, dist, shot, until, text, step } from './harness.mjs';

const scripts = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'scripts');
let b;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'paxoscope-offline-'));
before(async () => { b = await browser(); });
after(async () => { await b?.close(); fs.rmSync(tmp, { recursive: true, force: true }); });

/** A copy of dist/ that a test may change as if a new build were published. */
function copyOfDist(name) {
  const dir = path.join(tmp, name);
  fs.cpSync(dist, dir, { recursive: true });
  return dir;
}

/** Opens the app and waits until its service worker controls the page and has cached the build. */
async function firstVisit(url) {
  const context = await b.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(url);
  await page.getByTestId('cluster').waitFor();
  await until(() => page.evaluate(() => !!navigator.serviceWorker.controller), Boolean, 'the service worker to take over');
  return { context, page, errors };
}

const cacheNames = (page) => page.evaluate(() => caches.keys());

test('after one visit the app reloads and works with the network cut and the server gone', async () => {
  const srv = await serve('/courses/paxos/', copyOfDist('first'));
  const { context, page, errors } = await firstVisit(`${srv.url}#lesson=happy-path&beat=2`);
  const [name] = await until(() => cacheNames(page), (k) => k.length === 1, 'one cache');
  assert.match(name, /^paxoscope http:\/\/127\.0\.0\.1:\d+\/courses\/paxos\/ [0-9a-f]{16}$/);
  const cached = await page.evaluate((n) => caches.open(n).then((c) => c.keys()).then((r) => r.map((q) => new URL(q.url).pathname)), name);
  for (const f of ['/courses/paxos/', '/courses/paxos/index.html', '/courses/paxos/embed-example.html']) assert.ok(cached.includes(f), `${f} is cached: ${cached}`);
  assert.ok(cached.some((f) => f.endsWith('_bg.wasm')) && cached.some((f) => f.endsWith('.css')), 'the wasm and the stylesheet are cached');

  await context.setOffline(true);
  await srv.close();
  await page.reload();
  await page.getByTestId('cluster').waitFor();
  await text(page.getByTestId('lesson-progress'), /^beat 2 of/);
  await page.getByTestId('lesson-next').click();
  await text(page.getByTestId('lesson-progress'), /^beat 3 of/);
  await shot(page, '62-offline-reload');
  // Any address in scope is the app, and the embedding example is cached too.
  await page.goto(`${srv.url}#s=7&n=2.2.5.1`);
  await page.getByTestId('node-A5').waitFor();
  await page.keyboard.press('ArrowRight');
  await page.goto(`${srv.url}embed-example.html`);
  await text(page.locator('#readout'), /^step 0 \/ 24 · beat 0 of 16/);
  assert.deepEqual(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(e)), []);
  await context.close();
});

test('a new build is picked up online, and replaces the old build in the cache', async () => {
  const dir = copyOfDist('update');
  const srv = await serve('/', dir);
  const { context, page } = await firstVisit(srv.url);
  const [old] = await until(() => cacheNames(page), (k) => k.length === 1, 'one cache');

  // Publish a "new build": another index.html, and the worker the build writes for it.
  const index = path.join(dir, 'index.html');
  fs.writeFileSync(index, fs.readFileSync(index, 'utf8').replace('<title>', '<meta name="build" content="second"><title>'));
  execFileSync('node', [path.join(scripts, 'sw.mjs'), dir]);
  await page.reload();
  await page.getByTestId('cluster').waitFor();
  assert.equal(await page.locator('meta[name=build]').getAttribute('content'), 'second', 'online, the new page shows at once');
  const [now] = await until(() => cacheNames(page), (k) => k.length === 1 && k[0] !== old, 'the new build to replace the old cache');
  assert.notEqual(now.slice(-16), old.slice(-16));

  await context.setOffline(true);
  await srv.close();
  await page.reload();
  await page.getByTestId('cluster').waitFor();
  assert.equal(await page.locator('meta[name=build]').getAttribute('content'), 'second', 'offline, the new build is served');
  await context.close();
});

test('the single-file build opens from file:// and works with no network at all', async () => {
  const file = path.join(tmp, 'paxoscope-offline.html');
  execFileSync('node', [path.join(scripts, 'single-file.mjs'), dist, file]);
  const html = fs.readFileSync(file, 'utf8');
  assert.doesNotMatch(html, /<(script|link|img)[^>]+(src|href)="(?!data:)/, 'nothing outside the file');
  const context = await b.newContext({ viewport: { width: 1280, height: 720 }, offline: true });
  const page = await context.newPage();
  const errors = [];
  const requests = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('request', (r) => { if (!/^(file|data|blob):/.test(r.url())) requests.push(r.url()); });
  await page.goto(`file://${file}#lesson=value-adoption&beat=2`);
  await page.getByTestId('cluster').waitFor();
  await text(page.getByTestId('lesson-progress'), /^beat 2 of/);
  await page.getByTestId('lesson-next').click();
  await text(page.getByTestId('lesson-progress'), /^beat 3 of/);
  // Free play, and a link that survives a reload.
  await page.goto(`file://${file}#s=3&n=2.2.3.1`);
  await page.getByTestId('step').waitFor();
  await page.getByTestId('node-C1').click();
  await page.getByTestId('request').click();
  await step(page, /^step 1 \/ 1/);
  await page.reload();
  await step(page, /^step 1 \/ 1/);
  await shot(page, '63-single-file');
  assert.deepEqual(requests, []);
  assert.deepEqual(errors, []);
  await context.close();
});
