// Keyboard alone, and no JavaScript at all. A coordinator who cannot use a mouse signs in, records a new arrival
// (after a failed try whose error must reach a screen reader), finds her again, books the studio and marks a
// course session's attendance with Tab / Shift+Tab / Enter / Space / typing only; every Tab stop relied on must
// show where the focus is. Then the same flows, plus an import from a CSV file, in a browser with JavaScript off.
import assert from "node:assert/strict";
import { enrol, signIn, staff, PASSWORD } from "../staff.mjs";

const day = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);

// Setup only (a mouse is fine here): the studio, a person on a course with one session. Returns the addresses.
async function seed(context, base, cli, site) {
  const S = `/sites/${site}`;
  const setup = await staff(context, base, cli, "setup", "coordinator");
  const s = setup.page;
  const submit = (sel) => Promise.all([s.waitForNavigation(), s.click(sel)]);
  await s.goto(base + S + "/spaces");
  await s.fill("#name", "Studio");
  await s.selectOption("#kind", "studio");
  await s.fill("#opening_hours", "Mo-Su 08:00-22:00");
  await submit("#new-space button[type=submit]");
  const space = new URL(s.url()).pathname;
  await s.goto(base + S + "/people/new");
  await s.fill("#pseudonym", "Lis");
  await s.check("#consent-data_processing");
  await submit("#intake button[type=submit]");
  if (await s.locator("#duplicates").count()) {
    await s.check("#confirm_new-1");
    await submit("#intake button[type=submit]");
  }
  await s.goto(base + S + "/courses");
  await s.fill("#title", "Français débutants");
  await s.fill("#language", "fr");
  await s.selectOption("#level", "A1");
  await s.fill("#capacity", "12");
  await submit("#new-course button[type=submit]");
  const course = new URL(s.url()).pathname;
  await s.fill("#enrol-someone #q", "Lis");
  await submit("#enrol-someone button[type=submit]");
  assert.match(await s.locator("#enrolled").textContent(), /Lis/);
  await s.fill("#add-sessions #date", day(3));
  await s.fill("#add-sessions #from", "18:00");
  await s.fill("#add-sessions #to", "20:00");
  await submit("#add-sessions button[type=submit]");
  const session = await s.getAttribute("#sessions a >> nth=0", "href");
  assert.match(session, /^\/course-sessions\/\d+$/);
  await setup.context.close();
  return { S, space, course, session };
}

// A context of our own, whose console is watched (a 4xx answer is expected on a failed form; anything else, such
// as a CSP refusal, is not).
async function ownContext(context, extra = {}) {
  const ctx = await context.browser().newContext({ locale: "en-GB", ...extra });
  const page = await ctx.newPage();
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error" && !/status of 4\d\d/.test(m.text())) problems.push(m.text()); });
  page.on("pageerror", (e) => problems.push(String(e)));
  return { ctx, page, problems };
}

// ---- keyboard helpers -------------------------------------------------------------------------------------------

// The look of every focusable element before anything is focused: what "without focus" is compared with.
async function snapshot(page) {
  await page.evaluate(() => {
    const look = (el) => {
      const s = getComputedStyle(el);
      return { outlineStyle: s.outlineStyle, outlineWidth: s.outlineWidth, outlineColor: s.outlineColor, boxShadow: s.boxShadow,
               border: s.borderTopColor + " " + s.borderTopWidth, background: s.backgroundColor };
    };
    window.__kbLook = look;
    window.__kbBase = new WeakMap();
    for (const el of document.querySelectorAll("a[href], button, input, select, textarea, summary, [tabindex]"))
      if (el !== document.activeElement) window.__kbBase.set(el, look(el));
  });
}

