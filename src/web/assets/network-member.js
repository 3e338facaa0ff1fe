// The emergency network's member app (docs/EMERGENCY.md), run in the phone's browser with libsodium: it makes
// and keeps this member's keys, enrols with the operator's code, polls the mailboxes, opens and verifies
// activations, decides alone whether and when an alert concerns this member, and seals its answers. Its state
// (keys, alerts, answers) is stored sealed under the member's passphrase and open only in memory while unlocked.
// The same wire format as src/network/wire.cpp; the same decision as src/network/alert.cpp.
"use strict";
(function () {
  const root = document.getElementById("member-app");
  if (!root || typeof sodium === "undefined") return;
  const KEY = "haven-member";
  const WEEK = 7 * 24 * 3600 * 1000;
  const enc = new TextEncoder(), dec = new TextDecoder();
  const $ = (id) => document.getElementById(id);
  const status = (text) => { $("member-status").textContent = text; };

  // The app's own words, in the page's language (the server's pages take theirs from src/web/messages).
  const WORDS = {
    en: {
      alert: "ALERT", drill: "DRILL", test: "TEST",
      drill_note: "This is an exercise, not a real alert. Answer as you would for real.",
      test_note: "A test of the network, not a real alert.",
      cancelled: "CANCELLED", cancelled_at: "Cancelled at {t}:", was: "It said:",
      updated_at: "Updated at {t}", confirm_again: "The alert changed since you answered: please answer again.",
      eta: "Minutes to get there", can: "I can help", cannot: "I cannot",
      answered_can: "You answered: you can help.", answered_cannot: "You answered: you cannot.",
      nothing: "Nothing for you right now.",
      online: "Online: waiting for alerts (checked {t})", offline: "Offline: no connection to the server. Next try in {s} s.",
      retrying: "Connecting again…", checking: "Checking…", checked: "Checked at {t}: nothing new.", checked_new: "Checked at {t}.",
      title: "Alert", title_drill: "Drill", notify_on: "Notifications are on.", notify_denied: "Notifications are blocked in this browser's settings.",
      notify_none: "This browser cannot show notifications.",
      notify_body: "Something for you: open the app to read it.", notify_cancel: "Changed or cancelled: open the app to read it.",
      bell_set: "Doorbell set: {c}. It replaces any earlier one of this phone.", bell_refused: "The server refused the doorbell: {m}",
      bell_now: "This phone's doorbell: {c}.",
      push_none: "This browser cannot take Web Push: choose another doorbell.", push_failed: "Web Push could not be set up: {m}",
      rejoin_confirm: "Tick the box to confirm.", rejoin_ready: "Enter the new code from the operator.",
      expired_code: "This code is used or expired: ask the operator for a new one.",
      offline_short: "No connection: try again.",
      bad_link: "This is not a Haven enrolment code. Check that it was copied whole.",
      other_hub: "This code is for another server ({s}): open the app there.",
      keys_mismatch: "The server gave keys that do not match this code. Do not join: tell the operator.",
      scan_stop: "Stop the camera", scan_start: "Point the camera at the operator's QR code.",
      scan_done: "Code scanned. Fill in the rest and join.",
      scan_foreign: "That QR code is not a Haven enrolment code: point the camera at the operator's.",
      scan_refused: "The camera was refused. Allow it for this page in the browser's settings, or paste the code.",
      scan_none: "This phone has no camera the page can use. Paste the code instead.",
      scan_busy: "The camera would not start (another app may be using it). Close it and try again, or paste the code.",
      scan_unavailable: "This browser cannot use the camera here (it needs https). Paste the code instead.",
    },
    ru: {
      alert: "СИГНАЛ", drill: "УЧЕНИЯ", test: "ПРОВЕРКА",
      drill_note: "Это учения, а не настоящий сигнал. Отвечайте, как ответили бы всерьёз.",
      test_note: "Проверка сети, а не настоящий сигнал.",
      cancelled: "ОТМЕНА", cancelled_at: "Отменено в {t}:", was: "Было:",
      updated_at: "Изменено в {t}", confirm_again: "Сигнал изменился после вашего ответа: ответьте ещё раз.",
      eta: "Минут до места", can: "Могу помочь", cannot: "Не могу",
      answered_can: "Вы ответили: можете помочь.", answered_cannot: "Вы ответили: не можете.",
      nothing: "Сейчас для вас ничего нет.",
      online: "На связи: ждём сигналов (проверено в {t})", offline: "Нет связи с сервером. Следующая попытка через {s} с.",
      retrying: "Снова подключаемся…", checking: "Проверяем…", checked: "Проверено в {t}: нового нет.", checked_new: "Проверено в {t}.",
      title: "Сигнал", title_drill: "Учения", notify_on: "Уведомления включены.", notify_denied: "Уведомления запрещены в настройках браузера.",
      notify_none: "Этот браузер не умеет показывать уведомления.",
      notify_body: "Для вас есть сигнал: откройте приложение, чтобы прочитать.", notify_cancel: "Сигнал изменён или отменён: откройте приложение.",
      bell_set: "Звонок задан: {c}. Он заменяет прежний звонок этого телефона.", bell_refused: "Сервер не принял звонок: {m}",
      bell_now: "Звонок этого телефона: {c}.",
      push_none: "Этот браузер не принимает Web Push: выберите другой звонок.", push_failed: "Не удалось включить Web Push: {m}",
      rejoin_confirm: "Отметьте галочку, чтобы подтвердить.", rejoin_ready: "Введите новый код от оператора.",
      expired_code: "Этот код уже использован или просрочен: попросите у оператора новый.",
      offline_short: "Нет связи: попробуйте ещё раз.",
      bad_link: "Это не код подключения Haven. Проверьте, что он скопирован целиком.",
      other_hub: "Этот код для другого сервера ({s}): откройте приложение там.",
      keys_mismatch: "Сервер выдал ключи, которые не совпадают с этим кодом. Не подключайтесь: сообщите оператору.",
      scan_stop: "Выключить камеру", scan_start: "Наведите камеру на QR-код оператора.",
      scan_done: "Код считан. Заполните остальное и подключайтесь.",
      scan_foreign: "Это не QR-код подключения Haven: наведите камеру на код оператора.",
      scan_refused: "Доступ к камере запрещён. Разрешите его для этой страницы в настройках браузера или вставьте код.",
      scan_none: "У телефона нет камеры, доступной странице. Вставьте код вручную.",
      scan_busy: "Камера не включилась (возможно, её занимает другое приложение). Закройте его и попробуйте снова или вставьте код.",
      scan_unavailable: "Этот браузер не может включить камеру здесь (нужен https). Вставьте код вручную.",
    },    uk: {
      alert: "ТРИВОГА", drill: "НАВЧАННЯ", test: "ПЕРЕВІРКА",
      drill_note: "Це навчання, а не справжня тривога. Відповідайте так, як відповіли б насправді.",
      test_note: "Перевірка мережі, а не справжня тривога.",
      cancelled: "СКАСОВАНО", cancelled_at: "Скасовано о {t}:", was: "Було:",
      updated_at: "Змінено о {t}", confirm_again: "Тривога змінилася після вашої відповіді: дайте відповідь ще раз.",
      eta: "Хвилин до місця", can: "Можу допомогти", cannot: "Не можу",
      answered_can: "Ви відповіли: можете допомогти.", answered_cannot: "Ви відповіли: не можете.",
      nothing: "Зараз для вас нічого немає.",
      online: "На звʼязку: чекаємо на тривоги (перевірено о {t})", offline: "Немає звʼязку із сервером. Наступна спроба за {s} с.",
      retrying: "Знову підключаємося…", checking: "Перевіряємо…", checked: "Перевірено о {t}: нового немає.", checked_new: "Перевірено о {t}.",
      title: "Тривога", title_drill: "Навчання", notify_on: "Сповіщення ввімкнено.", notify_denied: "Сповіщення заборонено в налаштуваннях браузера.",
      notify_none: "Цей браузер не вміє показувати сповіщення.",
      notify_body: "Для вас є тривога: відкрийте застосунок, щоб прочитати.", notify_cancel: "Тривогу змінено або скасовано: відкрийте застосунок.",
      bell_set: "Дзвінок задано: {c}. Він замінює попередній дзвінок цього телефона.", bell_refused: "Сервер не прийняв дзвінок: {m}",
      bell_now: "Дзвінок цього телефона: {c}.",
      push_none: "Цей браузер не приймає Web Push: оберіть інший дзвінок.", push_failed: "Не вдалося ввімкнути Web Push: {m}",
      rejoin_confirm: "Поставте позначку, щоб підтвердити.", rejoin_ready: "Введіть новий код від оператора.",
      expired_code: "Цей код уже використано або він прострочений: попросіть в оператора новий.",
      offline_short: "Немає звʼязку: спробуйте ще раз.",
      bad_link: "Це не код підключення Haven. Перевірте, що його скопійовано повністю.",
      other_hub: "Цей код для іншого сервера ({s}): відкрийте застосунок там.",
      keys_mismatch: "Сервер видав ключі, що не збігаються з цим кодом. Не підключайтеся: повідомте оператора.",
      scan_stop: "Вимкнути камеру", scan_start: "Наведіть камеру на QR-код оператора.",
      scan_done: "Код зчитано. Заповніть решту й підключайтеся.",
      scan_foreign: "Це не QR-код підключення Haven: наведіть камеру на код оператора.",
      scan_refused: "Доступ до камери заборонено. Дозвольте його для цієї сторінки в налаштуваннях браузера або вставте код.",
      scan_none: "У телефона немає камери, доступної сторінці. Вставте код вручну.",
      scan_busy: "Камера не ввімкнулася (можливо, її використовує інший застосунок). Закрийте його й спробуйте знову або вставте код.",
      scan_unavailable: "Цей браузер не може ввімкнути камеру тут (потрібен https). Вставте код вручну.",
    },
    fr: {
      alert: "ALERTE", drill: "EXERCICE", test: "TEST",
      drill_note: "Ceci est un exercice, pas une vraie alerte. Répondez comme vous le feriez pour de vrai.",
      test_note: "Un test du réseau, pas une vraie alerte.",
      cancelled: "ANNULÉE", cancelled_at: "Annulée à {t} :", was: "Elle disait :",
      updated_at: "Modifiée à {t}", confirm_again: "L’alerte a changé depuis votre réponse : répondez à nouveau.",
      eta: "Minutes pour y aller", can: "Je peux aider", cannot: "Je ne peux pas",
      answered_can: "Vous avez répondu : vous pouvez aider.", answered_cannot: "Vous avez répondu : vous ne pouvez pas.",
      nothing: "Rien pour vous en ce moment.",
      online: "En ligne : en attente d’alertes (vérifié à {t})", offline: "Hors ligne : pas de connexion au serveur. Nouvel essai dans {s} s.",
      retrying: "Nouvelle connexion…", checking: "Vérification…", checked: "Vérifié à {t} : rien de nouveau.", checked_new: "Vérifié à {t}.",
      title: "Alerte", title_drill: "Exercice", notify_on: "Les notifications sont activées.", notify_denied: "Les notifications sont bloquées dans les réglages de ce navigateur.",
      notify_none: "Ce navigateur ne peut pas afficher de notifications.",
      notify_body: "Quelque chose pour vous : ouvrez l’application pour le lire.", notify_cancel: "Modifiée ou annulée : ouvrez l’application pour le lire.",
      bell_set: "Sonnette réglée : {c}. Elle remplace la précédente de ce téléphone.", bell_refused: "Le serveur a refusé la sonnette : {m}",
      bell_now: "Sonnette de ce téléphone : {c}.",
      push_none: "Ce navigateur ne prend pas en charge Web Push : choisissez une autre sonnette.", push_failed: "Web Push n’a pas pu être activé : {m}",
      rejoin_confirm: "Cochez la case pour confirmer.", rejoin_ready: "Saisissez le nouveau code de l’opérateur.",
      expired_code: "Ce code est déjà utilisé ou expiré : demandez-en un nouveau à l’opérateur.",
      offline_short: "Pas de connexion : réessayez.",
      bad_link: "Ce n’est pas un code d’inscription Haven. Vérifiez qu’il a été copié en entier.",
      other_hub: "Ce code est pour un autre serveur ({s}) : ouvrez l’application là-bas.",
      keys_mismatch: "Le serveur a donné des clés qui ne correspondent pas à ce code. Ne rejoignez pas : prévenez l’opérateur.",
      scan_stop: "Arrêter la caméra", scan_start: "Pointez la caméra vers le QR code de l’opérateur.",
      scan_done: "Code lu. Remplissez le reste et rejoignez.",
      scan_foreign: "Ce QR code n’est pas un code d’inscription Haven : pointez la caméra vers celui de l’opérateur.",
      scan_refused: "L’accès à la caméra a été refusé. Autorisez-le pour cette page dans les réglages du navigateur, ou collez le code.",
      scan_none: "Ce téléphone n’a pas de caméra utilisable par la page. Collez le code.",
      scan_busy: "La caméra n’a pas démarré (une autre application l’utilise peut-être). Fermez-la et réessayez, ou collez le code.",
      scan_unavailable: "Ce navigateur ne peut pas utiliser la caméra ici (https est nécessaire). Collez le code.",
    },
    de: {
      alert: "ALARM", drill: "ÜBUNG", test: "TEST",
      drill_note: "Dies ist eine Übung, kein echter Alarm. Antworten Sie, wie Sie im Ernstfall antworten würden.",
      test_note: "Ein Test des Netzes, kein echter Alarm.",
      cancelled: "ABGESAGT", cancelled_at: "Abgesagt um {t}:", was: "Er lautete:",
      updated_at: "Geändert um {t}", confirm_again: "Der Alarm hat sich seit Ihrer Antwort geändert: bitte antworten Sie erneut.",
      eta: "Minuten bis dorthin", can: "Ich kann helfen", cannot: "Ich kann nicht",
      answered_can: "Ihre Antwort: Sie können helfen.", answered_cannot: "Ihre Antwort: Sie können nicht.",
      nothing: "Im Moment nichts für Sie.",
      online: "Online: warte auf Alarme (geprüft um {t})", offline: "Offline: keine Verbindung zum Server. Nächster Versuch in {s} s.",
      retrying: "Verbinde erneut…", checking: "Prüfe…", checked: "Geprüft um {t}: nichts Neues.", checked_new: "Geprüft um {t}.",
      title: "Alarm", title_drill: "Übung", notify_on: "Benachrichtigungen sind an.", notify_denied: "Benachrichtigungen sind in den Einstellungen dieses Browsers gesperrt.",
      notify_none: "Dieser Browser kann keine Benachrichtigungen zeigen.",
      notify_body: "Etwas für Sie: öffnen Sie die App, um es zu lesen.", notify_cancel: "Geändert oder abgesagt: öffnen Sie die App, um es zu lesen.",
      bell_set: "Klingel eingerichtet: {c}. Sie ersetzt jede frühere dieses Telefons.", bell_refused: "Der Server hat die Klingel abgelehnt: {m}",
      bell_now: "Klingel dieses Telefons: {c}.",
      push_none: "Dieser Browser unterstützt kein Web Push: wählen Sie eine andere Klingel.", push_failed: "Web Push konnte nicht eingerichtet werden: {m}",
      rejoin_confirm: "Setzen Sie das Häkchen, um zu bestätigen.", rejoin_ready: "Geben Sie den neuen Code der Operator·in ein.",
      expired_code: "Dieser Code ist verbraucht oder abgelaufen: bitten Sie die Operator·in um einen neuen.",
      offline_short: "Keine Verbindung: versuchen Sie es erneut.",
      bad_link: "Das ist kein Haven-Beitrittscode. Prüfen Sie, ob er vollständig kopiert wurde.",
      other_hub: "Dieser Code gilt für einen anderen Server ({s}): öffnen Sie die App dort.",
      keys_mismatch: "Der Server hat Schlüssel geliefert, die nicht zu diesem Code passen. Treten Sie nicht bei: sagen Sie es der Operator·in.",
      scan_stop: "Kamera ausschalten", scan_start: "Richten Sie die Kamera auf den QR-Code der Operator·in.",
      scan_done: "Code gelesen. Füllen Sie den Rest aus und treten Sie bei.",
      scan_foreign: "Dieser QR-Code ist kein Haven-Beitrittscode: richten Sie die Kamera auf den der Operator·in.",
      scan_refused: "Der Zugriff auf die Kamera wurde verweigert. Erlauben Sie ihn für diese Seite in den Browsereinstellungen oder fügen Sie den Code ein.",
      scan_none: "Dieses Telefon hat keine Kamera, die die Seite nutzen kann. Fügen Sie den Code ein.",
      scan_busy: "Die Kamera ist nicht angegangen (vielleicht nutzt sie eine andere App). Schließen Sie diese und versuchen Sie es erneut, oder fügen Sie den Code ein.",
      scan_unavailable: "Dieser Browser kann die Kamera hier nicht nutzen (https ist nötig). Fügen Sie den Code ein.",
    },
  };
  const words = WORDS[(document.documentElement.lang || "en").slice(0, 2)] || WORDS.en;
  const say = (key, args = {}) => words[key].replace(/\{(\w+)\}/g, (_, k) => String(args[k]));
  const two = (n) => String(n).padStart(2, "0");
  // HH:MM, with the day and month when it is not today.
  const clock = (ms) => {
    const d = new Date(ms), today = new Date();
    const hm = two(d.getHours()) + ":" + two(d.getMinutes());
    return d.toDateString() === today.toDateString() ? hm : two(d.getDate()) + "." + two(d.getMonth() + 1) + " " + hm;
  };

  const cat = (...parts) => {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) { out.set(p, at); at += p.length; }
    return out;
  };
  const u64 = (n) => {
    const out = new Uint8Array(8);
    let v = BigInt(n);
    for (let i = 0; i < 8; i++) { out[i] = Number(v & 0xffn); v >>= 8n; }
    return out;
  };
  // Locked storage: {v: 2, salt, rounds, nonce, box}, box = XChaCha20-Poly1305(state) under a key made from the
  // passphrase by PBKDF2-SHA256 (the browser's WebCrypto; libsodium.js's standard build has no Argon2).
  const ROUNDS = 600000, AD = enc.encode("haven-member-state-v2");
  let state = null, lockKey = null, lockSalt = null, rejoining = false;
  const stored = () => JSON.parse(localStorage.getItem(KEY) || "null");
  const load = () => (state ? JSON.parse(JSON.stringify(state)) : null);
  const save = (s) => {
    state = s;
    const nonce = sodium.randombytes_buf(24);
    const box = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(enc.encode(JSON.stringify(s)), AD, null, nonce, lockKey);
    localStorage.setItem(KEY, JSON.stringify({ v: 2, salt: sodium.to_hex(lockSalt), rounds: ROUNDS, nonce: sodium.to_hex(nonce), box: sodium.to_hex(box) }));
  };
  async function deriveKey(passphrase, salt, rounds) {
    const base = await crypto.subtle.importKey("raw", enc.encode(passphrase), "PBKDF2", false, ["deriveBits"]);
    return new Uint8Array(await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations: rounds }, base, 256));
  }
  async function newLock(passphrase) {
    lockSalt = sodium.randombytes_buf(16);
    lockKey = await deriveKey(passphrase, lockSalt, ROUNDS);
  }
  // The stored state opened with a passphrase, or null when it does not open.
  async function opened(passphrase) {
    const kept = stored();
    if (!kept || kept.v !== 2) return null;
    const salt = sodium.from_hex(kept.salt), key = await deriveKey(passphrase, salt, kept.rounds);
    try {
      const s = JSON.parse(dec.decode(sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, sodium.from_hex(kept.box), AD, sodium.from_hex(kept.nonce), key)));
      return { s, key, salt };
    } catch (e) { return null; }
  }
  const list = (text) => text.split(",").map((x) => x.trim()).filter(Boolean);

  // A region or skill as tiers and profiles are compared — the same folding as normalise() in
  // src/network/alert.cpp: trimmed, lower case, Russian letters in Latin ("Тверь" is "tver"), spaces and hyphens '_'.
  const LATIN = ["a", "b", "v", "g", "d", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p",
                 "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"];
  function normalise(word) {
    let out = "";
    for (const ch of word) {
      const cp = ch.codePointAt(0);
      if (cp === 0x401 || cp === 0x451) out += "e";
      else if (cp >= 0x410 && cp <= 0x44f) out += LATIN[(cp - 0x410) % 32];
      else if (ch === " " || ch === "-" || ch === "_" || ch === "\t") { if (out && !out.endsWith("_")) out += "_"; }
      else out += cp >= 65 && cp <= 90 ? ch.toLowerCase() : ch;
    }
    return out.replace(/_+$/, "");
  }

  function newPrekey(identitySk) {
    const p = sodium.crypto_box_keypair();
    const notAfter = Date.now() + 2 * WEEK;
    const sig = sodium.crypto_sign_detached(cat(enc.encode("haven-prekey-v1"), p.publicKey, u64(notAfter)), identitySk);
    return { pk: sodium.to_hex(p.publicKey), sk: sodium.to_hex(p.privateKey), made_at: Date.now(), not_after: notAfter, signature: sodium.to_hex(sig) };
  }

  // The operator's link (docs/EMERGENCY.md, "Enrolment links"; the same as src/network/enrol_link.cpp). Version 2,
  // HAVEN:2/CODE/FINGERPRINT/HUB, fits a small QR code: it carries a fingerprint of the operators' keys, which
  // come from the server with the code. Version 1 carried the keys. null for anything else.
  const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  function base32(text) {
    const out = [];
    let bits = 0, value = 0;
    for (const ch of text) {
      const i = B32.indexOf(ch);
      if (i < 0) return null;
      value = ((value << 5) | i) & 0xffff;
      bits += 5;
      if (bits >= 8) { out.push((value >> (bits - 8)) & 255); bits -= 8; }
    }
    return bits >= 5 || (value & ((1 << bits) - 1)) ? null : new Uint8Array(out);  // only what an encoder writes
  }
  function parseLink(text) {
    text = text.trim();
    if (text.startsWith("haven-enrol:1;")) {
      const p = text.split(";");
      if (p.length !== 5 || !p[2] || !/^[0-9a-f]{64}$/i.test(p[3]) || !/^[0-9a-f]{64}$/i.test(p[4])) return null;
      try { return { v: 1, origin: new URL(p[1]).origin, code: p[2], org: p[3].toLowerCase(), box: p[4].toLowerCase() }; } catch (e) { return null; }
    }
    if (text.slice(0, 8).toUpperCase() !== "HAVEN:2/") return null;
    const rest = text.slice(8), a = rest.indexOf("/"), b = a < 0 ? -1 : rest.indexOf("/", a + 1);
    if (b < 0) return null;
    const code = rest.slice(0, a).toUpperCase(), fp = base32(rest.slice(a + 1, b).toUpperCase());
    const hub = rest.slice(b + 1);
    if (!/^[A-Z2-7]{1,100}$/.test(code) || !fp || fp.length !== 16 || !/^([a-z][a-z0-9+.-]*:\/\/)?[a-z0-9.:[\]-]+(\/.*)?$/i.test(hub)) return null;
    try { return { v: 2, origin: new URL(/:\/\//.test(hub) ? hub : "https://" + hub).origin, code, fp }; } catch (e) { return null; }
  }
  const fingerprint = (org, box) => sodium.crypto_generichash(16, cat(enc.encode("haven-enrol-keys-v1"), org, box), null);

  // The operators' lists of regions and skills come with a version-2 code, sealed under it (docs/EMERGENCY.md,
  // "Regions and skills"): offered as boxes to tick, named in the page's language, as soon as the code is entered
  // or scanned. The device keeps the ids, as tiers name them. Without lists the member types words, as before.
  let offered = { regions: null, skills: null };
  function nameOf(entry) {
    const lang = (document.documentElement.lang || "en").slice(0, 2);
    return entry.names[lang] || entry.names.en || Object.values(entry.names)[0] || entry.id;
  }
  function openLists(sealedHex, code) {
    try {
      const key = sodium.crypto_generichash(32, enc.encode("haven-enrol-lists-v1"), enc.encode(code));
      const sealed = sodium.from_hex(sealedHex);
      const lists = JSON.parse(dec.decode(sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, sealed.slice(24), null, sealed.slice(0, 24), key)));
      const valid = (l) => Array.isArray(l) && l.every((e) => e && /^[a-z0-9_]{1,40}$/.test(e.id) && e.names && typeof e.names === "object");
      return valid(lists.regions || []) && valid(lists.skills || []) ? lists : null;
    } catch (e) { return null; }
  }
  function showChoices(kind, entries) {
    const box = $(kind + "-choices"), typed = $(kind).closest(".field");
    box.querySelectorAll(".field").forEach((f) => f.remove());
    offered[kind] = entries && entries.length ? entries : null;
    box.hidden = !offered[kind];
    typed.hidden = !!offered[kind];
    for (const e of offered[kind] || []) {
      const field = document.createElement("div"), input = document.createElement("input"), label = document.createElement("label");
      field.className = "field check";
      input.type = "checkbox";
      input.id = kind + "-" + e.id;
      input.value = e.id;
      label.htmlFor = input.id;
      label.textContent = nameOf(e);
      field.append(input, label);
      box.append(field);
    }
  }
  let choicesAsked = 0;  // only the answer for the latest text in the field is shown
  async function offerChoices() {
    const mine = ++choicesAsked;
    const link = parseLink($("link").value);
    if (!link || link.v !== 2 || link.origin !== location.origin) { showChoices("regions", null); showChoices("skills", null); return; }
    let k;
    try {
      k = await fetch("/api/v1/network/enrolment-keys", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ code: link.code }) });
    } catch (e) { return; }
    const keys = k.status === 200 ? await k.json().catch(() => ({})) : {};
    if (mine !== choicesAsked) return;
    const lists = typeof keys.lists === "string" ? openLists(keys.lists, link.code) : null;
    showChoices("regions", lists && lists.regions);
    showChoices("skills", lists && lists.skills);
  }
  const chosen = (kind) => (offered[kind] ? [...$(kind + "-choices").querySelectorAll("input:checked")].map((i) => i.value) : list($(kind).value));

  async function enrol(event) {
    event.preventDefault();
    stopScan();
    const passphrase = $("passphrase").value;
    $("passphrase").value = "";  // never left in the form, whatever happens next
    const link = parseLink($("link").value);
    if (!link) { status(say("bad_link")); return; }
    // This page enrols with the server that serves it: a code for another would be handed to the wrong one.
    if (link.origin !== location.origin) { status(say("other_hub", { s: link.origin })); return; }
    if (passphrase.length < 8) { status(root.dataset.short); return; }
    if (link.v === 2) {
      // The keys come with the code (in the body, never the URL) and are used only if they are the ones the
      // operator fingerprinted in the link: a server that swapped them is refused.
      let k;
      try {
        k = await fetch("/api/v1/network/enrolment-keys", { method: "POST", headers: { "Content-Type": "application/json" },
                                                           body: JSON.stringify({ code: link.code }) });
      } catch (e) { status(say("offline_short")); return; }
      if (k.status === 404 || k.status === 410) { status(say("expired_code")); return; }
      if (k.status !== 200) { status(root.dataset.failed); return; }
      const keys = await k.json().catch(() => ({}));
      const hex = (x) => (typeof x === "string" && /^[0-9a-f]{64}$/.test(x) ? sodium.from_hex(x) : null);
      const org = hex(keys.org_pk), box = hex(keys.box_pk);
      if (!org || !box || sodium.to_hex(fingerprint(org, box)) !== sodium.to_hex(link.fp)) { status(say("keys_mismatch")); return; }
      link.org = keys.org_pk;
      link.box = keys.box_pk;
    }
    const identity = sodium.crypto_sign_keypair();
    const memberId = sodium.to_hex(sodium.randombytes_buf(16));
    const mailbox = sodium.randombytes_buf(32);
    const prekey = newPrekey(identity.privateKey);
    const regions = chosen("regions"), skills = chosen("skills");
    const packet = { member_id: memberId, identity_pk: sodium.to_hex(identity.publicKey), mailbox: sodium.to_hex(mailbox),
                     pseudonym: $("pseudonym").value.trim(), regions, skills, contacts: [], enrolled_at: Date.now() };
    let r;
    try {
      const sealed = sodium.crypto_box_seal(enc.encode(JSON.stringify(packet)), sodium.from_hex(link.box));
      r = await fetch("/api/v1/network/members", {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ code: link.code, member_id: memberId, prekey: prekey.pk, not_after: prekey.not_after,
                               signature: prekey.signature, packet: sodium.to_hex(sealed) }) });
    } catch (e) { status(root.dataset.failed); return; }
    if (r.status === 404 || r.status === 410) { status(say("expired_code")); return; }
    if (r.status !== 201) { status(root.dataset.failed); return; }
    const token = (await r.json()).token;
    // Joining again: the old member leaves the server (its prekey and doorbell go), so the roster keeps one of them.
    const old = rejoining ? load() : null;
    if (old) fetch("/api/v1/network/members/" + old.member_id, { method: "DELETE", headers: { "X-Member-Token": old.token } }).catch(() => {});
    rejoining = false;
    await newLock(passphrase);
    save({ member_id: memberId, token, org_pk: link.org, identity_pk: sodium.to_hex(identity.publicKey),
           identity_sk: sodium.to_hex(identity.privateKey), mailbox: sodium.to_hex(mailbox), prekeys: [prekey],
           regions, skills, seen_after: 0, received: [], answers: {}, rung: [] });
    for (const id of ["link", "pseudonym", "regions", "skills"]) $(id).value = "";
    showChoices("regions", null);
    showChoices("skills", null);
    show();
  }

  // The operator's QR code through the phone's rear camera: frames decoded by jsQR (vendored, loaded on the first
  // press), the link put in the field, the camera stopped. Nothing leaves the phone.
  let scanning = null;
  function stopScan() {
    if (!scanning) return;
    clearTimeout(scanning.timer);
    for (const t of scanning.stream.getTracks()) t.stop();
    const video = $("scan-video");
    video.srcObject = null;
    video.hidden = true;
    $("scan").textContent = root.dataset.scan;
    scanning = null;
  }
  const loadDecoder = () => (typeof jsQR === "function" ? Promise.resolve() : new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = root.dataset.jsqr;
    script.onload = resolve;
    script.onerror = reject;
    document.head.appendChild(script);
  }));
  async function scan() {
    if (scanning) { stopScan(); status(""); return; }
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { status(say("scan_unavailable")); return; }
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    } catch (e) {
      const name = e && e.name;
      status(say(name === "NotAllowedError" || name === "SecurityError" ? "scan_refused"
                 : name === "NotFoundError" || name === "OverconstrainedError" ? "scan_none" : "scan_busy"));
      return;
    }
    try { await loadDecoder(); } catch (e) { for (const t of stream.getTracks()) t.stop(); status(root.dataset.failed); return; }
    const video = $("scan-video"), canvas = document.createElement("canvas"), g = canvas.getContext("2d", { willReadFrequently: true });
    scanning = { stream, timer: 0 };
    video.srcObject = stream;
    video.hidden = false;
    await video.play().catch(() => {});
    $("scan").textContent = say("scan_stop");
    status(say("scan_start"));
    const look = () => {
      if (!scanning || scanning.stream !== stream) return;
      if (video.readyState >= 2 && video.videoWidth) {
        // At most 640 px on the long side: enough for a QR code filling part of the frame, and fast on a phone.
        const scale = Math.min(1, 640 / Math.max(video.videoWidth, video.videoHeight));
        canvas.width = Math.round(video.videoWidth * scale);
        canvas.height = Math.round(video.videoHeight * scale);
        g.drawImage(video, 0, 0, canvas.width, canvas.height);
        const found = jsQR(g.getImageData(0, 0, canvas.width, canvas.height).data, canvas.width, canvas.height);
        if (found && parseLink(found.data)) {
          $("link").value = found.data.trim();
          stopScan();
          offerChoices();
          status(say("scan_done"));
          $("pseudonym").focus();
          return;
        }
        if (found && found.data) status(say("scan_foreign"));
      }
      scanning.timer = setTimeout(look, 150);
    };
    look();
  }

  // Weekly: a new prekey; the previous one kept a week for activations wrapped before the operator saw the new one.
  async function rotateIfDue(s) {
    if (Date.now() - s.prekeys[0].made_at < WEEK) return;
    const fresh = newPrekey(sodium.from_hex(s.identity_sk));
    const r = await fetch("/api/v1/network/members/" + s.member_id + "/prekey", {
      method: "PUT", headers: { "Content-Type": "application/json", "X-Member-Token": s.token },
      body: JSON.stringify({ prekey: fresh.pk, not_after: fresh.not_after, signature: fresh.signature }) });
    if (r.status !== 200) return;
    s.prekeys = [fresh, s.prekeys[0]];
    save(s);
  }

  // The member's side of the wire format: the wrap with each prekey, the body, the organisation's signature.
  function open(s, idHex, body, wrap) {
    const id = sodium.from_hex(idHex);
    if (body.length < 73 + 16 || body[0] !== 1 || wrap.length !== 48) return null;
    const ephemeral = body.slice(17, 49), nonce = body.slice(49, 73);
    let bodyKey = null;
    for (const p of s.prekeys) {
      try {
        const shared = sodium.crypto_scalarmult(sodium.from_hex(p.sk), ephemeral);
        const k = sodium.crypto_generichash(32, cat(shared, ephemeral, sodium.from_hex(p.pk)), null);
        bodyKey = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, wrap, id, new Uint8Array(24), k);
        break;
      } catch (e) { /* not this prekey */ }
    }
    if (!bodyKey) return null;
    let frame;
    try { frame = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, body.slice(73), id, nonce, bodyKey); } catch (e) { return null; }
    const n = frame[0] | (frame[1] << 8) | (frame[2] << 16) | (frame[3] << 24);
    if (n < 64 || n > frame.length - 4) return null;
    const signature = frame.slice(4, 68), message = frame.slice(68, 4 + n);
    if (!sodium.crypto_sign_verify_detached(signature, cat(enc.encode("haven-alert-v1"), id, message), sodium.from_hex(s.org_pk))) return null;
    try {
      const alert = JSON.parse(dec.decode(message));
      if (alert.v !== 1) return null;
      alert.id = idHex;  // the signed activation id, not whatever the message says
      alert.digest = sodium.to_hex(sodium.crypto_generichash(32, message, null));  // the same message twice is one alert
      return alert;
    } catch (e) { return null; }
  }

  // What to show now, newest first: each alert whose first matching tier is released, with the text of its latest
  // update (and when it changed), or — once a signed cancel arrived — its stand-down text instead of vanishing.
  // An alert cancelled before it ever reached this member is never shown.
  function visible(s, now) {
    const mine = (list) => list.map(normalise);
    const regions = mine(s.regions || []), skills = mine(s.skills || []);
    const meets = (wanted, have) => !wanted || wanted.length === 0 || wanted.some((w) => have.includes(normalise(w)));
    const refers = (x, a) => x.refers_to === a.id || (a.aliases || []).includes(x.refers_to);
    const out = [];
    for (const a of s.received) {
      if (a.type !== "alert" || now >= a.expires_at) continue;
      let tier = -1;
      (a.tiers || []).forEach((t, i) => {
        if (meets(t.regions, regions) && meets(t.skills, skills) && (tier < 0 || t.release_at < a.tiers[tier].release_at)) tier = i;
      });
      if (tier < 0 || now < a.tiers[tier].release_at) continue;
      const released = a.tiers[tier].release_at;
      const cancel = s.received.filter((c) => c.type === "cancel" && refers(c, a)).sort((x, y) => x.issued_at - y.issued_at)[0];
      if (cancel && cancel.issued_at < released) continue;
      let text = a.text, updated = 0;
      for (const u of s.received) if (u.type === "update" && refers(u, a) && u.issued_at >= Math.max(updated, a.issued_at)) { text = u.text; updated = u.issued_at; }
      out.push({ alert: a, text, updated, cancel: cancel || null, since: Math.max(released, a.issued_at) });
    }
    return out.sort((x, y) => Math.max(y.since, y.updated, y.cancel ? y.cancel.issued_at : 0) - Math.max(x.since, x.updated, x.cancel ? x.cancel.issued_at : 0));
  }

  async function answer(a, can) {
    const s = load();
    if (!s) return;
    const eta = Number(($("eta-" + a.id) || {}).value || 0);
    const at = Date.now();
    const text = JSON.stringify({ member_id: s.member_id, answer: can ? "can" : "cannot", eta_minutes: eta, at });
    const id = sodium.from_hex(a.id);
    const sig = sodium.crypto_sign_detached(cat(enc.encode("haven-ack-v1"), id, enc.encode(text)), sodium.from_hex(s.identity_sk));
    const sealed = sodium.crypto_box_seal(cat(sig, enc.encode(text)), sodium.from_hex(a.ack_pk));
    // The capability shows the server that the answer comes from a member this activation was wrapped for.
    const capability = sodium.crypto_generichash(16, cat(enc.encode("haven-ack-capability-v1"), id), sodium.from_hex(s.mailbox));
    let r;
    try {
      r = await fetch("/api/v1/network/activations/" + a.id + "/acks", {
        method: "POST", headers: { "Content-Type": "application/octet-stream", "X-Ack-Capability": sodium.to_hex(capability) }, body: sealed });
    } catch (e) { status(say("offline_short")); return; }
    if (r.status !== 201) { status(root.dataset.failed); return; }
    const now = load();
    now.answers = Object.assign(now.answers || {}, { [a.id]: { answer: can ? "can" : "cannot", eta, at } });
    save(now);
    render(now);
  }

  function element(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function answerRow(v) {
    const row = element("div", "answer");
    // The minutes to get there, with a visible label (phones read it out; a hint inside the field would vanish).
    const label = element("label", "", say("eta"));
    label.htmlFor = "eta-" + v.alert.id;
    const eta = element("input");
    eta.type = "number"; eta.id = "eta-" + v.alert.id; eta.min = "0"; eta.inputMode = "numeric";
    const yes = element("button", "answer-can", say("can"));
    yes.type = "button";
    yes.addEventListener("click", () => answer(v.alert, true));
    const no = element("button", "secondary answer-cannot", say("cannot"));
    no.type = "button";
    no.addEventListener("click", () => answer(v.alert, false));
    row.append(label, eta, yes, no);
    return row;
  }

  function render(s) {
    const ul = $("alerts");
    ul.textContent = "";
    const shown = visible(s, Date.now());
    ul.dataset.empty = say("nothing");  // shown by the stylesheet while the list is empty; #member-status keeps what the member did
    for (const v of shown) {
      const a = v.alert, drill = a.status === "exercise" || a.status === "test";
      const li = element("li", "alert " + a.status + (v.cancel ? " cancelled" : ""));
      li.id = "alert-" + a.id;
      const kind = element("p", "kind");
      const word = v.cancel ? say("cancelled") + " · " : "";
      kind.append(element("span", "", word + say(a.status === "exercise" ? "drill" : a.status === "test" ? "test" : "alert")));
      const time = element("time", "", clock(v.since));
      time.dateTime = new Date(v.since).toISOString();
      kind.append(time);
      li.append(kind);
      if (drill) li.append(element("p", "drill-note", say(a.status === "exercise" ? "drill_note" : "test_note")));
      if (v.cancel) {
        li.append(element("p", "standdown", say("cancelled_at", { t: clock(v.cancel.issued_at) }) + " " + v.cancel.text));
        li.append(element("p", "text was", say("was") + " " + v.text));
        ul.appendChild(li);
        continue;
      }
      li.append(element("p", "text", v.text));
      if (v.updated) li.append(element("p", "updated", say("updated_at", { t: clock(v.updated) })));
      const given = (s.answers || {})[a.id];
      if (given && !(v.updated > given.at)) {
        li.append(element("p", "small answered", say(given.answer === "can" ? "answered_can" : "answered_cannot")));
      } else {
        if (given) li.append(element("p", "updated confirm-again", say("confirm_again")));
        li.append(answerRow(v));
      }
      ul.appendChild(li);
    }
    ring(s, shown);
  }

  // Waking the member while the page is open or in the background: for each alert, update or cancel not yet rung,
  // a notification (once allowed), vibration, a tone made here (no file fetched) and the count in the title.
  let unseen = 0, audio = null;
  const TITLE = document.title;
  function ring(s, shown) {
    const fresh = shown.filter((v) => !(s.rung || []).includes(v.alert.id + ":" + v.updated + ":" + (v.cancel ? 1 : 0)));
    if (!fresh.length) return;
    const now = load();
    now.rung = (now.rung || []).concat(fresh.map((v) => v.alert.id + ":" + v.updated + ":" + (v.cancel ? 1 : 0))).slice(-500);
    save(now);
    unseen += fresh.length;
    const drill = fresh.every((v) => v.alert.status !== "real");
    const name = say(drill ? "title_drill" : "title");
    document.title = "(" + unseen + ") " + name + " — Haven";
    if (navigator.vibrate) navigator.vibrate([400, 150, 400, 150, 800]);
    tone();
    // The notification names no place, person or task: a phone shows it on its lock screen, to whoever holds it.
    if (typeof Notification !== "undefined" && Notification.permission === "granted") {
      const options = { body: say(fresh.some((v) => v.cancel) ? "notify_cancel" : "notify_body"), tag: "haven-alert", renotify: true, requireInteraction: true };
      (worker || Promise.resolve(null))
        .then((reg) => (reg ? reg.showNotification(name + " — Haven", options) : new Notification(name + " — Haven", options)))
        .catch(() => { try { new Notification(name + " — Haven", options); } catch (e) { /* none on this browser */ } });
    }
  }
  // Phones' browsers (Chrome on Android) show notifications only through a service worker: ours does nothing else.
  let worker = null;
  function registerWorker() {
    if (worker || !("serviceWorker" in navigator) || !root.dataset.worker) return;
    // Not navigator.serviceWorker.ready: the worker's scope (/assets/) does not hold this page, so wait for it here.
    // Its language rides in its address: it shows the Web Push notification while no page is open.
    worker = navigator.serviceWorker.register(root.dataset.worker + "?lang=" + (document.documentElement.lang || "en").slice(0, 2)).then((reg) => (reg.active ? reg : new Promise((done) => {
      const w = reg.installing || reg.waiting;
      if (!w) { done(reg); return; }
      w.addEventListener("statechange", () => { if (w.state === "activated") done(reg); });
    }))).catch(() => null);
  }
  function tone() {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      if (audio.state === "suspended") audio.resume();
      const t = audio.currentTime, gain = audio.createGain();
      gain.connect(audio.destination);
      gain.gain.setValueAtTime(0.0001, t);
      for (let i = 0; i < 3; i++) {
        const osc = audio.createOscillator();
        osc.type = "square";
        osc.frequency.value = i % 2 ? 660 : 880;
        osc.connect(gain);
        gain.gain.exponentialRampToValueAtTime(0.3, t + i * 0.5 + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, t + i * 0.5 + 0.4);
        osc.start(t + i * 0.5);
        osc.stop(t + i * 0.5 + 0.4);
      }
    } catch (e) { /* no sound on this browser */ }
  }
  // Browsers start sound only after a gesture: the first touch on the page makes the audio ready for later.
  function seen() {
    unseen = 0;
    document.title = TITLE;
    if (!audio) { try { audio = new (window.AudioContext || window.webkitAudioContext)(); } catch (e) { /* none */ } }
  }

  function permission() {
    const button = $("notify");
    if (typeof Notification === "undefined") { button.hidden = true; return say("notify_none"); }
    button.hidden = Notification.permission === "granted";
    return Notification.permission === "granted" ? say("notify_on") : Notification.permission === "denied" ? say("notify_denied") : "";
  }
  async function askPermission() {
    if (typeof Notification === "undefined") { status(say("notify_none")); return; }
    await Notification.requestPermission();
    registerWorker();
    status(permission());
  }

  async function setDoorbell(event) {
    event.preventDefault();
    const s = load();
    if (!s) return;
    const channel = $("bell-channel").value;
    const body = { channel, address: $("bell-address").value.trim(), secret: channel === "webhook" ? $("bell-secret").value : "" };
    if (channel === "webpush") {
      try { body.address = (await pushSubscription()).endpoint; } catch (e) { status(say("push_failed", { m: e.message || e })); return; }
    }
    let r;
    try {
      r = await fetch("/api/v1/network/doorbells", {
        method: "POST", headers: { "Content-Type": "application/json", "X-Member-Id": s.member_id, "X-Member-Token": s.token }, body: JSON.stringify(body) });
    } catch (e) { status(say("offline_short")); return; }
    const reply = await r.json().catch(() => ({}));
    if (r.status !== 201) { status(say("bell_refused", { m: (reply.error && reply.error.message) || r.status })); return; }
    $("bell-secret").value = "";
    const now = load();
    now.doorbell = { id: reply.id, token: reply.token, channel };
    save(now);
    status(say("bell_set", { c: $("bell-channel").selectedOptions[0].textContent }));
  }

  // Web Push: the browser's push service wakes the service worker even when no page is open. The server signs
  // its empty pushes with the key fetched here (VAPID); the subscription is made again, bound to that key.
  async function pushSubscription() {
    if (!("PushManager" in window) || !("serviceWorker" in navigator)) throw new Error(say("push_none"));
    if (typeof Notification === "undefined") throw new Error(say("notify_none"));
    if (Notification.permission !== "granted" && (await Notification.requestPermission()) !== "granted") throw new Error(say("notify_denied"));
    registerWorker();
    const reg = await worker;
    if (!reg || !reg.pushManager) throw new Error(say("push_none"));
    const r = await fetch("/api/v1/network/push-key");
    const reply = await r.json().catch(() => ({}));
    if (r.status !== 200) throw new Error((reply.error && reply.error.message) || String(r.status));
    const old = await reg.pushManager.getSubscription();
    if (old) await old.unsubscribe().catch(() => {});
    return reg.pushManager.subscribe({ userVisibleOnly: true,
      applicationServerKey: sodium.from_base64(reply.key, sodium.base64_variants.URLSAFE_NO_PADDING) });
  }
  // Only the fields the chosen doorbell needs: Web Push needs none, only a webhook a secret.
  function bellFields() {
    const channel = $("bell-channel").value;
    $("bell-address").closest(".field").hidden = channel === "webpush";
    $("bell-secret").closest(".field").hidden = channel !== "webhook";
  }

  async function rejoin(event) {
    event.preventDefault();
    const passphrase = $("rejoin-passphrase").value;
    $("rejoin-passphrase").value = "";
    if (!(await opened(passphrase))) { status(root.dataset.wrong); return; }
    if (!$("rejoin-confirm").checked) { status(say("rejoin_confirm")); return; }
    $("rejoin-confirm").checked = false;
    rejoining = true;
    show();
    status(say("rejoin_ready"));
  }

  // The connection as the member should see it: online (and when it last checked), offline (and when it tries
  // again), or connecting again.
  let waiting = null;  // the long poll in flight
  function connection(state, text) {
    const p = $("member-connection");
    p.dataset.state = state;
    p.textContent = text;
  }

  async function poll(wait) {
    let s = load();
    if (!s) return false;
    await rotateIfDue(s);
    // A long poll is dropped when the phone goes offline (it would otherwise hang on a dead connection).
    const ctl = new AbortController();
    if (wait) waiting = ctl;
    const r = await fetch("/api/v1/network/activations?after=" + s.seen_after + "&wait=" + wait, { signal: ctl.signal });
    if (r.status !== 200) return false;
    const items = (await r.json()).items;
    s = load();  // the state as it is now: a long poll may have waited while an answer was saved
    if (!s) return false;
    for (const item of items) {
      s.seen_after = Math.max(s.seen_after, item.published_at);
      const locator = sodium.to_hex(sodium.crypto_generichash(16, cat(enc.encode("haven-locator-v1"), sodium.from_hex(item.id)), sodium.from_hex(s.mailbox)));
      const [b, w] = await Promise.all([fetch("/api/v1/network/activations/" + item.id), fetch("/api/v1/network/activations/" + item.id + "/wraps/" + locator)]);
      if (b.status !== 200 || w.status !== 200) continue;
      const alert = open(s, item.id, new Uint8Array(await b.arrayBuffer()), new Uint8Array(await w.arrayBuffer()));
      // Anything that does not open and verify is never shown; one already here (an overlapping poll) is kept once,
      // and so is the same signed message under a second activation id (a publication retried): its id becomes an
      // alias, so that an update or cancel referring to either reaches it.
      if (!alert || s.received.some((a) => a.id === alert.id)) continue;
      const twin = s.received.find((a) => a.digest && a.digest === alert.digest);
      if (twin) twin.aliases = (twin.aliases || []).concat([alert.id]);
      else s.received.push(alert);
    }
    save(s);
    render(s);
    return true;
  }

  // While the page is open it keeps one long poll waiting (the server holds it without a thread): an alert shows
  // within a second of its publication. A failure is shown and retried after 2 s, 4 s … at most 15 s — at once when
  // the phone's network comes back or "Check now" is pressed.
  let listening = 0, wake = null;  // the newest listener (an older one, from before a lock, stops); its pause's end
  const pause = (ms) => new Promise((done) => { wake = done; setTimeout(done, ms); });
  async function listen() {
    const mine = ++listening;
    let wait = 0, failures = 0;
    while (load() && mine === listening) {
      let ok = false;
      try { ok = await poll(wait); } catch (e) { ok = false; }
      if (mine !== listening || !load()) return;
      if (ok) {
        failures = 0;
        wait = 25;
        connection("online", say("online", { t: clock(Date.now()) }));
        continue;
      }
      failures++;
      wait = 0;
      const ms = navigator.onLine === false ? 15000 : Math.min(15000, 1000 * 2 ** failures);
      connection("offline", say("offline", { s: Math.round(ms / 1000) }));
      await pause(ms);
      if (mine === listening && load()) connection("retrying", say("retrying"));
    }
  }
  function retryNow() {
    if (wake) { const w = wake; wake = null; w(); }
  }

  async function checkNow() {
    if (!load()) return;
    const button = $("poll");
    button.disabled = true;
    connection("retrying", say("checking"));
    const before = (load().received || []).length;
    let ok = false;
    try { ok = await poll(0); } catch (e) { ok = false; }
    button.disabled = false;
    if (ok) {
      connection("online", say((load().received || []).length > before ? "checked_new" : "checked", { t: clock(Date.now()) }));
      // A listener paused after a failure tries at once; one waiting in its long poll goes on waiting.
      retryNow();
    } else {
      connection("offline", say("offline_short"));
    }
  }

  // Opens the stored state with the passphrase (or, for a state kept unsealed by an earlier version of this page,
  // seals it under the passphrase now chosen).
  async function unlock(event) {
    event.preventDefault();
    const passphrase = $("unlock-passphrase").value;
    $("unlock-passphrase").value = "";
    const kept = stored();
    if (!kept) { show(); return; }
    if (kept.v !== 2) {
      if (passphrase.length < 8) { status(root.dataset.short); return; }
      await newLock(passphrase);
      save(kept);
    } else {
      const o = await opened(passphrase);
      if (!o) { status(root.dataset.wrong); return; }
      state = o.s;
      lockKey = o.key;
      lockSalt = o.salt;
    }
    seen();
    show();
  }

  function lock() {
    state = null;
    lockKey = null;
    rejoining = false;
    listening++;
    if (waiting) waiting.abort();
    retryNow();
    $("alerts").textContent = "";
    showChoices("regions", null);
    showChoices("skills", null);
    for (const input of root.querySelectorAll("input")) { input.value = ""; input.checked = false; }
    seen();
    show();
  }

  // Exactly one of: the join form (no member on this phone, or joining again), the unlock form (locked), the
  // alerts (unlocked). Nothing of the member is in the page while it is locked.
  function show() {
    const s = load(), kept = stored();
    const joining = !kept || (rejoining && !!s);
    $("member-enrol").hidden = !joining;
    $("member-unlock").hidden = joining || !!s;
    $("member-alerts").hidden = joining || !s;
    if (s && !joining) {
      status(permission());
      if (typeof Notification !== "undefined" && Notification.permission === "granted") registerWorker();
      if (s.doorbell && $("bell-channel").querySelector("option[value=" + s.doorbell.channel + "]")) $("bell-channel").value = s.doorbell.channel;
      bellFields();
      connection("retrying", say("retrying"));
      listen();
    } else if (!joining) {
      status(kept.v === 2 ? root.dataset.locked : root.dataset.choose);
      $("unlock-passphrase").focus();
    } else {
      status("");
    }
  }

  sodium.ready.then(() => {
    $("member-enrol").addEventListener("submit", enrol);
    $("link").addEventListener("input", offerChoices);
    $("scan").addEventListener("click", scan);
    document.addEventListener("visibilitychange", () => { if (document.hidden) stopScan(); });  // never filming in the background
    $("member-unlock").addEventListener("submit", unlock);
    $("member-doorbell").addEventListener("submit", setDoorbell);
    $("bell-channel").addEventListener("change", bellFields);
    if (!("PushManager" in window)) $("bell-channel").querySelector("option[value=webpush]").remove();
    bellFields();
    $("member-rejoin-form").addEventListener("submit", rejoin);
    $("notify").addEventListener("click", askPermission);
    $("poll").addEventListener("click", checkNow);
    $("lock").addEventListener("click", lock);
    window.addEventListener("online", retryNow);
    window.addEventListener("offline", () => { if (waiting) waiting.abort(); });
    document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible" && document.hasFocus()) seen(); });
    document.addEventListener("pointerdown", seen);
    show();
  });
})();
