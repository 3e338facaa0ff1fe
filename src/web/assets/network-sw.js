// The member app's service worker (docs/EMERGENCY.md). It exists so that the app can show notifications on phones
// whose browsers allow them only from a service worker (Chrome on Android), so that a Web Push doorbell wakes the
// phone while no page is open, and to bring the app forward when a notification is touched. It caches nothing,
// intercepts no request and never holds a key or an alert: a push carries nothing, so it can only say "open the
// app" — in the language the app registered it with (?lang=).
"use strict";
const WORDS = {
  en: { title: "Haven", body: "Something for you: open the app to read it." },
  ru: { title: "Haven", body: "Для вас есть сигнал: откройте приложение, чтобы прочитать." },
  uk: { title: "Haven", body: "Для вас є тривога: відкрийте застосунок, щоб прочитати." },
  fr: { title: "Haven", body: "Quelque chose pour vous : ouvrez l’application pour le lire." },
  de: { title: "Haven", body: "Etwas für Sie: öffnen Sie die App, um es zu lesen." },
};
const words = WORDS[new URL(self.location.href).searchParams.get("lang")] || WORDS.en;
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("push", (event) => {
  event.waitUntil(self.registration.showNotification(words.title, {
    body: words.body, tag: "haven-alert", renotify: true, requireInteraction: true, vibrate: [400, 150, 400, 150, 800] }));
});
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((open) => {
    const app = open.find((c) => new URL(c.url).pathname === "/network/app");
    return app ? app.focus() : self.clients.openWindow("/network/app");
  }));
});