// What is focused now: a selector-like description, whether it matches `selector`, and its focus indicator.
function focused(page, selector) {
  return page.evaluate((selector) => {
    const el = document.activeElement;
    if (!el || el === document.body) return { desc: "body", matches: false, indicator: null, key: null };
    if (!window.__kbLook) return { desc: el.tagName, matches: false, indicator: null, key: null };
    let desc = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.getAttribute("name") ? `[name=${el.getAttribute("name")}]` : "") +
               (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "");
    if (!el.id) {
      const text = (el.textContent || el.value || "").trim().replace(/\s+/g, " ").slice(0, 30);
      if (text) desc += ` "${text}"`;
      const f = el.closest("form[id], nav, header, footer, [id]");
      if (f) desc = (f.id ? "#" + f.id : f.tagName.toLowerCase()) + " " + desc;
    }
    if (!window.__kbIds) window.__kbIds = new WeakMap();
    if (!window.__kbIds.has(el)) window.__kbIds.set(el, Math.random());
    const now = window.__kbLook(el), before = window.__kbBase.get(el) || null;
    const alpha = (c) => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return 1; const p = m[1].split(/[ ,/]+/).filter(Boolean); return p.length > 3 ? parseFloat(p[3]) : 1; };
    const outlineShown = (l) => l.outlineStyle !== "none" && parseFloat(l.outlineWidth) > 0 && alpha(l.outlineColor) > 0;
    const outline = outlineShown(now) && !(before && outlineShown(before) && before.outlineStyle === now.outlineStyle &&
                                           before.outlineWidth === now.outlineWidth && before.outlineColor === now.outlineColor);
    const shadow = now.boxShadow !== "none" && (!before || before.boxShadow !== now.boxShadow);
    const other = before ? [before.border !== now.border ? "border" : "", before.background !== now.background ? "background" : ""].filter(Boolean) : [];
    return { desc, matches: !!selector && el.matches(selector), key: window.__kbIds.get(el),
             indicator: { ok: outline || shadow, outline, shadow, other, now, before, focusVisible: el.matches(":focus-visible") } };
  }, selector);
}

