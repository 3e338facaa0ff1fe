// The centre's day in the pages: the studio booked, a clash refused with the nearest free slot; a course over
// capacity puts the next resident on the waitlist and promotes her when someone leaves; a visitor registered
// for an event is checked in at the door with the payload of her QR code.
import assert from "node:assert/strict";
import { staff } from "../staff.mjs";

// Next year's second Tuesday of January: always in the future, always a Tuesday in Paris.
function tuesday() {
  const d = new Date(Date.UTC(new Date().getUTCFullYear() + 1, 0, 8));
  while (d.getUTCDay() !== 2) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

async function submit(page, selector) {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

async function intake(p, base, pseudonym) {
  await p.goto(base + "/people");
  await submit(p, "#new-arrival");
  await p.fill("#pseudonym", pseudonym);
  await submit(p, "#intake button[type=submit]");
  assert.match(await p.locator("#person-name").textContent(), new RegExp(pseudonym));
  return p.url().replace(/\?.*$/, "");
}

export const tests = {
  async "studio clash with a suggestion, course waitlist promoted, event guest checked in by QR payload"({ base, context, cli }) {
    cli("site", "add", "--name", "Paris", "--city", "Paris", "--country", "France", "--time-zone", "Europe/Paris");
    const coord = await staff(context, base, cli, "coord", "coordinator");
    const tech = await staff(context, base, cli, "tech", "studio_technician");
    const p = coord.page, t = tech.page;
    const day = tuesday();

    // The coordinator sets up the studio from the site's spaces page.
    await p.goto(base + "/sites");
    await submit(p, "a[href$='/spaces']");
    const spacesUrl = p.url();
    await p.fill("#name", "Studio");
    await p.selectOption("#kind", "studio");
    await p.fill("#equipment", "2 cameras, lights, 4 microphones");
    await p.fill("#opening_hours", "Mo-Sa 09:00-21:00");
    await submit(p, "#new-space button[type=submit]");
    const studioUrl = p.url().replace(/\?.*$/, "");

    // The technician books it for a podcast, 10:00–12:00.
    await t.goto(studioUrl);
    await t.fill("#date", day);
    await t.fill("#from", "10:00");
    await t.fill("#to", "12:00");
    await t.fill("#note", "podcast: voices from exile");
    await submit(t, "#book button[type=submit]");
    assert.match(await t.locator("#week").textContent(), /10:00–12:00 · tech/);
    // Issue 16: the week shows the studio's note (to its booker and the managers), Monday to Sunday on one row at a
    // desk's width, and the calendar feed is on the page, replaced after a second step.
    assert.match(await t.locator("#week").textContent(), /podcast: voices from exile/);
    await t.setViewportSize({ width: 1280, height: 900 });
    const tops = await t.locator("#week section.day").evaluateAll((days) => days.map((d) => d.getBoundingClientRect().top));
    assert.equal(new Set(tops).size, 1, "seven days on one row at 1280 px");
    const feed = (await t.locator("#feed-url").textContent()).trim();
    assert.match(feed, /^http:\/\/127\.0\.0\.1:\d+\/feeds\/spaces\/[\w-]{43}$/);
    assert.match(await (await t.request.get(feed)).text(), /BEGIN:VCALENDAR/);
    await submit(t, "#feed-rotate button[type=submit]");
    await submit(t, "#confirm button[type=submit]");
    const replaced = (await t.locator("#feed-url").textContent()).trim();
    assert.notEqual(replaced, feed);
    assert.equal((await t.request.get(feed)).status(), 404, "the old address stops");

    // The coordinator wants 11:00–13:00: refused, naming the clash, with 12:00–14:00 offered.
    await p.goto(studioUrl);
    await p.fill("#date", day);
    await p.fill("#from", "11:00");
    await p.fill("#to", "13:00");
    const refused = await Promise.all([p.waitForNavigation(), p.click("#book button[type=submit]")]).then(([r]) => r);
    assert.equal(refused.status(), 409);
    assert.match(await p.locator("#clash").textContent(), /10:00–12:00, by tech/);
    assert.match(await p.locator("#free-slots").textContent(), new RegExp(`${day} 12:00–14:00`));

    // A course with one place: Lis is enrolled, Kot waits, and takes the place when Lis leaves.
    await p.goto(spacesUrl.replace(/\/spaces$/, "/courses"));
    await p.fill("#title", "Français débutants");
    await p.fill("#language", "fr");
    await p.selectOption("#level", "A1");
    await p.fill("#capacity", "1");
    await submit(p, "#new-course button[type=submit]");
    const courseUrl = p.url();
    for (const name of ["Lis", "Kot"]) {
      await intake(p, base, name);
      await submit(p, "#enrol button[type=submit]");
    }
    assert.match(await p.locator("#enrolled").textContent(), /Lis/);
    assert.match(await p.locator("#waitlist").textContent(), /Kot/);
    await submit(p, "#enrolled li:has-text('Lis') form button");
    assert.equal(p.url(), courseUrl);
    assert.match(await p.locator("#enrolled").textContent(), /Kot/);
    assert.doesNotMatch(await p.locator("#enrolled").textContent(), /Lis/);
    assert.equal((await p.locator("#waitlist li").count()), 0);
    // Issue 16: enrolling from the course page — found by a spelling of the name, chosen among namesakes; and the
    // button says what it does.
    assert.equal((await p.locator("#enrolled li:has-text('Kot') form button").textContent()).trim(), "Take off the course");
    await intake(p, base, "Sova");
    await p.goto(base + "/people");
    await submit(p, "#new-arrival");
    await p.fill("#pseudonym", "Sova Malaya");
    await submit(p, "#intake button[type=submit]");
    if (await p.locator("#duplicates").count()) {
      await p.check("#confirm_new-1");
      await submit(p, "#intake button[type=submit]");
    }
    await p.goto(courseUrl);
    await p.fill("#enrol-someone #q", "Sova");
    await submit(p, "#enrol-someone button[type=submit]");
    assert.match(await p.locator(".notice").first().textContent(), /Several people match/);
    assert.equal(await p.locator("#enrol-candidates li").count(), 2);
    await submit(p, "#enrol-candidates li:not(:has-text('Malaya')) button");
    assert.equal(p.url(), courseUrl);
    assert.match(await p.locator("#waitlist").textContent(), /Sova/, "the course is full: Sova waits");
    await p.fill("#enrol-someone #q", "Nobody-at-all");
    await submit(p, "#enrol-someone button[type=submit]");
    assert.match(await p.locator(".notice").first().textContent(), /No one of this site matches/);

    // An evening with places: a visitor gives a first name, gets a QR code; at the door its payload checks her in.
    await p.goto(spacesUrl.replace(/\/spaces$/, "/events"));
    await p.fill("#title", "Вечер поэзии");
    await p.fill("#date", day);
    await p.fill("#from", "19:00");
    await p.fill("#to", "22:00");
    await p.fill("#capacity", "30");
    await submit(p, "#new-event button[type=submit]");
    const eventUrl = p.url();
    await p.fill("#first_name", "Маша");
    await submit(p, "#register-visitor button[type=submit]");
    assert.equal(await p.locator(".qr svg path").count(), 1, "the ticket shows a QR code");
    const payload = (await p.locator("#ticket-code").textContent()).trim();
    assert.ok(payload.length >= 40);
    await p.goto(eventUrl);
    await p.fill("#code", payload);
    await submit(p, "#check-in button[type=submit]");
    assert.match(await p.locator(".notice").first().textContent(), /Welcome, Маша!/);
    assert.match(await p.locator("#event-figures").textContent(), /1 arrived/);
    // The same code again is refused.
    await p.fill("#code", payload);
    const twice = await Promise.all([p.waitForNavigation(), p.click("#check-in button[type=submit]")]).then(([r]) => r);
    assert.equal(twice.status(), 409);
  },
};
