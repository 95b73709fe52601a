// Shared end-to-end plumbing: a static server for dist/ on 127.0.0.1 and Debian's Chromium
// driven by playwright-core. Tests import `open()` and get a page plus a list of console errors.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png' };

/** Serves dist/ (or another built directory; optionally under a sub-path) on a free port of 127.0.0.1. */
export async function serve(prefix = '/', root = dist) {
  if (!fs.existsSync(path.join(root, 'index.html'))) throw new Error('dist/ is missing: run scripts/build first');
  const server = http.createServer((req, res) => {
    let url = decodeURIComponent(req.url.split('?')[0]);
    if (!url.startsWith(prefix)) { res.writeHead(404); return res.end(); }
    url = url.slice(prefix.length);
    const file = path.join(root, url === '' || url.endsWith('/') ? url + 'index.html' : url);
    if (!file.startsWith(root) || !fs.existsSync(file)) { res.writeHead(404); return res.end('not found'); }
    res.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}${prefix}`, close: () => new Promise((r) => server.close(r)) };
}

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'];

export async function browser() {
  return chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/**
 * Opens the app and waits until the cluster is drawn. `serviceWorkers: 'block'` keeps the app's
 * offline worker out, so that `page.route` sees every request (the worker answers from its cache).
 */
export async function open(b, url, { width = 1280, height = 720, reducedMotion = 'no-preference', touch = false, serviceWorkers = 'allow' } = {}) {
  const context = await b.newContext({ viewport: { width, height }, reducedMotion, hasTouch: touch, isMobile: touch, serviceWorkers });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.getByTestId('cluster').waitFor();
  return { page, errors, context };
}

/** Where screenshots go. */
export const shots = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'screenshots');
fs.mkdirSync(shots, { recursive: true });
export const shot = (page, name) => page.screenshot({ path: path.join(shots, `${name}.png`) });

/**
 * Polls `read()` until `ok(value)` holds, and returns the value; fails with the last value seen
 * after `ms`. CI machines are busy: a test waits for the state it asserts instead of reading once
 * right after a key press.
 */
export async function until(read, ok, what = 'the expected state', ms = 15000) {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    last = await read();
    if (ok(last)) return last;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const matches = (want) => (v) => (want instanceof RegExp ? want.test(v ?? '') : v === want);

/** Waits until a locator's text matches `want` (a RegExp or an exact string). */
export const text = (loc, want) => until(() => loc.textContent(), matches(want), `text ${want}`);
/** Waits until a locator's attribute matches `want`. */
export const attr = (loc, name, want) => until(() => loc.getAttribute(name), matches(want), `${name} ${want}`);
/** Waits until a locator matches `n` elements. */
export const count = (loc, n) => until(() => loc.count(), (c) => c === n, `${n} elements`);
/** Waits until the step counter shows `re`. */
export const step = (page, re) => text(page.getByTestId('counter'), re);

/** The smallest font size, in px, of any visible text inside a locator's element. */
export const smallestText = (loc) => loc.evaluate((d) => Math.min(...[...d.querySelectorAll('*')]
  .filter((e) => [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()) && e.getClientRects().length)
  .map((e) => parseFloat(getComputedStyle(e).fontSize))));
