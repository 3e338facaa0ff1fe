// Issue 16: the traps a coordinator's first morning found, one test per group — what could lose work or grant
// too much, what said the wrong thing, what was hard to find or to do.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { staff, signIn } from "../staff.mjs";
import { writeY4m, cameraPhone, qrPixels } from "../camera.mjs";

async function newArrival(p, base, pseudonym, legalNames) {
  await p.goto(base + "/people");
  await Promise.all([p.waitForNavigation(), p.click("#new-arrival")]);
  await p.fill("#pseudonym", pseudonym);
  await p.fill("#legal_names", legalNames);
  await p.check("#consent-data_processing");
  await Promise.all([p.waitForNavigation(), p.click("#intake button[type=submit]")]);
  if (await p.locator("#duplicates").count()) {
    await p.check("#confirm_new-1");
    await Promise.all([p.waitForNavigation(), p.click("#intake button[type=submit]")]);
  }
  return p.url().replace(/\?.*$/, "");
}

export const tests = {
  async "traps: Back after a search, the invite's role, destructive acts confirmed without JavaScript, consent never pre-ticked"({ base, context, cli }) {
    cli("site", "add", "--name", "Paris", "--city", "Paris", "--country", "France", "--time-zone", "Europe/Paris");
    const admin = await staff(context, base, cli, "admin", "administrator");
    const coord = await staff(context, base, cli, "coord", "coordinator");
    const p = coord.page;

    // Consent is the person's to give: nothing is ticked for them.
    await p.goto(base + "/people");
    await Promise.all([p.waitForNavigation(), p.click("#new-arrival")]);
    assert.equal(await p.locator("input[name=consent]:checked").count(), 0, "no consent box is pre-ticked");
    await newArrival(p, base, "Kot", "Шевченко Анна");

    // Search, open the person, go Back: the results again, no "Confirm Form Resubmission", no name in the URL.
    await p.goto(base + "/people");
    await p.fill("#q", "Schewtschenko");
    await Promise.all([p.waitForNavigation(), p.click("form[role=search] button")]);
    assert.match(await p.locator("#people").textContent(), /Kot/);
    const results = p.url();
    assert.match(results, /\?search=[\w-]{43}$/);
    assert.doesNotMatch(results, /Schewtschenko|Shevchenko/i);
    await Promise.all([p.waitForNavigation(), p.click("#people a")]);
    const back = await p.goBack();
    assert.equal(back.status(), 200);
    assert.equal(p.url(), results);
    assert.match(await p.locator("#people").textContent(), /Kot/, "Back shows the results");
    assert.equal(await p.inputValue("#q"), "Schewtschenko");
    // The token is the coordinator's alone.
    const a = admin.page;
    await a.goto(results);
    assert.match(await a.locator("main").textContent(), /expired/);
    assert.doesNotMatch(await a.locator("main").textContent(), /Schewtschenko/);

    // Inviting: no role is chosen for the inviter, and the server refuses a missing one.
    const site = (await a.goto(base + "/sites"), await a.locator("a[href$='/accounts']").first().getAttribute("href"));
    await a.goto(base + site);
    assert.equal(await a.inputValue("#role"), "", "no role chosen");
    await a.fill("#username", "newcomer");
    await a.click("form.stack button[type=submit]");
    assert.equal(await a.locator("#enrolment-link").count(), 0, "a name and Enter make nobody");

    // Offboarding asks once more, on a page that works without JavaScript.
    const noJs = await context.browser().newContext({ javaScriptEnabled: false, locale: "en-GB" });
    const n = await noJs.newPage();
    await signIn(n, base, "admin", admin.codes[1]);
    await n.goto(base + site);
    const row = n.locator("#accounts tbody tr").filter({ has: n.locator("td", { hasText: /^coord$/ }) });
    await Promise.all([n.waitForNavigation(), row.locator("button.danger").click()]);
    assert.match(await n.locator("#confirm-what").textContent(), /Offboard coord\?/);
    await Promise.all([n.waitForNavigation(), n.click("#confirm-back")]);
    assert.match(await row.textContent(), /Active/);
    await Promise.all([n.waitForNavigation(), row.locator("button.danger").click()]);
    await Promise.all([n.waitForNavigation(), n.click("#confirm button[type=submit]")]);
    assert.equal(await row.count(), 0, "offboarded: no longer listed at the site");
    assert.equal((await coord.page.goto(base + "/people")).status(), 401, "and signed out");

    // Sealing asks too; once sealed, every session has ended: after the unseal everyone signs in again.
    await n.goto(base + "/sites");
    await Promise.all([n.waitForNavigation(), n.click("form[action='/seal'] button")]);
    assert.match(await n.locator("#confirm-what").textContent(), /Seal Haven now\?/);
    assert.equal((await a.goto(base + "/sites")).status(), 200, "not sealed before the second step");
    await Promise.all([n.waitForNavigation(), n.click("#confirm button[type=submit]")]);
    cli("unseal", "--listen", base.replace("http://", ""));
    assert.equal((await a.goto(base + "/sites")).status(), 401, "the panic seal ended the administrator's session");
    await noJs.close();
    await admin.context.close();
    await coord.context.close();
  },

  async "wrong words: how to start, a Paris case starts French, times in the site zone, lists say how many and page, expected arrivals flagged"({ base, context, cli }) {
    cli("site", "add", "--name", "Paris", "--city", "Paris", "--country", "France", "--time-zone", "Europe/Paris");
    const coord = await staff(context, base, cli, "coord", "coordinator");
    const p = coord.page;
    await p.goto(base + "/");
    const home = await p.locator("main").textContent();
    assert.doesNotMatch(home, /next releases/);
    assert.match(home, /Getting started/);
    const person = await newArrival(p, base, "Lis", "Lisitsyna Olga");
    await p.goto(person);
    const chosen = await p.locator("#template_id option:checked").textContent();
    assert.match(chosen, /\(FR\)/, `a Paris case defaults to a French procedure, not ${chosen}`);
    // Times in the site's zone, saying which.
    assert.match(await p.locator("#consents").textContent(), /\d{4}-\d\d-\d\d \d\d:\d\d Europe\/Paris/);

    // A list of 61 says so and pages through them; an expected arrival is flagged, in the preview and on the page.
    const rows = ["Pseudonym,Arrival date"];
    for (let i = 1; i <= 59; i++) rows.push(`Resident${i},2025-0${1 + (i % 9)}-1${i % 10}`);
    rows.push("Later,2030-01-15");
    await p.goto(base + "/people");
    await Promise.all([p.waitForNavigation(), p.click("a[href$='/people/import']")]);
    await p.fill("#csv", rows.join("\n") + "\n");
    await Promise.all([p.waitForNavigation(), p.click("#upload button[type=submit]")]);
    assert.match(await p.locator("#import-expected").textContent(), /1 person has an arrival date after today/);
    await Promise.all([p.waitForNavigation(), p.click("#import-go")]);
    await p.waitForSelector("#import-state.notice", { timeout: 20000 });
    // The same list again (a trap): every row is flagged as possibly recorded already, and skipped unless ticked.
    await p.goto(base + "/people");
    await Promise.all([p.waitForNavigation(), p.click("a[href$='/people/import']")]);
    await p.fill("#csv", rows.join("\n") + "\n");
    await Promise.all([p.waitForNavigation(), p.click("#upload button[type=submit]")]);
    assert.match(await p.locator("#import-duplicates-help").textContent(), /^60 people in the file may be recorded already/);
    assert.equal(await p.locator("#import-duplicates tbody tr").count(), 60);
    assert.match(await p.locator("#import-go").textContent(), /Import 0 people/);
    await p.goto(base + "/people");
    assert.match(await p.locator("#people-count").textContent(), /^61 people/);
    assert.match(await p.locator("main").textContent(), /1–50 of 61/);
    assert.equal(await p.locator("#people li").count(), 50);
    await Promise.all([p.waitForNavigation(), p.click("nav.pages a[rel=next]")]);
    assert.equal(await p.locator("#people li").count(), 11);
    await p.fill("#q", "Later");
    await Promise.all([p.waitForNavigation(), p.click("form[role=search] button")]);
    await p.locator("#people a", { hasText: "Later" }).click();
    await p.waitForSelector("#person");
    assert.match(await p.locator("#person").textContent(), /15 Jan 2030 \(expected, not arrived yet\)/);
    await coord.context.close();
  },

  async "wrong words: a failed form says what is wrong in the page's language, with the field's label, and keeps what was typed"({ base, context, cli }) {
    cli("site", "add", "--name", "Paris", "--city", "Paris", "--country", "France", "--time-zone", "Europe/Paris");
    const coord = await staff(context, base, cli, "coord", "coordinator");
    const p = coord.page;
    await p.goto(base + "/people");
    await Promise.all([p.waitForNavigation(), p.selectOption("#page-language", "ru")]);  // the choice sends itself

    // Intake with a date of birth after today: refused in Russian, the field labelled and marked, nothing lost.
    await Promise.all([p.waitForNavigation(), p.click("#new-arrival")]);
    await p.fill("#pseudonym", "Sova");
    await p.fill("#legal_names", "Совина Мария");
    await p.fill("#birth_date", "2099-01-01");
    await p.fill("#notes", "Пришла с сестрой");
    await p.check("#consent-data_processing");
    const [refused] = await Promise.all([p.waitForNavigation(), p.click("#intake button[type=submit]")]);
    assert.equal(refused.status(), 422);
    const alert = await p.locator("main [role=alert]").first().textContent();
    assert.equal(alert, "Дата рождения: позже сегодняшнего дня.");
    assert.doesNotMatch(await p.locator("main").textContent(), /birth_date|in the future/);
    assert.equal(await p.getAttribute("#birth_date", "aria-invalid"), "true");
    assert.equal(await p.inputValue("#pseudonym"), "Sova");
    assert.equal(await p.inputValue("#legal_names"), "Совина Мария");
    assert.equal(await p.inputValue("#notes"), "Пришла с сестрой");
    assert.ok(await p.isChecked("#consent-data_processing"), "the consent given stays given");
    // Corrected, it saves.
    await p.fill("#birth_date", "1990-04-02");
    await Promise.all([p.waitForNavigation(), p.click("#intake button[type=submit]")]);
    if (await p.locator("#duplicates").count()) {
      await p.check("#confirm_new-1");
      await Promise.all([p.waitForNavigation(), p.click("#intake button[type=submit]")]);
    }
    assert.match(p.url(), /\/people\/\d+\?created=1$/);
    const person = p.url().replace(/\?.*$/, "");

    // Editing (its own page): a language written out in full is refused with the label the form uses; the other
    // edits stay typed.
    await Promise.all([p.waitForNavigation(), p.click("#edit-link")]);
    const editing = p.url();
    await p.fill("#edit #languages", "русский");
    await p.fill("#edit #messenger", "Signal @sova");
    const [edit] = await Promise.all([p.waitForNavigation(), p.click("#edit button[type=submit]")]);
    assert.equal(edit.status(), 422);
    assert.equal(p.url(), person, "the edit form posts to the person");
    assert.equal(editing, person + "/edit");
    assert.match(await p.locator("#languages-error").textContent(), /^Языки: двух- или трёхбуквенные коды/);
    assert.equal(await p.inputValue("#edit #messenger"), "Signal @sova");
    assert.equal(await p.inputValue("#edit #languages"), "русский");
    await p.goto(person);
    assert.doesNotMatch(await p.locator("#person").textContent(), /Signal/, "nothing of the refused edit was saved");

    // A request for help without saying what is needed: the person's page again, the choices made kept.
    await p.selectOption("#skill", { index: 2 });
    const skill = await p.inputValue("#skill");
    await p.fill("#due_date", "2031-05-06");
    const [req] = await Promise.all([p.waitForNavigation(), p.click("#new-request button[type=submit]")]);
    assert.equal(req.status(), 422);
    assert.match(await p.locator("main [role=alert]").first().textContent(), /^Что нужно: обязательно/);
    assert.equal(await p.inputValue("#skill"), skill);
    assert.equal(await p.inputValue("#due_date"), "2031-05-06");
    await coord.context.close();
  },

  async "hard to find: a volunteer lands on their tasks and finds their profile; the menu names the page you are on"({ base, context, cli }) {
    cli("site", "add", "--name", "Paris", "--city", "Paris", "--country", "France", "--time-zone", "Europe/Paris");
    const vol = await staff(context, base, cli, "vol", "volunteer");
    const v = vol.page;
    assert.match(v.url(), /\/tasks$/, "a volunteer starts on their tasks");
    assert.match(await v.locator("#fill-profile").textContent(), /Say yours first/);
    await Promise.all([v.waitForNavigation(), v.click("nav a[href='/volunteer']")]);
    assert.equal(await v.locator("nav a[aria-current=page]").textContent(), "What I can do");
    await v.check("#skills-accompaniment");
    await v.fill("#languages", "ru");
    await Promise.all([v.waitForNavigation(), v.click("#profile button[type=submit]")]);
    await v.goto(base + "/tasks");
    assert.equal(await v.locator("#fill-profile").count(), 0);

    const coord = await staff(context, base, cli, "coord", "coordinator");
    const p = coord.page;
    await p.goto(base + "/people");
    assert.match(p.url(), /\/sites\/\d+\/people/);
    assert.equal(await p.locator("nav a[aria-current=page]").textContent(), "People", "People pages highlight People, not Sites");
    const person = await newArrival(p, base, "Sova", "Sovina Irina");
    await p.goto(person);
    assert.equal(await p.locator("[id=language]").count(), 1, "one element per id");
    // Consent sits under its own heading, before what other modules add (cases, courses).
    assert.ok(await p.evaluate(() => {
      const consent = document.getElementById("consent-form"), cases = document.getElementById("open-case");
      return consent && cases && (consent.compareDocumentPosition(cases) & Node.DOCUMENT_POSITION_FOLLOWING);
    }), "the consent form comes before the cases");
    // A desk's width is used; a phone's is not exceeded, even by an administrator's menu.
    await p.setViewportSize({ width: 1280, height: 900 });
    assert.ok(await p.evaluate(() => document.querySelector("main").clientWidth) > 1100, "lists use the width at 1280 px");
    const admin = await staff(context, base, cli, "admin", "administrator");
    await admin.page.setViewportSize({ width: 390, height: 844 });
    for (const path of ["/sites", "/people", "/audit"]) {
      await admin.page.goto(base + path);
      assert.ok(await admin.page.evaluate(() => document.documentElement.scrollWidth) <= 390, `${path} fits 390 px`);
    }
    await admin.context.close();
    // Without JavaScript the import's file chooser is there and works (a multipart upload).
    const noJs = await context.browser().newContext({ javaScriptEnabled: false, locale: "en-GB" });
    const n = await noJs.newPage();
    await signIn(n, base, "coord", coord.codes[1]);
    await n.goto(base + "/people");
    await Promise.all([n.waitForNavigation(), n.click("a[href$='/people/import']")]);
    assert.ok(await n.locator("#csv-file").isVisible(), "the file chooser is shown without JavaScript");
    await n.setInputFiles("#csv-file", { name: "residents.csv", mimeType: "text/csv", buffer: Buffer.from("Pseudonym,Date of birth\nFilin,31.02.1980\nOrel,1980-02-28\n") });
    await Promise.all([n.waitForNavigation(), n.click("#upload button[type=submit]")]);
    assert.match(await n.locator("#import-summary").textContent(), /2 rows, 1 error/);
    assert.match(await n.locator("#import-errors").textContent(), /2.*Filin.*Date of birth.*31\.02\.1980.*That day does not exist/s);
    await noJs.close();
    await vol.context.close();
    await coord.context.close();
  },

  async "hard to do: at the door a volunteer's phone scans the ticket with its camera; an unknown code says so"({ base, context, cli }) {
    cli("site", "add", "--name", "Paris", "--city", "Paris", "--country", "France", "--time-zone", "Europe/Paris");
    const coord = await staff(context, base, cli, "coord", "coordinator");
    const door = await staff(context, base, cli, "door", "volunteer");
    await door.context.close();
    const p = coord.page;
    const day = new Date(Date.now() + 30 * 86400e3).toISOString().slice(0, 10);
    await p.goto(base + "/sites");
    await Promise.all([p.waitForNavigation(), p.click("a[href$='/spaces']")]);
    await p.goto(p.url().replace(/\/spaces$/, "/events"));
    await p.fill("#title", "Вечер поэзии");
    await p.fill("#date", day);
    await p.fill("#from", "19:00");
    await p.fill("#to", "22:00");
    await p.fill("#capacity", "30");
    await Promise.all([p.waitForNavigation(), p.click("#new-event button[type=submit]")]);
    const eventUrl = p.url();
    await p.fill("#first_name", "Маша");
    await Promise.all([p.waitForNavigation(), p.click("#register-visitor button[type=submit]")]);
    const dir = mkdtempSync(join(tmpdir(), "haven-ticket-")), y4m = join(dir, "ticket.y4m");
    writeY4m(y4m, await qrPixels(p, ".qr svg"));

    const { browser, page, problems } = await cameraPhone(y4m, "en-GB");
    try {
      await signIn(page, base, "door", "");
      // Only the event's page may ask for the camera.
      const event = await page.goto(eventUrl);
      assert.match(event.headers()["permissions-policy"], /camera=\(self\)/);
      assert.match((await page.request.get(base + "/tasks")).headers()["permissions-policy"], /camera=\(\)/);
      // An unknown code says so.
      await page.fill("#code", "not-a-ticket");
      const unknown = await Promise.all([page.waitForNavigation(), page.click("#check-in button[type=submit]")]).then(([r]) => r);
      assert.equal(unknown.status(), 404);
      assert.match(await page.locator(".notice").first().textContent(), /No such ticket/);
      // The camera reads the ticket and checks the guest in.
      assert.match(unknown.headers()["permissions-policy"], /camera=\(self\)/, "the answer shows the door form again");
      await Promise.all([page.waitForNavigation({ timeout: 20000 }), page.click("#scan-ticket")]);
      assert.match(await page.locator(".notice").first().textContent(), /Welcome, Маша!/);
      assert.match(await page.locator("#event-figures").textContent(), /1 arrived/);
      assert.deepEqual(problems, []);
    } finally {
      await browser.close();
      rmSync(dir, { recursive: true, force: true });
    }
    await coord.context.close();
  },
};
