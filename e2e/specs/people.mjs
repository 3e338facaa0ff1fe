// A day at the welcome centre: a coordinator records a new arrival, is warned that she may already be known
// under another spelling, opens a legal case with a deadline and asks for help; a volunteer is assigned,
// signs in and sees that task and nothing else.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { staff } from "../staff.mjs";

export const tests = {
  async "intake, duplicate warning, legal case, request for help, and the volunteer's only task"({ base, context, cli }) {
    cli("site", "add", "--name", "Paris", "--city", "Paris", "--country", "France", "--time-zone", "Europe/Paris");
    const coord = await staff(context, base, cli, "coord", "coordinator");
    const vol = await staff(context, base, cli, "vol", "volunteer");
    const p = coord.page, v = vol.page;

    // The volunteer says what they can do.
    await v.goto(base + "/volunteer");
    await v.check("#skills-accompaniment");
    await v.fill("#languages", "ru, fr");
    await v.check("#days-tue");
    await Promise.all([v.waitForNavigation(), v.click("#profile button[type=submit]")]);
    assert.match(await v.locator(".notice").first().textContent(), /Saved/);

    // Someone the centre already knows.
    await p.goto(base + "/people");
    await Promise.all([p.waitForNavigation(), p.click("#new-arrival")]);
    await p.fill("#pseudonym", "Kot");
    await p.fill("#legal_names", "Шевченко Анна Петровна");
    await Promise.all([p.waitForNavigation(), p.click("#intake button[type=submit]")]);
    assert.match(await p.locator(".notice").first().textContent(), /recorded/);

    // A new arrival whose papers spell the name the French way: the form warns before recording.
    await p.goto(base + "/people");
    await Promise.all([p.waitForNavigation(), p.click("#new-arrival")]);
    await p.fill("#pseudonym", "Anya");
    await p.fill("#legal_names", "Chevtchenko Anna\nШевченко Анна");
    await p.fill("#birth_date", "1991-04-12");
    await p.fill("#languages", "ru, en");
    await p.fill("#phone", "+33 6 12 34 56 78");
    await p.check("#needs-legal");
    await p.check("#circumstances-journalist_at_risk");
    await p.check("#consent-data_processing");
    await Promise.all([p.waitForNavigation(), p.click("#intake button[type=submit]")]);
    await p.waitForSelector("#duplicates");
    assert.match(await p.locator("#duplicate-list").textContent(), /Kot/);
    assert.equal(await p.inputValue("#pseudonym"), "Anya", "what was typed is kept");
    await p.check("#confirm_new-1");
    await Promise.all([p.waitForNavigation(), p.click("#intake button[type=submit]")]);
    assert.match(await p.locator("#person-name").textContent(), /Anya/);
    assert.match(await p.locator("#consents").textContent(), /Keeping this record/);
    const personUrl = p.url().replace(/\?.*$/, "");

    // Found again by any spelling, from the list's search (the name never enters a URL).
    await p.goto(base + "/people");
    await p.fill("#q", "Schewtschenko");
    await Promise.all([p.waitForNavigation(), p.click("form[role=search] button")]);
    const found = await p.locator("#people").textContent();
    assert.match(found, /Anya/);
    assert.match(found, /Kot/);
    assert.doesNotMatch(p.url(), /Schewtschenko/);

    // A legal case from the French asylum procedure: steps with due dates.
    await p.goto(personUrl);
    await p.selectOption("#template_id", { label: "Asylum (OFPRA) (FR)" });
    await Promise.all([p.waitForNavigation(), p.click("#open-case button[type=submit]")]);
    assert.match(await p.locator("#case-title").textContent(), /Asylum/);
    const steps = await p.locator("#steps li").allTextContents();
    assert.equal(steps.length, 4);
    assert.match(steps[0], /GUDA.*due \d{1,2} \w{3} \d{4}/);  // the date as English writes it (ICU, en-GB)
    assert.ok((await p.locator("#documents li").count()) >= 5);

    // A request for help: accompany her, in Russian, on a Tuesday; the volunteer may see pseudonym and phone.
    await p.goto(personUrl);
    await p.fill("#what", "Accompany her to the prefecture");
    await p.selectOption("#skill", "accompaniment");
    await p.fill("#language", "ru");
    await p.fill("#due_date", "2030-01-08");
    await p.check("#fields-phone");
    await Promise.all([p.waitForNavigation(), p.click("#new-request button[type=submit]")]);
    const card = p.locator("#requests li.card").first();
    assert.match(await card.textContent(), /Accompany her to the prefecture/);
    assert.match(await card.locator("select").textContent(), /vol — speaks the language, has the skill, available that day/);
    await Promise.all([p.waitForNavigation(), card.locator("button[type=submit]").click()]);
    assert.match(await p.locator("#requests").textContent(), /assigned · vol/);
    assert.equal((await p.locator("#requests li.card button[type=submit]").first().textContent()).trim(), "Give to someone else",
                 "an assigned request offers to reassign, not to assign again");

    // The volunteer sees the task, with only what it needs.
    await v.goto(base + "/tasks");
    const tasks = await v.locator("#tasks").textContent();
    assert.match(tasks, /Accompany her to the prefecture/);
    assert.match(tasks, /Anya/);
    assert.match(tasks, /\+33 6 12 34 56 78/);
    assert.doesNotMatch(tasks, /Chevtchenko|Шевченко|1991|journalist/i);
    assert.equal(await v.locator("#tasks li.card").count(), 1);
    // Nothing else: not the person's page, not the list of people.
    assert.equal((await v.goto(personUrl)).status(), 403);
    assert.equal((await v.goto(base + "/people")).status(), 403);
    assert.equal(await v.locator("nav a[href='/people']").count(), 0);

    // Exporting every person asks for the second factor again; the file comes from the form's POST, never a link.
    await p.goto(base + "/people");
    await Promise.all([p.waitForNavigation(), p.click("a[href$='/people/export']")]);
    await p.fill("#code", "000000");
    const [refused] = await Promise.all([p.waitForNavigation(), p.click("#export button[type=submit]")]);
    assert.equal(refused.status(), 422, "a wrong code exports nothing");
    await p.fill("#code", coord.codes[1]);
    const [download] = await Promise.all([p.waitForEvent("download"), p.click("#export button[type=submit]")]);
    const csv = readFileSync(await download.path(), "utf8");
    assert.match(csv, /Anya/);
    assert.match(csv, /Шевченко Анна/);

    await coord.context.close();
    await vol.context.close();
  },
};
