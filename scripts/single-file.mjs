#!/usr/bin/env node
// Turns a built dist/ into one self-contained HTML file that opens from file:// with no network:
// the stylesheet, the icon, the wasm-bindgen glue and the wasm itself are all inside it.
//
//   node scripts/single-file.mjs [DIST [OUT]]      (defaults: dist, dist/paxoscope-offline.html)
//
// `scripts/build --single-file` runs it after the build. Browsers refuse to fetch or import
// anything from a file:// page, so nothing may stay outside: the glue runs as an inline module,
// the wasm is base64 text the page decodes, and the lazily loaded export module (export.js, for
// animated export) becomes a data: URL the app imports when it is used, and the lessons' text
// (builtin.txt, fetched when a lesson is first opened) a string the app reads instead.
import fs from 'node:fs';
import path from 'node:path';

const dist = path.resolve(process.argv[2] || 'dist');
const out = path.resolve(process.argv[3] || path.join(dist, 'paxoscope-offline.html'));
const fail = (why) => { console.error(`single-file: ${why}`); process.exit(1); };

const index = fs.existsSync(path.join(dist, 'index.html')) ? fs.readFileSync(path.join(dist, 'index.html'), 'utf8') : fail(`${dist} holds no index.html: build first`);
const names = fs.readdirSync(dist);
const one = (re, what) => {
  const found = names.filter((n) => re.test(n));
  if (found.length !== 1) fail(`expected one ${what} in ${dist}, found ${found.length}`);
  return fs.readFileSync(path.join(dist, found[0]));
};
const wasm = one(/_bg\.wasm$/, 'wasm file');
const glue = one(/^paxoscope-[0-9a-f]+\.js$/, 'wasm-bindgen glue').toString('utf8');
const css = one(/^style-[0-9a-f]+\.css$/, 'stylesheet').toString('utf8');
const icon = one(/^favicon-[0-9a-f]+\.svg$/, 'icon');
const exporter = names.includes('export.js') ? fs.readFileSync(path.join(dist, 'export.js')) : null;
const lessons = names.includes('builtin.txt') ? fs.readFileSync(path.join(dist, 'builtin.txt'), 'utf8') : fail(`${dist} holds no builtin.txt (the lessons' text)`);

// The glue's default export is its init function; its name is the glue's own business. The
// built scripts are minified (scripts/minify.mjs), so nothing here may rely on line breaks.
const init = glue.match(/export\s*\{[^}]*?([\w$]+)\s+as\s+default\b/)?.[1] ?? glue.match(/export\s+default\s+([\w$]+)/)?.[1];
if (!init) fail('the glue has no default export (did wasm-bindgen change its output?)');
/** A snippet's code as a block that returns an object of the functions it exports. */
function snippetObject(code, rel) {
  const exported = [];
  // `export function f` (as written) and `export{a as f}` (as minified).
  let body = code.replace(/\bexport\s+function\s+([\w$]+)/g, (_, f) => { exported.push(`${f}: ${f}`); return `function ${f}`; });
  body = body.replace(/\bexport\s*\{([^}]*)\};?/g, (_, list) => {
    for (const item of list.split(',').map((x) => x.trim()).filter(Boolean)) {
      const [local, as = local] = item.split(/\s+as\s+/);
      exported.push(`${as}: ${local}`);
    }
    return '';
  });
  if (/\bexport\b/.test(body)) fail(`${rel} exports something other than functions`);
  return `(() => {\n${body}\nreturn { ${exported.join(', ')} };\n})()`;
}
// Snippets (`inline_js`) are imports of other files, which a file:// page cannot make: each
// becomes a local object holding the functions the snippet exports.
const glueInlined = glue.replace(/\bimport\s*\*\s*as\s*([\w$]+)\s*from\s*["'](\.\/snippets\/[^"']+)["'];?/g, (_, name, rel) => {
  const file = path.join(dist, rel);
  if (!fs.existsSync(file)) fail(`the glue imports ${rel}, which is not in ${dist}`);
  return `const ${name} = ${snippetObject(fs.readFileSync(file, 'utf8'), rel)};\n`;
});
// A static import left (`import x from`, `import{…}from`, `import"…"`; not `import(` or `import.meta`).
if (/(?:^|[;}\s])import\s*[\w$*{"']/.test(glueInlined)) fail('the glue imports other files that one file cannot hold');

const meta = (name) => index.match(new RegExp(`<meta[^>]*name=["']?${name}["']?[^>]*>`))?.[0] ?? '';
const title = index.match(/<title>[^<]*<\/title>/)?.[0] ?? '<title>Paxoscope</title>';
// Inline text must not close its own element early.
const safe = (s) => s.replace(/<\/(script|style)/gi, '<\\/$1');

const html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
${meta('viewport')}
${title}
${meta('description')}
<link rel="icon" href="data:image/svg+xml;base64,${icon.toString('base64')}">
<style>${safe(css)}</style>
</head>
<body>
<noscript>Paxoscope needs JavaScript and WebAssembly.</noscript>
<script type="application/octet-stream" id="paxoscope-wasm">${wasm.toString('base64')}</script>
<script type="module">
${safe(glueInlined)}
window.paxoscopeLessons = ${safe(JSON.stringify(lessons))};
${exporter ? `window.paxoscopeExportModule = ${JSON.stringify(`data:text/javascript;base64,${exporter.toString('base64')}`)};` : ''}
{
  const text = atob(document.getElementById('paxoscope-wasm').textContent);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  await ${init}({ module_or_path: bytes });
}
</script>
</body>
</html>
`;
fs.writeFileSync(out, html);
console.log(`single-file: wrote ${path.relative(process.cwd(), out)} (${(html.length / 1024).toFixed(0)} KB: wasm ${(wasm.length / 1024).toFixed(0)} KB as base64)`);
