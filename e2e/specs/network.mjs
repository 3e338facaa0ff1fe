// The emergency network in a phone's browser (issue 14): the operator (haven-operator, keys on the laptop) shows an
// enrolment code; the member app, on a phone 390 px wide that no staff member signed in on, makes its keys in the
// browser and joins; the operator activates; the app wakes the member (notification, title, doorbell), shows the
// alert first, answers, and shows updates, cancels and drills for what they are — in English and in Russian.
// Screenshots go to $HAVEN_E2E_SHOTS (default: a folder in the temp dir), to be looked at.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { writeFileSync, mkdtempSync, mkdirSync, rmSync, readFileSync, existsSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { inflateSync } from "node:zlib";
import { chromium } from "playwright-core";
import { staff } from "../staff.mjs";
import { writeY4m, cameraPhone } from "../camera.mjs";

const bin = dirname(resolve(process.argv[2]));
const here = dirname(new URL(import.meta.url).pathname);
const shots = process.env.HAVEN_E2E_SHOTS || join(tmpdir(), "haven-network-shots");
mkdirSync(shots, { recursive: true });

// The doorbell test rings a receiver on this machine's loopback, which a real server refuses.
export const env = { HAVEN_DOORBELL_ALLOW_PRIVATE_TARGETS: "true" };

const PHONE = { width: 390, height: 844 };

// An operator with an API token and their client's state in a temp dir; `op(...)` runs haven-operator.
async function operator(context, base, cli) {
  cli("site", "add", "--name", "Hub", "--city", "Riga", "--country", "Latvia", "--time-zone", "Europe/Riga");
  await staff(context, base, cli, "netop", "emergency_operator", "Hub");  // enrolled with TOTP through the pages
  const token = cli("token", "create", "--user", "netop", "--scope", "write", "--label", "laptop").trim().split(/\s+/).pop();
  const dir = mkdtempSync(join(tmpdir(), "haven-operator-"));
  writeFileSync(join(dir, "pass"), "the operator's long passphrase\n");
  const op = (...args) => execFileSync(join(bin, "haven-operator"), ["--state", join(dir, "state"), "--passphrase-file", join(dir, "pass"), ...args],
                                       { encoding: "utf8" });
  op("init", "--server", base, "--token", token);
  // New members wait in `sync` until the operator approves them by the id it names; `activate` asks no question.
  const approve = () => {
    const ids = [...op("sync").matchAll(/waiting\t([0-9a-f]{32})\t/g)].map((m) => m[1]);
    for (const id of ids) op("approve", id);
    return ids.length;
  };
  const activate = (...args) => {
    const m = op("activate", "--yes", ...args).match(/(^|\n)([0-9a-f]{32})\t/);
    assert.ok(m, "activate printed its id");
    return m[2];
  };
  return { op, dir, approve, activate };
}

// The member's phone: its own browser context (no staff cookie), 390 px wide, notifications allowed when asked,
// every Notification the page makes recorded. Console errors fail the test, as on run.mjs's page.
async function phone(context, base, locale) {
  const ctx = await context.browser().newContext({ locale, viewport: PHONE });
  await ctx.grantPermissions(["notifications"], { origin: base });
  await ctx.addInitScript(() => {
    // As on a phone that was never asked: "default" until the page asks (the context grants it when asked).
    window.__notified = [];
    let asked = false;
    const Real = window.Notification;
    const Recorded = function (title, options) { window.__notified.push({ title, body: options && options.body }); return Real ? new Real(title, options) : {}; };
    Object.defineProperty(Recorded, "permission", { get: () => (asked || sessionStorage.getItem("asked") ? (Real ? Real.permission : "granted") : "default") });
    Recorded.requestPermission = (...a) => { asked = true; sessionStorage.setItem("asked", "1"); return Real ? Real.requestPermission(...a) : Promise.resolve("granted"); };
    // Through the service worker, as on Android (where the constructor throws): recorded, and counted once shown.
    window.__shown = 0;
    const show = ServiceWorkerRegistration.prototype.showNotification;
    ServiceWorkerRegistration.prototype.showNotification = function (title, options) {
      window.__notified.push({ title, body: options && options.body, worker: true });
      return show.call(this, title, options).then(() => { window.__shown++; });
    };
    window.Notification = Recorded;
  });
  const page = await ctx.newPage();
  const problems = [];
  // A refused or cut-off request is logged by Chromium as "Failed to load resource": the tests provoke those.
  page.on("console", (m) => { if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) problems.push(m.text()); });
  page.on("pageerror", (e) => problems.push(String(e)));
  return { ctx, page, problems };
}

