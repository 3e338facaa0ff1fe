// The member app's service worker (docs/EMERGENCY.md). It exists so that the app can show notifications on phones
// whose browsers allow them only from a service worker (Chrome on Android), and brings the app forward when one
// is touched. It caches nothing, intercepts no request and never holds a key or an alert.
"use strict";
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((open) => {
    const app = open.find((c) => new URL(c.url).pathname === "/network/app");
    return app ? app.focus() : self.clients.openWindow("/network/app");
  }));
});
