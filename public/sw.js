// Offline support: every GET inside this worker's scope is answered from the network when there is
// one, and kept; without a network, the kept copy answers. So once the page (and the parts it loads
// lazily, such as the editor and the examples) has loaded, it works offline. Nothing is ever
// fetched from another host.
//
// The site may be deployed in any folder, and one origin may hold several copies of it (/kp/ and
// /kp-next/). The scope is the folder the page registered this worker for (its own folder), so
// each copy has its own worker; it handles only requests inside that folder, keeps them in a cache
// named after the folder, and looks only there, so two copies never answer with each other's files
// nor delete each other's caches.
//
// The compiler (compiler/: @yowasp/clang's 105 MB of WebAssembly and sysroot, fetched on the first
// build) is answered from the cache first: its file names carry a content hash, so a kept copy is
// never stale, and a second visit, online or not, builds without downloading it again. When a
// newer compiler is kept, the older copy of the same file is deleted.
const SCOPE = self.registration.scope; // "https://host/kp/": a folder, ends in "/"
const SCOPE_PATH = new URL(SCOPE).pathname;
const CACHE_PREFIX = 'kavach-playground';
const CACHE = `${CACHE_PREFIX} v2 ${SCOPE_PATH}`;
// Before v2 one cache, under this name, served the whole origin; no current worker uses it.
const LEGACY_CACHE = 'kavach-playground-v1';

const inScope = (url) => url.startsWith(SCOPE);
const COMPILER = `${SCOPE}compiler/`;
/** "compiler/llvm.core-CL0Hro1L.wasm" -> "compiler/llvm.core-" + ".wasm": the file without its hash. */
const unhashed = (url) => url.replace(/-[\w-]{8}(\.\w+)$/, '-$1');
const isOlderVersionOfThisCache = (name) =>
  name === LEGACY_CACHE || (name !== CACHE && name.startsWith(`${CACHE_PREFIX} `) && name.endsWith(` ${SCOPE_PATH}`));

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.add(SCOPE)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter(isOlderVersionOfThisCache).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  // Outside the scope (another copy of the site, another app on this host, another host): the
  // browser handles it as if there were no worker.
  if (request.method !== 'GET' || !inScope(request.url)) return;
  if (request.url.startsWith(COMPILER)) {
    event.respondWith(cacheFirst(event, request));
    return;
  }
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          event.waitUntil(caches.open(CACHE).then((cache) => cache.put(request, copy)));
        }
        return response;
      })
      .catch(() =>
        caches.open(CACHE)
          .then((cache) => cache.match(request, { ignoreSearch: true }))
          .then((hit) => hit ?? Response.error()),
      ),
  );
});

async function cacheFirst(event, request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request, { ignoreSearch: true });
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) {
    const copy = response.clone();
    event.waitUntil(
      cache.put(request, copy).then(async () => {
        const older = (await cache.keys()).filter((r) => r.url !== request.url && r.url.startsWith(COMPILER) && unhashed(r.url) === unhashed(request.url));
        await Promise.all(older.map((r) => cache.delete(r)));
      }),
    );
  }
  return response;
}
