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
  let state = null, lockKey = null, lockSalt = null;
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
  const list = (text) => text.split(",").map((x) => x.trim()).filter(Boolean);

  function newPrekey(identitySk) {
    const p = sodium.crypto_box_keypair();
    const notAfter = Date.now() + 2 * WEEK;
    const sig = sodium.crypto_sign_detached(cat(enc.encode("haven-prekey-v1"), p.publicKey, u64(notAfter)), identitySk);
    return { pk: sodium.to_hex(p.publicKey), sk: sodium.to_hex(p.privateKey), made_at: Date.now(), not_after: notAfter, signature: sodium.to_hex(sig) };
  }

  async function enrol(event) {
    event.preventDefault();
    const parts = $("link").value.trim().split(";");
    if (parts.length !== 5 || parts[0] !== "haven-enrol:1") { status(root.dataset.failed); return; }
    if ($("passphrase").value.length < 8) { status(root.dataset.short); return; }
    const identity = sodium.crypto_sign_keypair();
    const memberId = sodium.to_hex(sodium.randombytes_buf(16));
    const mailbox = sodium.randombytes_buf(32);
    const prekey = newPrekey(identity.privateKey);
    const regions = list($("regions").value), skills = list($("skills").value);
    const packet = { member_id: memberId, identity_pk: sodium.to_hex(identity.publicKey), mailbox: sodium.to_hex(mailbox),
                     pseudonym: $("pseudonym").value.trim(), regions, skills, contacts: [], enrolled_at: Date.now() };
    const sealed = sodium.crypto_box_seal(enc.encode(JSON.stringify(packet)), sodium.from_hex(parts[4]));
    const r = await fetch("/api/v1/network/members", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ code: parts[2], member_id: memberId, prekey: prekey.pk, not_after: prekey.not_after,
                             signature: prekey.signature, packet: sodium.to_hex(sealed) }) });
    if (r.status !== 201) { status(root.dataset.failed); return; }
    const token = (await r.json()).token;
    await newLock($("passphrase").value);
    $("passphrase").value = "";
    save({ member_id: memberId, token, org_pk: parts[3], identity_pk: sodium.to_hex(identity.publicKey),
           identity_sk: sodium.to_hex(identity.privateKey), mailbox: sodium.to_hex(mailbox), prekeys: [prekey],
           regions, skills, seen_after: 0, received: [] });
    show();
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
      return alert;
    } catch (e) { return null; }
  }

  // What to show now: the first tier that reaches this member, once released; cancels stop, updates replace the text.
  function visible(s, now) {
    const meets = (wanted, mine) => !wanted || wanted.length === 0 || wanted.some((w) => mine.includes(w));
    const out = [];
    for (const a of s.received) {
      if (a.type !== "alert" || now >= a.expires_at) continue;
      if (s.received.some((c) => c.type === "cancel" && c.refers_to === a.id)) continue;
      let tier = -1;
      (a.tiers || []).forEach((t, i) => {
        if (meets(t.regions, s.regions) && meets(t.skills, s.skills) && (tier < 0 || t.release_at < a.tiers[tier].release_at)) tier = i;
      });
      if (tier < 0 || now < a.tiers[tier].release_at) continue;
      let text = a.text, latest = a.issued_at;
      for (const u of s.received) if (u.type === "update" && u.refers_to === a.id && u.issued_at >= latest) { text = u.text; latest = u.issued_at; }
      out.push({ alert: a, tier, text });
    }
    return out;
  }

  async function answer(s, a, can) {
    const eta = Number($("eta-" + a.id).value || 0);
    const text = JSON.stringify({ member_id: s.member_id, answer: can ? "can" : "cannot", eta_minutes: eta, at: Date.now() });
    const id = sodium.from_hex(a.id);
    const sig = sodium.crypto_sign_detached(cat(enc.encode("haven-ack-v1"), id, enc.encode(text)), sodium.from_hex(s.identity_sk));
    const sealed = sodium.crypto_box_seal(cat(sig, enc.encode(text)), sodium.from_hex(a.ack_pk));
    // The capability shows the server that the answer comes from a member this activation was wrapped for.
    const capability = sodium.crypto_generichash(16, cat(enc.encode("haven-ack-capability-v1"), id), sodium.from_hex(s.mailbox));
    const r = await fetch("/api/v1/network/activations/" + a.id + "/acks", {
      method: "POST", headers: { "Content-Type": "application/octet-stream", "X-Ack-Capability": sodium.to_hex(capability) }, body: sealed });
    if (r.status !== 201) { status(root.dataset.failed); return; }
    s.answered = (s.answered || []).concat([a.id]);
    save(s);
    render(s);
  }

  function render(s) {
    const ul = $("alerts");
    ul.textContent = "";
    const shown = visible(s, Date.now());
    status(shown.length ? root.dataset.enrolled : root.dataset.nothing);
    for (const v of shown) {
      const li = document.createElement("li");
      li.className = "alert " + v.alert.status;
      const p = document.createElement("p");
      p.textContent = "[" + v.alert.status + "] " + root.dataset.tier + " " + (v.tier + 1) + ": " + v.text;
      li.appendChild(p);
      if ((s.answered || []).includes(v.alert.id)) {
        const done = document.createElement("p");
        done.className = "small answered";
        done.textContent = root.dataset.answered;
        li.appendChild(done);
      } else {
        // The minutes to get there, with a visible label (phones read it out; a hint inside the field would vanish).
        const label = document.createElement("label");
        label.htmlFor = "eta-" + v.alert.id;
        label.textContent = root.dataset.eta + " ";
        const eta = document.createElement("input");
        eta.type = "number";
        eta.id = "eta-" + v.alert.id;
        eta.min = "0";
        const yes = document.createElement("button");
        yes.type = "button"; yes.className = "answer-can"; yes.textContent = root.dataset.can;
        yes.addEventListener("click", () => answer(s, v.alert, true));
        const no = document.createElement("button");
        no.type = "button"; no.className = "secondary answer-cannot"; no.textContent = root.dataset.cannot;
        no.addEventListener("click", () => answer(s, v.alert, false));
        li.append(label, eta, yes, no);
      }
      ul.appendChild(li);
    }
  }

  async function poll(wait) {
    let s = load();
    if (!s) return false;
    await rotateIfDue(s);
    const r = await fetch("/api/v1/network/activations?after=" + s.seen_after + "&wait=" + wait);
    if (r.status === 200) {
      const items = (await r.json()).items;
      s = load();  // the state as it is now: a long poll may have waited while an answer was saved
      if (!s) return false;
      for (const item of items) {
        s.seen_after = Math.max(s.seen_after, item.published_at);
        const locator = sodium.to_hex(sodium.crypto_generichash(16, cat(enc.encode("haven-locator-v1"), sodium.from_hex(item.id)), sodium.from_hex(s.mailbox)));
        const [b, w] = await Promise.all([fetch("/api/v1/network/activations/" + item.id), fetch("/api/v1/network/activations/" + item.id + "/wraps/" + locator)]);
        if (b.status !== 200 || w.status !== 200) continue;
        const alert = open(s, item.id, new Uint8Array(await b.arrayBuffer()), new Uint8Array(await w.arrayBuffer()));
        // Anything that does not open and verify is never shown; one already here (an overlapping poll) is kept once.
        if (alert && !s.received.some((a) => a.id === alert.id)) s.received.push(alert);
      }
      save(s);
    }
    render(s);
    return r.status === 200;
  }

  // While the page is open it keeps one long poll waiting (the server holds it without a thread): an alert shows
  // within a second of its publication. A failure waits 5 s, then 10 s … at most a minute, before the next.
  let listening = 0;  // the newest listener; an older one (from before a lock) stops
  async function listen() {
    const mine = ++listening;
    let pause = 0;
    while (load() && mine === listening) {
      let ok = false;
      try { ok = await poll(25); } catch (e) { ok = false; }
      pause = ok ? 0 : Math.min(60000, pause ? pause * 2 : 5000);
      if (pause) await new Promise((done) => setTimeout(done, pause));
    }
  }

  // Opens the stored state with the passphrase (or, for a state kept unsealed by an earlier version of this page,
  // seals it under the passphrase now chosen).
  async function unlock(event) {
    event.preventDefault();
    const passphrase = $("unlock-passphrase").value;
    const kept = stored();
    if (!kept) { show(); return; }
    if (kept.v !== 2) {
      if (passphrase.length < 8) { status(root.dataset.short); return; }
      await newLock(passphrase);
      save(kept);
    } else {
      const salt = sodium.from_hex(kept.salt), key = await deriveKey(passphrase, salt, kept.rounds);
      try {
        state = JSON.parse(dec.decode(sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, sodium.from_hex(kept.box), AD, sodium.from_hex(kept.nonce), key)));
      } catch (e) { status(root.dataset.wrong); return; }
      lockKey = key;
      lockSalt = salt;
    }
    $("unlock-passphrase").value = "";
    show();
  }

  function lock() {
    state = null;
    lockKey = null;
    show();
  }

  function show() {
    const s = load(), kept = stored();
    $("member-enrol").hidden = !!s || !!kept;
    $("member-unlock").hidden = !!s || !kept;
    $("member-alerts").hidden = !s;
    if (s) poll(0).then(listen);
    else status(kept ? (kept.v === 2 ? root.dataset.locked : root.dataset.choose) : "");
  }

  sodium.ready.then(() => {
    $("member-enrol").addEventListener("submit", enrol);
    $("member-unlock").addEventListener("submit", unlock);
    $("poll").addEventListener("click", () => poll(0));
    $("lock").addEventListener("click", lock);
    show();
  });
})();