async function joinNetwork(page, base, link, { pseudonym, regions, skills, passphrase }) {
  await page.goto(base + "/network/app");
  await page.waitForSelector("#member-enrol:not([hidden])");
  await page.fill("#link", link);
  await page.fill("#pseudonym", pseudonym);
  await page.fill("#regions", regions);
  await page.fill("#skills", skills);
  await page.fill("#passphrase", passphrase);
  await page.click("#member-enrol button[type=submit]");
  await page.waitForSelector("#member-alerts:not([hidden])");
}

// The first alert's top is on screen without scrolling (the list comes first at 390 px).
async function firstAlertInView(page) {
  const box = await page.locator("#alerts li").first().boundingBox();
  assert.ok(box && box.y >= 0 && box.y + 80 < PHONE.height, "the newest alert is in view: " + JSON.stringify(box));
}

// Locked: the unlock form and nothing of the member — no alert, pseudonym, region, skill or code in the page.
async function lockedShowsNothing(page, secrets) {
  await page.waitForSelector("#member-unlock:not([hidden])");
  for (const part of ["#member-alerts", "#member-enrol"]) assert.ok(await page.locator(part).isHidden(), part + " hidden when locked");
  const text = await page.locator("body").innerText();
  for (const s of secrets) assert.ok(!text.includes(s), s + " shown on the lock screen");
  const values = await page.evaluate(() => [...document.querySelectorAll("input")].map((i) => i.value).join(" "));
  for (const s of secrets) assert.ok(!values.includes(s), s + " left in a form on the lock screen");
}

