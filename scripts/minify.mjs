#!/usr/bin/env node
// Minifies the built app's JavaScript (wasm-bindgen's glue, its snippets, the recorder for
// animated export) with esbuild, and writes each file's new hash into the page's `integrity`
// attributes, which trunk computed for the unminified files. Trunk's own minification leaves
// these files as they are: minified they are 2 KB smaller gzipped on the first screen (issue 14).
// `scripts/sw.mjs` runs it first, as part of trunk's post-build hook, so that the service
// worker's version covers the files as served; `node scripts/minify.mjs DIR` runs it alone.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';
import { files } from './size.mjs';

/** Every .js file under `dir`, relative to it, but the service worker (written after this). */
const scripts = (dir) => files(dir).filter((rel) => rel.endsWith('.js') && rel !== 'sw.js');

const sri = (bytes) => `sha384-${crypto.createHash('sha384').update(bytes).digest('base64')}`;

/** Minifies every script in `dir` in place and fixes index.html's integrity hashes. */
export function minify(dir) {
  const page = path.join(dir, 'index.html');
  let html = fs.readFileSync(page, 'utf8');
  let saved = 0;
  for (const rel of scripts(dir)) {
    const file = path.join(dir, rel);
    const before = fs.readFileSync(file);
    // The files are ES modules; esbuild keeps their imports, exports and property names, so the
    // wasm's import names and the page's `import init from …` still match.
    const { code } = transformSync(before.toString('utf8'), { minify: true, format: 'esm', target: 'es2020', legalComments: 'none' });
    if (code.length >= before.length) continue;
    fs.writeFileSync(file, code);
    saved += before.length - code.length;
    // Trunk names a file's hash next to its address: replace the old hash wherever it stands.
    html = html.replaceAll(sri(before), sri(Buffer.from(code)));
  }
  fs.writeFileSync(page, html);
  return saved;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const dir = process.argv[2];
  if (!dir || !fs.existsSync(path.join(dir, 'index.html'))) {
    console.error('minify.mjs: give the built directory (it must hold index.html)');
    process.exit(2);
  }
  console.log(`minify.mjs: ${minify(dir)} bytes of JavaScript saved`);
}
