// Paxoscope's service worker: after the first visit the app works with no network.
//
// scripts/sw.mjs writes this file into dist/ at the end of every build, with the build's file
// list and a version made from their contents (trunk already puts a content hash in the name of
// every file it builds). A new build is a new sw.js, so the browser installs it on the next visit:
// it fetches the new files, takes over, and deletes the caches of older builds.
const VERSION = '__VERSION__';
const FILES = __FILES__;

// Two copies of the app on one origin (say /paxos/ and /paxos-2024/) must not delete each
// other's files: each keeps its caches under its own scope.
const PREFIX = `paxoscope ${self.registration.scope} `;
const CACHE = PREFIX + VERSION;

self.addEventListener('install', (e) => {
  // `reload` skips the HTTP cache, which may still hold an older index.html.
  const requests = FILES.map((f) => new Request(f, { cache: 'reload' }));
  e.waitUntil(caches.open(CACHE).then((c) => c.addAll(requests)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (e) => {
  e.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (e) => {
  const req = e.request;
  if (req.method !== 'GET' || new URL(req.url).origin !== self.location.origin) return;
  if (req.mode === 'navigate') {
    // Pages: the network first, so a new build shows as soon as it is published; the cached
    // page when there is no network (any address in scope is the app: the run is in the hash).
    e.respondWith(
      fetch(req).catch(() =>
        caches.open(CACHE).then((c) => c.match(req, { ignoreSearch: true }).then((hit) => hit || c.match('./'))),
      ),
    );
    return;
  }
  // Everything else is named by its content hash (in its name, or for the lessons' text in its
  // query), so a cached copy is never stale; the query counts, so an old text is not taken for
  // a new one.
  e.respondWith(caches.open(CACHE).then((c) => c.match(req)).then((hit) => hit || fetch(req)));
});
