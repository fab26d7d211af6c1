// 村级离线工作's service worker. It keeps the app shell (page, script, style, icon) and nothing else:
// the laborer list lives in the page's IndexedDB, masked, and is removed on logout; the list and the sync
// always go to the network.
const RELEASE = "{{ release }}";
const SHELL = "bangfu-field-" + RELEASE;
const ASSETS = {{ assets_json|safe }};
const SCOPE = ASSETS[0];

async function keep(cache, url) {
  const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
  // A redirect is the login page (session gone): never keep it as the shell.
  if (response.ok && !response.redirected) await cache.put(url, response);
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL).then((cache) => Promise.all(ASSETS.map((url) => keep(cache, url)))).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith("bangfu-field-") && n !== SHELL).map((n) => caches.delete(n))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname === SCOPE) {
    // The shell from the cache at once; refreshed behind it for the next start.
    event.respondWith(
      caches.open(SHELL).then(async (cache) => {
        const cached = await cache.match(SCOPE);
        const fresh = keep(cache, SCOPE).catch(() => null);
        if (cached) {
          event.waitUntil(fresh);
          return cached;
        }
        return fetch(request);
      })
    );
    return;
  }
  if (ASSETS.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname).then((cached) => cached || fetch(request)));
  }
});