// Tab (or Shift+Tab) until `selector` has the focus. Every stop passed is noted; the stop relied on must show a focus
// indicator (outline or box-shadow that the unfocused element does not have).
async function tabTo(k, selector, { back = false, max = 220 } = {}) {
  const { page, stops, missing } = k;
  const path = new URL(page.url()).pathname;
  const seen = [];
  // A date or time field is one element with several stops inside (its segments, its picker): one stop here.
  let last = k.last ?? null;
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
    const f = await focused(page, selector);
    if (f.key !== last) {
      seen.push(f.desc);
      stops.push(`${path} ${f.desc}`);
      if (f.indicator && !f.indicator.ok && !f.matches) missing.add(`${path} ${f.desc} (passed over)`);
      if (f.indicator) {
        const look = `${f.indicator.now.outlineStyle} ${f.indicator.now.outlineWidth} ${f.indicator.now.outlineColor}` +
                     (f.indicator.now.boxShadow !== "none" ? ` shadow ${f.indicator.now.boxShadow}` : "");
        if (!k.looks.has(look)) k.looks.set(look, new Set());
        k.looks.get(look).add(f.desc.replace(/^#\S+ /, "").replace(/[#"].*$/, ""));
      }
      last = k.last = f.key;
    }
    if (f.matches) {
      if (!f.indicator.ok) {
        missing.add(`${path} ${f.desc} (relied on)`);
        k.failures.push(`no visible focus indicator on ${f.desc} at ${path}: focused ${JSON.stringify(f.indicator.now)}, ` +
                        `unfocused ${JSON.stringify(f.indicator.before)}, :focus-visible ${f.indicator.focusVisible}`);
      }
      return f;
    }
  }
  throw new Error(`${back ? "Shift+Tab" : "Tab"} never reached ${selector} on ${path} in ${max} presses; stops: ${seen.join(" → ")}`);
}

// Enter (on a link or a submit button), waiting for the page that follows; the new page's looks are noted.
async function enter(k) {
  const [response] = await Promise.all([k.page.waitForNavigation(), k.page.keyboard.press("Enter")]);
  k.last = null;
  await snapshot(k.page);
  return response;
}

// A date typed into a date field, whichever order its segments are in (the browser's locale decides): typed as
// month-day-year, and if that is not what the field shows, Shift+Tab twice back to its first segment and day-month-year.
async function typeDate(k, selector, iso) {
  const [y, m, d] = iso.split("-");
  await k.page.keyboard.type(m + d + y);
  if ((await k.page.inputValue(selector)) === iso) return;
  await k.page.keyboard.press("Shift+Tab");
  await k.page.keyboard.press("Shift+Tab");
  await k.page.keyboard.type(d + m + y);
  if ((await k.page.inputValue(selector)) === iso) return;
  throw new Error(`typing ${iso} into ${selector} gave "${await k.page.inputValue(selector)}"`);
}

// A time typed into a time field: 12-hour fields take an A/P, 24-hour ones ignore it.
async function typeTime(k, selector, hhmm) {
  const [h, m] = hhmm.split(":").map(Number);
  const twelve = `${String(((h + 11) % 12) + 1).padStart(2, "0")}${String(m).padStart(2, "0")}${h < 12 ? "A" : "P"}`;
  await k.page.keyboard.type(twelve);
  if ((await k.page.inputValue(selector)) === hhmm) return;
  throw new Error(`typing ${twelve} into ${selector} gave "${await k.page.inputValue(selector)}"`);
}

export const tests = {
  async "the main flows with the keyboard alone"({ base, context, cli }) {
    const site = cli("site", "add", "--name", "Paris", "--city", "Paris", "--country", "France", "--time-zone", "Europe/Paris").match(/id (\d+)/)[1];
    const seeded = await seed(context, base, cli, site);
    // The keyboard user's account, enrolled beforehand (the enrolment is not one of the flows tested here).
    const link = cli("user", "add", "--name", "keyboard", "--role", "coordinator", "--site", "Paris", "--base-url", base).match(/(http\S+\/enrol\/\S+)/)[1];
    const enrolling = await context.browser().newContext({ locale: "en-GB" });
    const { codes } = await enrol(await enrolling.newPage(), link);
    await enrolling.close();

    const own = await ownContext(context);
    const page = own.page;
    const k = { page, stops: [], missing: new Set(), failures: [], looks: new Map() };
    const report = () => {
      console.log(`info keyboard: ${k.stops.length} Tab stops; focus indicator missing on: ${[...k.missing].join("; ") || "none"}`);
      for (const [look, tags] of k.looks) console.log(`info keyboard: focused look "${look}" on ${[...tags].join(", ")}`);
    };
    try {
      // 1. Sign in.
      await page.goto(base + "/login");
      await snapshot(page);
      const first = await tabTo(k, "a.skip");
      console.log(`info keyboard: the first Tab lands on ${first.desc}`);
      await tabTo(k, "#username");
      await page.keyboard.type("keyboard");
      await tabTo(k, "#password");
      await page.keyboard.type(PASSWORD);
      await tabTo(k, "#code");
      await page.keyboard.type(codes[0]);
      await tabTo(k, "main form button[type=submit]");
      assert.equal((await enter(k)).status(), 200, "signed in");
      assert.doesNotMatch(new URL(page.url()).pathname, /^\/login/, "signed in: not the login page again");

      // 2. Intake: first with the pseudonym left empty — refused, and the reason must reach a screen reader.
      await tabTo(k, "header nav a[href='/people']");
      await enter(k);
      await tabTo(k, "#new-arrival");
      await enter(k);
      assert.match(new URL(page.url()).pathname, /\/people\/new$/, "the intake form");
      await tabTo(k, "#intake button[type=submit]");
      const refused = await enter(k);
      assert.equal(refused.status(), 422, "an intake without a pseudonym is refused");
      const err = await page.evaluate(() => {
        const f = document.getElementById("pseudonym");
        const ids = (f?.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
        const described = ids.map((id) => document.getElementById(id)).filter(Boolean);
        const live = [...document.querySelectorAll("[role=alert], [aria-live]:not([aria-live=off])")];
        const a = document.activeElement;
        return {
          invalid: f?.getAttribute("aria-invalid"),
          describedby: ids,
          reason: described.map((e) => e.textContent.trim()).join(" | "),
          reasonInLive: described.some((e) => !!e.closest("[role=alert], [aria-live]:not([aria-live=off])")),
          live: live.map((e) => `<${e.tagName.toLowerCase()} ${e.getAttribute("role") ? `role=${e.getAttribute("role")}` : `aria-live=${e.getAttribute("aria-live")}`}` +
                                 `${e.id ? " id=" + e.id : ""}>${e.textContent.trim().slice(0, 80)}`),
          focus: a === document.body ? "body" : a.tagName.toLowerCase() + (a.id ? "#" + a.id : ""),
          fieldHtml: f?.outerHTML,
        };
      });
      console.log(`info keyboard: failed intake — field ${err.fieldHtml}; reason "${err.reason}"; live regions: ${err.live.join(" ; ") || "none"}; ` +
                  `focus after the page loads: ${err.focus}`);
      assert.equal(err.invalid, "true", "the empty pseudonym is aria-invalid");
      assert.ok(err.describedby.length && /Pseudonym/.test(err.reason) && /required/i.test(err.reason),
                `aria-describedby points at the reason (got ${JSON.stringify(err.describedby)} → "${err.reason}")`);
      const announced = err.reasonInLive ? "the reason beside the field is inside a live region"
        : err.live.some((l) => /Pseudonym/.test(l)) ? "a role=alert/aria-live summary at the top of <main> says it (present when the page loads)"
        : /pseudonym|error/.test(err.focus) ? "the focus moves to the field/summary" : "";
      assert.ok(announced, "the reason is announced: in a live region, or focused");
      console.log(`info keyboard: the failed form's reason is announced because ${announced}; the focus is on ${err.focus} ` +
                  `(${err.focus === "body" ? "not moved to the error" : "moved"})`);

      // …then filled in: the pseudonym, a name, consent ticked with Space (reached back with Shift+Tab).
      const stopsBefore = k.stops.length;
      await tabTo(k, "#pseudonym");
      console.log(`info keyboard: from the refused page's load, the field at fault is Tab stop ${k.stops.length - stopsBefore}: ` +
                  k.stops.slice(stopsBefore).map((x) => x.replace(/^\S+ /, "")).join(" → "));
      await page.keyboard.type("Zoryana");
      await tabTo(k, "#legal_names");
      await page.keyboard.type("Koval Zoryana");
      await tabTo(k, "#intake button[type=submit]");
      await tabTo(k, "#consent-data_processing", { back: true });
      await page.keyboard.press("Space");
      assert.ok(await page.isChecked("#consent-data_processing"), "Space ticks the consent");
      await tabTo(k, "#intake button[type=submit]");
      await enter(k);
      if (await page.locator("#duplicates").count()) {
        await tabTo(k, "#confirm_new-1");
        await page.keyboard.press("Space");
        await tabTo(k, "#intake button[type=submit]");
        await enter(k);
      }
      assert.match(await page.locator("#person-name").textContent(), /Zoryana/, "the person is recorded");
      assert.match(await page.locator("#consents").textContent(), /Keeping this record/);

      // 3. Search for her by another spelling.
      await tabTo(k, "header nav a[href='/people']");
      await enter(k);
      await tabTo(k, "#q");
      await page.keyboard.type("Kowal");
      await tabTo(k, "form[role=search] button");
      await enter(k);
      assert.match(await page.locator("#people").textContent(), /Zoryana/, "the search finds her");
      await tabTo(k, "#people a");
      await enter(k);
      assert.match(await page.locator("#person-name").textContent(), /Zoryana/, "Enter on the result opens her page");

      // 4. Book the studio: Sites → Spaces → the studio's week → the booking form.
      await tabTo(k, "header nav a[href='/sites']");
      await enter(k);
      await tabTo(k, `a[href='${seeded.S}/spaces']`);
      await enter(k);
      await tabTo(k, `#spaces a[href='${seeded.space}']`);
      await enter(k);
      const when = day(2);
      await tabTo(k, "#book #date");
      await typeDate(k, "#book #date", when);
      await tabTo(k, "#book #from");
      await typeTime(k, "#book #from", "10:00");
      await tabTo(k, "#book #to");
      await typeTime(k, "#book #to", "12:00");
      await tabTo(k, "#book #note");
      await page.keyboard.type("typed without a mouse");
      await tabTo(k, "#book button[type=submit]");
      const booked = await enter(k);
      assert.equal(booked.status(), 200, "booked");
      assert.match(await page.locator("#week").textContent(), /10:00–12:00 · keyboard/, "the booking shows in the week");
      assert.match(await page.locator("#week").textContent(), /typed without a mouse/);

      // 5. Attendance: Sites → Courses → the course → its session → tick Lis with Space → save.
      await tabTo(k, "header nav a[href='/sites']");
      await enter(k);
      await tabTo(k, `a[href='${seeded.S}/courses']`);
      await enter(k);
      await tabTo(k, `#courses a[href='${seeded.course}']`);
      await enter(k);
      await tabTo(k, `#sessions a[href='${seeded.session}']`);
      await enter(k);
      await tabTo(k, "#attendance input[type=checkbox]");
      await page.keyboard.press("Space");
      await tabTo(k, "#attendance button[type=submit]");
      await enter(k);
      assert.match(await page.locator("main").textContent(), /Attendance saved/, "attendance saved");
      assert.ok(await page.isChecked("#attendance input[type=checkbox]"), "Lis is marked present after the reload");

      assert.deepEqual(own.problems, [], "no console errors");
      if (k.failures.length) throw new Error(`focus indicators missing at stops relied on:\n  ${k.failures.join("\n  ")}`);
    } finally {
      report();
      await own.ctx.close();
    }
  },

  async "every form works without JavaScript"({ base, context, cli }) {
    const site = cli("site", "add", "--name", "Paris", "--city", "Paris", "--country", "France", "--time-zone", "Europe/Paris").match(/id (\d+)/)[1];
    const seeded = await seed(context, base, cli, site);
    const own = await ownContext(context, { javaScriptEnabled: false });
    const n = own.page;
    const submit = (sel) => Promise.all([n.waitForNavigation(), n.click(sel)]).then(([r]) => r);
    // Enrolment and sign-in, without JavaScript.
    const link = cli("user", "add", "--name", "nojs", "--role", "coordinator", "--site", "Paris", "--base-url", base).match(/(http\S+\/enrol\/\S+)/)[1];
    const { codes } = await enrol(n, link);
    assert.equal((await signIn(n, base, "nojs", codes[0])).status(), 200, "signed in without JavaScript");
    assert.equal(await n.locator("html.js").count(), 0, "app.js did not run (no class js on <html>)");

    // Intake.
    await n.goto(base + seeded.S + "/people");
    await submit("#new-arrival");
    await n.fill("#pseudonym", "Zoryana");
    await n.fill("#legal_names", "Koval Zoryana");
    await n.check("#consent-data_processing");
    await submit("#intake button[type=submit]");
    if (await n.locator("#duplicates").count()) {
      await n.check("#confirm_new-1");
      await submit("#intake button[type=submit]");
    }
    assert.match(await n.locator("#person-name").textContent(), /Zoryana/, "the person exists");

    // Search.
    await n.goto(base + seeded.S + "/people");
    await n.fill("#q", "Kowal");
    await submit("form[role=search] button");
    assert.match(await n.locator("#people").textContent(), /Zoryana/, "the search finds her");

    // Import of a small CSV file (300 rows, 8 KB: enough that the import is still running when its progress page first
    // loads; with 8 rows it sometimes is, sometimes has finished), chosen with the file input (a multipart form).
    const N = 300;
    const rows = ["Pseudonym,Arrival date"];
    for (let i = 1; i <= N; i++) rows.push(`Imported${i},2025-${String(1 + (i % 9)).padStart(2, "0")}-${10 + (i % 18)}`);
    await n.goto(base + seeded.S + "/people");
    const before = Number((await n.locator("#people-count").textContent()).match(/\d+/)[0]);
    await submit("a[href$='/people/import']");
    await n.setInputFiles("#csv-file", { name: "residents.csv", mimeType: "text/csv", buffer: Buffer.from(rows.join("\n") + "\n") });
    await submit("#upload button[type=submit]");
    assert.match(await n.locator("#import-summary").textContent(), new RegExp(`${N} rows, no errors`));
    assert.match(await n.locator("#import-go").textContent(), new RegExp(`Import ${N} people`), "no row held back as a possible duplicate");
    const progress = await submit("#import-go");
    const progressUrl = n.url();
    const state = (await n.locator("#import-state").textContent()).trim();
    const metaRefresh = await n.locator("meta[http-equiv=refresh i]").count();
    const headerRefresh = progress.headers()["refresh"] || "";
    console.log(`info no-js: the import's progress page ${progressUrl.replace(base, "")} first said "${state}"; ` +
                `<meta http-equiv=refresh>: ${metaRefresh ? "yes" : "no"}; Refresh header: ${headerRefresh || "none"}`);
    // The page must come back by itself until the result shows. If it does not, that is this test's failure, told at
    // the end: the other forms are tried first, and the result is then fetched with the page's own "Refresh" link.
    const failures = [];
    if (!(await n.locator("#import-state.notice").count())) {
      const html = await n.locator("main").innerHTML();
      let loads = 0;
      n.on("load", () => loads++);
      const shown = await n.waitForSelector("#import-state.notice", { timeout: 15000 }).then(() => true, () => false);
      if (!shown) {
        failures.push(`the import's progress page did not refresh itself without JavaScript (waited 15 s, ${loads} reloads; ` +
                      `meta refresh: ${metaRefresh ? "yes" : "no"}, Refresh header: ${headerRefresh || "none"}); its <main>: ` +
                      html.replace(/\s+/g, " ").slice(0, 600));
        await submit("main a[href$='" + new URL(progressUrl).pathname.split("/").pop() + "']");
        console.log(`info no-js: after the page's "Refresh" link, by hand: "${(await n.locator("#import-state").textContent()).trim()}"`);
      }
    }
    assert.match(await n.locator("#import-state").textContent(), new RegExp(`${N} people imported`), `${N} people imported`);
    await n.goto(base + seeded.S + "/people");
    assert.equal(Number((await n.locator("#people-count").textContent()).match(/\d+/)[0]), before + N, `the list counts the ${N} imported`);

    // Booking the studio.
    const when = day(2);
    await n.goto(base + seeded.space);
    await n.fill("#book #date", when);
    await n.fill("#book #from", "10:00");
    await n.fill("#book #to", "12:00");
    await n.fill("#book #note", "booked without JavaScript");
    const booked = await submit("#book button[type=submit]");
    assert.equal(booked.status(), 200);
    assert.match(await n.locator("#week").textContent(), /10:00–12:00 · nojs/, "the booking shows in the week");
    assert.match(await n.locator("#week").textContent(), /booked without JavaScript/);

    // Course attendance.
    await n.goto(base + seeded.course);
    await submit(`#sessions a[href='${seeded.session}']`);
    await n.check("#attendance input[type=checkbox]");
    await submit("#attendance button[type=submit]");
    assert.match(await n.locator("main").textContent(), /Attendance saved/, "attendance saved");
    assert.ok(await n.isChecked("#attendance input[type=checkbox]"), "Lis is marked present after the reload");
    await n.goto(base + seeded.course);
    assert.match(await n.locator("#sessions").textContent(), /1 of 1 came/, "the course's session says 1 of 1 came");

    assert.deepEqual(own.problems, [], "no console errors");
    await own.ctx.close();
    if (failures.length) throw new Error(failures.join("\n"));
  },
};
