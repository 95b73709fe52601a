#!/usr/bin/env node
// Minifies the built scripts (scripts/minify.mjs), then writes dist/sw.js, the service worker
// that lets the built app work offline (see static/sw.js).
// Trunk runs it after every build (a post_build hook in Trunk.toml), on the staging directory;
// `node scripts/sw.mjs DIR` runs it on any built directory.
//
// The worker's version is a hash of every file's name and contents, so a new build (and only a
// new build) gets a new worker, which replaces the old build's cache.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';
import { minify } from './minify.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = process.argv[2] || process.env.TRUNK_STAGING_DIR;
if (!dir || !fs.existsSync(path.join(dir, 'index.html'))) {
  console.error('sw.mjs: give the built directory (it must hold index.html), or run it as a trunk hook');
  process.exit(2);
}

// First the scripts are minified (their page's integrity hashes follow), so the worker's version
// and cache hold the files as served.
console.log(`minify.mjs: ${minify(dir)} bytes of JavaScript saved`);

// Not cached: the worker itself, and the single-file build (a megabyte nobody needs twice).
const skip = new Set(['sw.js', 'paxoscope-offline.html']);
// Sub-folders too: the glue imports wasm-bindgen's snippets from snippets/…, and an app that
// cannot import them offline does not start at all.
const walk = (rel) => fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((f) => {
  const name = rel ? `${rel}/${f.name}` : f.name;
  if (f.isDirectory()) return walk(name);
  return f.isFile() && !skip.has(name) ? [name] : [];
});
const files = walk('').sort();
const hash = crypto.createHash('sha256');
for (const f of files) hash.update(f).update('\0').update(fs.readFileSync(path.join(dir, f))).update('\0');
const version = hash.digest('hex').slice(0, 16);

// The app asks for the lessons' text as builtin.txt?v=<its FNV-1a hash> (`lessons::DATA_VERSION`),
// since trunk copies it without a hash in its name: the worker caches it under that address and
// answers only that address from the cache, so an old build's text never reaches a new app.
const fnv = (bytes) => bytes.reduce((h, b) => Math.imul(h ^ b, 0x01000193) >>> 0, 0x811c9dc5);
const cached = files.map((f) => (f === 'builtin.txt' ? `${f}?v=${fnv(fs.readFileSync(path.join(dir, f)))}` : f));

const template = fs.readFileSync(path.join(here, '..', 'static', 'sw.js'), 'utf8');
const out = template
  .replace("'__VERSION__'", JSON.stringify(version))
  .replace('__FILES__', JSON.stringify(['./', ...cached]));
if (out.includes('__VERSION__') || out.includes('__FILES__')) {
  console.error('sw.mjs: static/sw.js lost its __VERSION__ or __FILES__ placeholder');
  process.exit(1);
}
// Minified like the app's scripts: the comments are for readers of static/sw.js.
fs.writeFileSync(path.join(dir, 'sw.js'), transformSync(out, { minify: true, target: 'es2020' }).code);
console.log(`sw.js: version ${version}, ${files.length} files cached`);
