// An administrator invites a coordinator; the coordinator enrols with a password and TOTP, signs in,
// sees only their own site, signs out; three wrong codes are refused.
import assert from "node:assert/strict";
import { totp, nextStep } from "../totp.mjs";
import { enrol, signIn } from "../staff.mjs";

export const tests = {
  async "an administrator invites a coordinator who enrols and sees only their site"({ page, base, context, cli }) {
    cli("site", "add", "--name", "Paris", "--city", "Paris", "--country", "France", "--time-zone", "Europe/Paris");
    cli("site", "add", "--name", "Berlin", "--city", "Berlin", "--country", "Germany", "--time-zone", "Europe/Berlin");
    const adminLink = cli("user", "add", "--name", "admin", "--role", "administrator", "--site", "Paris",
                          "--base-url", base).match(/(http\S+\/enrol\/\S+)/)[1];

    // The administrator enrols and signs in with a recovery code (the TOTP step was just used).
    const admin = await enrol(page, adminLink);
    await signIn(page, base, "admin", admin.codes[0]);
    assert.equal(new URL(page.url()).pathname, "/sites");
    await page.click("text=People with access");
    await page.fill("#username", "coord.anna");
    await page.selectOption("#role", "coordinator");
    await page.click("text=Create enrolment link");
    const link = (await page.locator("#enrolment-link").textContent()).trim();
    assert.match(link, /\/enrol\/[A-Za-z0-9_-]{43}$/);
    assert.match(await page.locator("#accounts").textContent(), /coord\.anna/);

    // The coordinator, in another browser.
    const other = await context.browser().newContext({ locale: "en-GB" });
    const p = await other.newPage();
    const anna = await enrol(p, link);
    await nextStep();
    await signIn(p, base, "coord.anna", totp(anna.secret));
    assert.equal(new URL(p.url()).pathname, "/sites");
    const sites = await p.locator("#sites").textContent();
    assert.match(sites, /Paris/);
    assert.doesNotMatch(sites, /Berlin/);
    assert.match(sites, /Coordinator/);
    // The accounts page of another site is refused.
    const berlinId = cli("site", "add", "--name", "Vienna", "--city", "Vienna", "--country", "Austria", "--time-zone",
                         "Europe/Vienna").match(/id (\d+)/)[1];
    const refused = await p.goto(`${base}/sites/${berlinId}/accounts`);
    assert.equal(refused.status(), 403);

    // Their own contact details, stored sealed, shown back only to them.
    await p.goto(base + "/account");
    await p.fill("#real_name", "Анна Смирнова");
    await p.fill("#email", "anna@example.org");
    await Promise.all([p.waitForNavigation(), p.click("text=Save")]);
    assert.equal(await p.inputValue("#real_name"), "Анна Смирнова");
    assert.match(await p.locator(".notice").first().textContent(), /Saved/);

    // Sign out: the session is gone.
    await p.goto(base + "/sites");
    await Promise.all([p.waitForNavigation(), p.click("header .account button")]);
    assert.equal(new URL(p.url()).pathname, "/login");
    const after = await p.goto(base + "/sites");
    assert.equal(after.status(), 401);

    // Three wrong codes, three refusals.
    for (let i = 0; i < 3; i++) {
      const r = await signIn(p, base, "coord.anna", "000000" === totp(anna.secret) ? "111111" : "000000");
      assert.equal(r.status(), 401, `wrong code ${i + 1}`);
      assert.match(await p.locator(".notice.error").textContent(), /not right/);
    }
    await other.close();
  },
};
