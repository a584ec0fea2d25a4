// Loa's service worker (sw.js at the site's root; pages register it over http(s) only).
// A page the reader opened online can be read again offline: every same-site GET goes
// to the network first and a good answer is kept; without a network, the kept copy.
// A page never opened offline gets the browser's own offline error.
var CACHE = "loa-offline-1";
self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) {
  // keep the page(s) that registered this worker too, so the first page read is saved
  event.waitUntil(self.clients.claim().then(function () {
    return self.clients.matchAll({type: "window"});
  }).then(function (open) {
    return caches.open(CACHE).then(function (cache) {
      return Promise.all(open.map(function (client) {
        return cache.add(client.url).catch(function () {});
      }));
    });
  }));
});
self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || request.url.indexOf(self.registration.scope) !== 0) return;
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok && response.type === "basic") {
      var copy = response.clone();
      event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.put(request, copy); }));
    }
    return response;
  }, function (error) {
    return caches.match(request).then(function (kept) { return kept || Promise.reject(error); });
  }));
});
