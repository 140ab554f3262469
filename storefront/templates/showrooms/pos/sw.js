// The counter's service worker: the till starts with the network down. It keeps the counter
// page, its styles and scripts, the camera's ZXing WebAssembly file and the shelf's list; the
// page and the list are taken from the network when it answers (and kept), from here when not.
// Sales themselves wait in IndexedDB (js/pos/outbox.js), never here.
const VERSION = {{ version|tojson }};
const CACHE = `ocop-counter-${VERSION}`;
const PAGE = {{ page|tojson }};
const CATALOGUE = {{ catalogue|tojson }};
const ASSETS = {{ assets|tojson }};

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll([PAGE, ...ASSETS]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((key) => key.startsWith("ocop-counter-") && key !== CACHE)
            .map((key) => caches.delete(key)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === PAGE && request.mode === "navigate") {
    event.respondWith(networkFirst(request, PAGE));
  } else if (url.pathname === CATALOGUE) {
    event.respondWith(networkFirst(request, CATALOGUE));
  } else if (ASSETS.includes(url.pathname)) {
    event.respondWith(cacheFirst(request, url.pathname));
  }
});

// The network's answer when there is one (a good one is kept for next time); the kept one when
// the network is down. A redirect (signed out, or no shift open) is passed on and the kept page
// forgotten, so a signed-out till does not reopen from here.
async function networkFirst(request, key) {
  const cache = await caches.open(CACHE);
  let response;
  try {
    response = await fetch(request);
  } catch (error) {
    const kept = await cache.match(key);
    if (kept) return kept;
    throw error;
  }
  // Only the selling screen is kept as the page (not the form that opens a shift).
  const keep = key !== PAGE || response.headers.get("X-Counter-Page") === "selling";
  if (response.ok && keep && !response.redirected && response.type === "basic") {
    await cache.put(key, response.clone());
  } else if (response.type === "opaqueredirect" || response.redirected) {
    await cache.delete(key);
  }
  return response;
}

async function cacheFirst(request, key) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(key);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) await cache.put(key, response.clone());
  return response;
}