// The operator's QR image as grey pixels. Its PNG is 8-bit greyscale, filter 0 on every row, one zlib stream
// (src/emergency/client/qr.cpp writes it so); anything else is refused rather than misread.
function readGreyPng(path) {
  const png = readFileSync(path);
  assert.equal(png.subarray(0, 8).toString("binary"), "\x89PNG\r\n\x1a\n");
  let at = 8, width = 0, height = 0;
  const idat = [];
  while (at < png.length) {
    const length = png.readUInt32BE(at), type = png.subarray(at + 4, at + 8).toString("ascii"), data = png.subarray(at + 8, at + 8 + length);
    if (type === "IHDR") {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      assert.deepEqual([...data.subarray(8, 13)], [8, 0, 0, 0, 0], "8-bit greyscale, no interlace");
    }
    if (type === "IDAT") idat.push(data);
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const pixels = Buffer.alloc(width * height);
  for (let y = 0; y < height; y++) {
    assert.equal(raw[y * (width + 1)], 0, "filter none");
    raw.copy(pixels, y * width, y * (width + 1) + 1, (y + 1) * (width + 1));
  }
  return { width, height, pixels };
}

export const tests = {
  async "a member scans the operator's QR code with the phone's camera and joins, in English and in Russian"({ base, context, cli }) {
    const { op, dir, approve } = await operator(context, base, cli);
    const people = [
      { locale: "en-GB", shot: "en", pseudonym: "Vera", scanning: "Point the camera", scanned: "Code scanned", stop: "Stop the camera", button: "Scan the QR code" },
      { locale: "ru-RU", shot: "ru", pseudonym: "Галя", scanning: "Наведите камеру", scanned: "Код считан", stop: "Выключить камеру", button: "Сканировать QR-код" },
    ];
    try {
      for (const who of people) {
        const png = join(dir, who.shot + ".png"), y4m = join(dir, who.shot + ".y4m");
        const link = op("enrol", "--qr-png", png).split("\n")[0];
        writeY4m(y4m, readGreyPng(png));
        const { browser, page, problems } = await cameraPhone(y4m, who.locale, PHONE);
        try {
          await page.goto(base + "/network/app");
          await page.waitForSelector("#member-enrol:not([hidden])");
          assert.equal(await page.locator("#scan").innerText(), who.button);
          // Beside the code's field, on the phone's width.
          const field = await page.locator("#link").boundingBox(), button = await page.locator("#scan").boundingBox();
          assert.ok(button.y > field.y && button.y - (field.y + field.height) < 40 && button.x + button.width <= PHONE.width, JSON.stringify([field, button]));
          await page.click("#scan");
          // The camera's picture while it looks (the grey wall comes first), then the code read into the field.
          await page.waitForSelector("#scan-video:not([hidden])");
          await page.waitForSelector(`#member-status:has-text('${who.scanning}')`);
          assert.equal(await page.locator("#scan").innerText(), who.stop);
          await page.waitForFunction(() => document.getElementById("scan-video").videoWidth > 0);
          const video = await page.locator("#scan-video").boundingBox();
          assert.ok(video.x >= 0 && video.x + video.width <= PHONE.width && video.height > 100, JSON.stringify(video));
          await page.screenshot({ path: join(shots, who.shot + "-scanning.png") });
          await page.waitForFunction((l) => document.getElementById("link").value === l, link, { timeout: 15000 });
          await page.waitForSelector(`#member-status:has-text('${who.scanned}')`);
          assert.ok(await page.locator("#scan-video").isHidden(), "the camera's picture goes");
          assert.equal(await page.evaluate(() => document.getElementById("scan-video").srcObject), null, "and the camera is stopped");
          assert.equal(await page.locator("#scan").innerText(), who.button);
          await page.screenshot({ path: join(shots, who.shot + "-scanned.png") });
          await page.fill("#pseudonym", who.pseudonym);
          await page.fill("#regions", "tver");
          await page.fill("#skills", "driver");
          await page.fill("#passphrase", "a long passphrase of " + who.shot);
          await page.click("#member-enrol button[type=submit]");
          await page.waitForSelector("#member-alerts:not([hidden])");
          assert.deepEqual(problems, []);
        } finally {
          await browser.close();
        }
      }
      // Both wait for the operator's approval, named.
      const waiting = op("sync");
      for (const who of people) assert.match(waiting, new RegExp("waiting\t[0-9a-f]{32}\t" + who.pseudonym + "\t"), waiting);
      assert.equal(approve(), 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },

  async "the app wakes its member, shows alerts first, updates, cancels and drills for what they are, and shows nothing when locked"({ base, context, cli }) {
    const { op, dir, approve, activate } = await operator(context, base, cli);
    const { ctx, page, problems } = await phone(context, base, "en-GB");
    try {
      const link = op("enrol").split("\n")[0];
      assert.match(link, /^HAVEN:2\/[A-Z2-7]{24}\/[A-Z2-7]{26}\/HTTP:\/\/127\.0\.0\.1:\d+$/);
      await page.goto(base + "/network/app");
      await page.waitForSelector("#member-enrol:not([hidden])");
      // The member page is not a staff page: no Home, no navigation, no Sign in.
      assert.equal(await page.locator("header nav, header a[href='/login'], header a[href='/']").count(), 0);
      assert.doesNotMatch(await page.locator("footer").textContent(), /Sign out/, "a member locks, never signs out");
      assert.ok(await page.locator("#member-unlock").isHidden());
      assert.ok(await page.locator("#member-alerts").isHidden());
      // No camera here (this browser has no fake device): said in words, and the code can still be pasted.
      await page.click("#scan");
      await page.waitForSelector("#member-status:has-text('camera')");
      assert.match(await page.locator("#member-status").innerText(), /camera the page can use|camera was refused/);
      assert.ok(await page.locator("#scan-video").isHidden());
      // Not a link; a link whose fingerprint is not the keys' (as from a server that swapped them): refused in words.
      await page.fill("#link", "https://example.org/");
      await page.fill("#passphrase", "vera's long passphrase");
      await page.click("#member-enrol button[type=submit]");
      await page.waitForSelector("#member-status:has-text('not a Haven enrolment code')");
      const at = "HAVEN:2/".length + 25;
      await page.fill("#link", link.slice(0, at) + (link[at] === "A" ? "B" : "A") + link.slice(at + 1));
      await page.fill("#passphrase", "vera's long passphrase");
      await page.click("#member-enrol button[type=submit]");
      await page.waitForSelector("#member-status:has-text('do not match this code')");
      // A failed join leaves no passphrase in the form.
      await page.fill("#link", "haven-enrol:1;" + base + ";not-a-code;" + "00".repeat(32) + ";" + "11".repeat(32));
      await page.fill("#pseudonym", "Vera");
      await page.fill("#passphrase", "vera's long passphrase");
      await page.click("#member-enrol button[type=submit]");
      await page.waitForSelector("#member-status:has-text('ask the operator for a new one')");
      assert.equal(await page.inputValue("#passphrase"), "");
      await page.fill("#passphrase", "short");
      await page.click("#member-enrol button[type=submit]");
      await page.waitForSelector("#member-status:has-text('at least 8')");
      assert.equal(await page.inputValue("#passphrase"), "");

      // Regions as the member types them ("Tver") against the operator's ("Тверь"): matching is normalised.
      await joinNetwork(page, base, link, { pseudonym: "Vera", regions: "Tver", skills: "Driver", passphrase: "vera's long passphrase" });
      assert.ok(await page.locator("#member-enrol").isHidden(), "the join form is gone once joined");
      assert.equal(approve(), 1);
      // Notifications are asked for with a button, never on load.
      await page.locator("#member-wake summary").click();
      await page.click("#notify");
      await page.waitForSelector("#notify", { state: "hidden" });

      const id = activate("--status", "real", "--tier", "regions=Тверь;skills=driver;after=0", "--text", "Driver needed: Tver to Riga tonight");
      // No click: the open page keeps a long poll waiting, and the publication answers it.
      await page.waitForSelector("#alerts li", { timeout: 5000 });
      assert.match(await page.locator("#alerts li").first().innerText(), /ALERT[\s\S]*\d\d:\d\d[\s\S]*Driver needed: Tver to Riga tonight/);
      assert.equal(await page.title(), "(1) Alert — Haven");
      // One notification, through the service worker; it names nothing (a phone shows it on its lock screen).
      await page.waitForFunction(() => window.__shown === 1);
      const notified = await page.evaluate(() => window.__notified);
      assert.equal(notified.length, 1);
      assert.equal(notified[0].title, "Alert — Haven");
      assert.ok(notified[0].worker);
      assert.ok(!/Driver|Tver|Riga/.test(notified[0].body), notified[0].body);
      await firstAlertInView(page);

      // A drill: on top (newest first), in its own words and look, while the real one stays below.
      activate("--status", "exercise", "--tier", "regions=tver;skills=driver;after=0", "--text", "Exercise: meet at the depot");
      await page.waitForSelector("#alerts li.exercise");
      const first = page.locator("#alerts li").first();
      assert.match(await first.getAttribute("class"), /exercise/);
      assert.match(await first.innerText(), /DRILL[\s\S]*not a real alert[\s\S]*Exercise: meet at the depot/);
      assert.equal(await page.title(), "(2) Drill — Haven");
      await firstAlertInView(page);
      await page.screenshot({ path: join(shots, "en-alerts.png") });
      assert.equal(await page.evaluate(() => window.__notified.length), 2);

      // Answered, then updated: marked with its time, and asked to confirm again.
      await page.fill(`#eta-${id}`, "20");
      await page.click(`#alert-${id} .answer-can`);
      await page.waitForSelector(`#alert-${id} .answered`);
      activate("--status", "real", "--type", "update", "--refers-to", id, "--text", "Driver needed: now at 22:00");
      await page.waitForSelector(`#alert-${id} .confirm-again`);
      assert.match(await page.locator(`#alert-${id}`).innerText(), /Driver needed: now at 22:00[\s\S]*Updated at \d\d:\d\d/);
      assert.equal(await page.locator(`#alert-${id} .answer-can`).count(), 1, "the answer buttons are back");

      // A cancel shows its stand-down text instead of making the alert vanish.
      activate("--status", "real", "--type", "cancel", "--refers-to", id, "--text", "Stand down, do not drive");
      await page.waitForSelector(`#alert-${id}.cancelled`);
      assert.match(await page.locator(`#alert-${id}`).innerText(), /CANCELLED[\s\S]*Stand down, do not drive/);
      assert.equal(await page.locator(`#alert-${id} .answer-can`).count(), 0);
      await page.screenshot({ path: join(shots, "en-cancel.png"), fullPage: true });

      // Stored sealed: nothing readable.
      const kept = await page.evaluate(() => localStorage.getItem("haven-member"));
      assert.equal(JSON.parse(kept).v, 2);
      for (const plain of ["Driver needed", "Vera", "Tver", "identity_sk", "member_id"]) assert.ok(!kept.includes(plain), plain + " in storage");

      // Locked (by the button, then by reopening): the unlock form and nothing else.
      const secrets = ["Vera", "Tver", "Driver", "Stand down", "haven-enrol", link.slice(8, 32)];
      await page.click("#lock");
      await lockedShowsNothing(page, secrets);
      await page.reload();
      await lockedShowsNothing(page, secrets);
      await page.screenshot({ path: join(shots, "en-locked.png") });
      await page.fill("#unlock-passphrase", "not vera's passphrase");
      await page.click("#member-unlock button[type=submit]");
      await page.waitForSelector("#member-status:has-text('does not open')");
      await page.fill("#unlock-passphrase", "vera's long passphrase");
      await page.click("#member-unlock button[type=submit]");
      await page.waitForSelector("#alerts li.exercise");
      assert.equal(await page.evaluate(() => window.__notified.length), 0, "nothing rung again for what was rung before");

      // Joining again needs the passphrase and a confirmation; it never happens by pasting a code.
      await page.locator("#member-rejoin summary").click();
      await page.fill("#rejoin-passphrase", "not vera's passphrase");
      await page.click("#member-rejoin-form button[type=submit]");
      await page.waitForSelector("#member-status:has-text('does not open')");
      await page.fill("#rejoin-passphrase", "vera's long passphrase");
      await page.click("#member-rejoin-form button[type=submit]");
      await page.waitForSelector("#member-status:has-text('Tick the box')");
      assert.ok(await page.locator("#member-enrol").isHidden());
      await page.fill("#rejoin-passphrase", "vera's long passphrase");
      await page.check("#rejoin-confirm");
      await page.click("#member-rejoin-form button[type=submit]");
      await page.waitForSelector("#member-enrol:not([hidden])");
      assert.ok(await page.locator("#member-alerts").isHidden());
      assert.deepEqual(problems, []);
    } catch (e) {
      await page.screenshot({ path: join(shots, "failed.png"), fullPage: true }).catch(() => {});
      throw e;
    } finally {
      await ctx.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },

  async "in Russian: a drill says so in Russian, a cancel shows its text, the lock screen shows nothing of the member"({ base, context, cli }) {
    const { op, dir, approve, activate } = await operator(context, base, cli);
    const { ctx, page, problems } = await phone(context, base, "ru-RU");
    try {
      const link = op("enrol").split("\n")[0];
      await joinNetwork(page, base, link, { pseudonym: "Галя", regions: "Псков", skills: "водитель", passphrase: "пароль Гали длинный" });
      assert.equal(await page.locator("header a[href='/login']").count(), 0);
      assert.equal(approve(), 1);
      const real = activate("--status", "real", "--tier", "regions=pskov;skills=водитель;after=0", "--text", "Нужен водитель: Псков — Рига");
      await page.waitForSelector(`#alert-${real}`);
      activate("--status", "exercise", "--tier", "regions=Pskov;skills=водитель;after=0", "--text", "Учебный выезд к складу");
      await page.waitForSelector("#alerts li.exercise");
      const drill = await page.locator("#alerts li").first().innerText();
      assert.match(drill, /УЧЕНИЯ[\s\S]*не настоящий сигнал[\s\S]*Учебный выезд к складу/);
      assert.ok(!/exercise|DRILL|tier/i.test(drill), "no English and no jargon in a Russian drill: " + drill);
      assert.equal(await page.title(), "(2) Учения — Haven");
      await firstAlertInView(page);
      await page.screenshot({ path: join(shots, "ru-alerts.png") });
      activate("--status", "real", "--type", "cancel", "--refers-to", real, "--text", "Отбой, не выезжайте");
      await page.waitForSelector(`#alert-${real}.cancelled`);
      assert.match(await page.locator(`#alert-${real}`).innerText(), /ОТМЕНА[\s\S]*Отбой, не выезжайте/);
      await page.screenshot({ path: join(shots, "ru-cancel.png"), fullPage: true });
      await page.click("#lock");
      await lockedShowsNothing(page, ["Галя", "Псков", "водитель", "Отбой", "Нужен"]);
      await page.screenshot({ path: join(shots, "ru-locked.png") });
      assert.deepEqual(problems, []);
    } catch (e) {
      await page.screenshot({ path: join(shots, "failed.png"), fullPage: true }).catch(() => {});
      throw e;
    } finally {
      await ctx.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },

  async "a webhook doorbell set in the app is rung; offline is shown and the app reconnects as soon as the network returns"({ base, context, cli }) {
    const { op, dir, approve, activate } = await operator(context, base, cli);
    const { ctx, page, problems } = await phone(context, base, "en-GB");
    const port = await new Promise((done) => { const s = createServer().listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => done(p)); }); });
    const log = join(dir, "rings.log");
    const receiver = spawn("python3", [join(here, "../../tests/interop/webhook_receiver.py"), String(port), "vera's hook secret", log], { stdio: "ignore" });
    try {
      const link = op("enrol").split("\n")[0];
      await joinNetwork(page, base, link, { pseudonym: "Vera", regions: "tver", skills: "driver", passphrase: "vera's long passphrase" });
      assert.equal(approve(), 1);
      await page.locator("#member-wake summary").click();
      await page.selectOption("#bell-channel", "webhook");
      await page.fill("#bell-address", `http://127.0.0.1:${port}/hook`);
      await page.fill("#bell-secret", "vera's hook secret");
      await page.click("#member-doorbell button[type=submit]");
      await page.waitForSelector("#member-status:has-text('Doorbell set')");
      assert.equal(await page.inputValue("#bell-secret"), "", "the secret does not stay in the form");

      // Offline: the phone loses its network; the app says so, and is back as soon as the network returns (the
      // back-off would wait 15 s).
      await page.waitForSelector("#member-connection[data-state=online]");
      await ctx.setOffline(true);
      await page.waitForSelector("#member-connection[data-state=offline]", { timeout: 5000 });
      assert.match(await page.locator("#member-connection").innerText(), /Offline/);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(shots, "en-offline.png") });
      const back = Date.now();
      await ctx.setOffline(false);
      await page.waitForSelector("#member-connection[data-state=online]", { timeout: 5000 });
      assert.ok(Date.now() - back < 5000);
      // The server unreachable (the poll fails) while the phone is online: "Check now" shows it, then recovers.
      await page.route("**/api/v1/network/activations?*", (route) => route.abort());
      await page.click("#poll");
      await page.waitForSelector("#member-connection[data-state=offline]");
      await page.unroute("**/api/v1/network/activations?*");
      await page.click("#poll");
      await page.waitForSelector("#member-connection[data-state=online]:has-text('Checked at')");

      activate("--status", "real", "--tier", "regions=tver;skills=driver;after=0", "--text", "Everyone: check in");
      await page.waitForSelector("#alerts li");
      for (let i = 0; i < 100 && !(existsSync(log) && readFileSync(log, "utf8").includes("ok ")); i++) await new Promise((r) => setTimeout(r, 100));
      assert.match(readFileSync(log, "utf8"), /^ok \S+/m, "the receiver was rung, with a good signature");
      assert.deepEqual(problems, []);
    } catch (e) {
      await page.screenshot({ path: join(shots, "failed.png"), fullPage: true }).catch(() => {});
      throw e;
    } finally {
      receiver.kill();
      await ctx.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },

  async "in Russian: regions and skills are ticked from the operators' lists, named in Russian; a retried publication shows once"({ base, context, cli }) {
    const { op, dir, approve, activate } = await operator(context, base, cli);
    const { ctx, page, problems } = await phone(context, base, "ru-RU");
    try {
      op("lists", "add", "region", "pskov", "en=Pskov", "ru=Псков");
      op("lists", "add", "region", "tver", "en=Tver", "ru=Тверь");
      op("lists", "add", "skill", "driver", "en=Driver", "ru=Водитель");
      op("lists", "add", "skill", "safe_flat", "en=Safe flat", "ru=Безопасная квартира");
      const link = op("enrol").split("\n")[0];
      await page.goto(base + "/network/app");
      await page.waitForSelector("#member-enrol:not([hidden])");
      await page.fill("#link", link);
      // The code opens the lists: boxes named in Russian replace the words to type.
      await page.waitForSelector("#regions-choices:not([hidden])");
      assert.ok(await page.locator("#regions").isHidden() && await page.locator("#skills").isHidden());
      assert.deepEqual(await page.locator("#regions-choices label").allInnerTexts(), ["Псков", "Тверь"]);
      assert.deepEqual(await page.locator("#skills-choices label").allInnerTexts(), ["Водитель", "Безопасная квартира"]);
      await page.fill("#pseudonym", "Галя");
      await page.check("#regions-pskov");
      await page.check("#skills-driver");
      await page.fill("#passphrase", "пароль Гали длинный");
      await page.screenshot({ path: join(shots, "ru-lists.png"), fullPage: true });
      await page.click("#member-enrol button[type=submit]");
      await page.waitForSelector("#member-alerts:not([hidden])");
      assert.equal(approve(), 1);
      assert.match(op("roster"), /regions pskov\tskills driver/, "the device sent the ids");

      // Named in Russian by the operator, sent twice under two ids (an older client's retry): shown once.
      const id = op("activate", "--yes", "--status", "real", "--tier", "regions=Псков;skills=водитель;after=0", "--text", "Нужен водитель: Псков")
        .match(/(^|\n)([0-9a-f]{32})\t/)[2];
      assert.ok(id);
      execFileSync(join(bin, "haven-operator"), ["--state", join(dir, "state"), "--passphrase-file", join(dir, "pass"), "activate", "--yes", "--status", "real",
                    "--tier", "regions=pskov;after=0", "--text", "Один раз"], { encoding: "utf8", env: { ...process.env, HAVEN_TEST_PUBLISH_TWICE: "1" } });
      await page.waitForSelector("#alerts li:has-text('Один раз')");
      await page.click("#poll");
      await page.waitForSelector("#member-connection[data-state=online]:has-text('Проверено')");
      assert.equal(await page.locator("#alerts li:has-text('Один раз')").count(), 1, "the same signed alert under two ids shows once");
      assert.equal(await page.locator("#alerts li:has-text('Нужен водитель')").count(), 1);
      assert.deepEqual(problems, []);
    } catch (e) {
      await page.screenshot({ path: join(shots, "failed.png"), fullPage: true }).catch(() => {});
      throw e;
    } finally {
      await ctx.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },

  async "a Web Push doorbell set in the app is signed as RFC 8292 says, and wakes the closed app's service worker, in Russian"({ base, context, cli }) {
    const { op, dir, approve, activate } = await operator(context, base, cli);
    const { ctx, page, problems } = await phone(context, base, "ru-RU");
    const port = await new Promise((done) => { const s = createServer().listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => done(p)); }); });
    const log = join(dir, "pushes.log");
    // The push service: a local one that checks each push with PyJWT (tests/interop/push_receiver.py).
    const receiver = spawn("/usr/bin/python3", [join(here, "../../tests/interop/push_receiver.py"), String(port), log], { stdio: "ignore" });
    // Headless Chromium has no push service to subscribe with: the browser's subscribe() is replaced by one that
    // records the key the app gives it and answers with the local push service's address.
    await ctx.addInitScript((endpoint) => {
      PushManager.prototype.getSubscription = () => Promise.resolve(null);
      PushManager.prototype.subscribe = (options) => {
        window.__pushOptions = { userVisibleOnly: options.userVisibleOnly, key: btoa(String.fromCharCode(...new Uint8Array(options.applicationServerKey))) };
        return Promise.resolve({ endpoint, unsubscribe: () => Promise.resolve(true) });
      };
    }, `http://127.0.0.1:${port}/push/subscription-1`);
    try {
      const link = op("enrol").split("\n")[0];
      await joinNetwork(page, base, link, { pseudonym: "Галя", regions: "Псков", skills: "водитель", passphrase: "пароль Гали длинный" });
      assert.equal(approve(), 1);
      await page.locator("#member-wake summary").click();
      // Web Push comes first where the browser has it, and asks for no address and no secret.
      assert.equal(await page.inputValue("#bell-channel"), "webpush");
      assert.ok(await page.locator("#bell-address").isHidden() && await page.locator("#bell-secret").isHidden());
      await page.screenshot({ path: join(shots, "ru-webpush.png") });
      await page.click("#member-doorbell button[type=submit]");
      await page.waitForSelector("#member-status:has-text('Звонок задан')");
      const pushed = await page.evaluate(() => window.__pushOptions);
      assert.equal(pushed.userVisibleOnly, true);
      const key = (await (await page.request.get(base + "/api/v1/network/push-key")).json()).key;
      assert.equal(Buffer.from(pushed.key, "base64").toString("base64url"), key, "the app subscribed with the server's key");

      // The app is closed: nothing polls. The operator activates; the server pushes to the push service.
      await page.close();
      activate("--status", "real", "--tier", "regions=pskov;skills=водитель;after=0", "--text", "Нужен водитель: Псков — Рига");
      for (let i = 0; i < 100 && !(existsSync(log) && readFileSync(log, "utf8").trim()); i++) await new Promise((r) => setTimeout(r, 100));
      assert.equal(readFileSync(log, "utf8").trim(), "ok " + key, "PyJWT verified the push under the subscribed key, with no body");

      // What the push service then does: deliver the (empty) push to the service worker, which shows a
      // notification in the member's language that names nothing.
      const probe = await ctx.newPage();
      await probe.goto(base + "/healthz");
      const cdp = await ctx.newCDPSession(probe);
      const registration = new Promise((done) => cdp.on("ServiceWorker.workerRegistrationUpdated", ({ registrations }) => {
        const r = registrations.find((x) => x.scopeURL.startsWith(base + "/assets/") && !x.isDeleted);
        if (r) done(r.registrationId);
      }));
      await cdp.send("ServiceWorker.enable");
      await cdp.send("ServiceWorker.deliverPushMessage", { origin: base, registrationId: await registration, data: "" });
      const shown = await probe.waitForFunction(async () => {
        const reg = (await navigator.serviceWorker.getRegistrations()).find((r) => r.scope.includes("/assets/"));
        const list = reg ? await reg.getNotifications() : [];
        return list.length ? list.map((n) => ({ title: n.title, body: n.body, tag: n.tag })) : null;
      }, null, { timeout: 5000 });
      const notes = await shown.jsonValue();
      assert.equal(notes.length, 1);
      assert.equal(notes[0].tag, "haven-alert");
      assert.match(notes[0].body, /откройте приложение/);
      assert.ok(!/Псков|Рига|водитель|Галя/.test(notes[0].title + notes[0].body), "the notification names nothing");
      assert.deepEqual(problems, []);
    } catch (e) {
      if (!page.isClosed()) await page.screenshot({ path: join(shots, "failed.png"), fullPage: true }).catch(() => {});
      throw e;
    } finally {
      receiver.kill();
      await ctx.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
