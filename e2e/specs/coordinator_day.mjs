// Issue 16: the traps a coordinator's first morning found, one test per group — what could lose work or grant
// too much, what said the wrong thing, what was hard to find or to do.
import assert from "node:assert/strict";
import { staff, signIn } from "../staff.mjs";

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

  async "wrong words: the home page says how to start, a Paris case starts with the French procedure"({ base, context, cli }) {
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
    await vol.context.close();
    await coord.context.close();
  },
};
