// Prisoner support keeps a legal-aid fund on a phone, in Russian: opens it from the menu, records a donation
// typed as people write amounts (125,50), is refused a payment beyond the balance with what was typed kept, pays
// a lawyer, corrects the payment after being asked, and downloads the accountant's CSV, which names nobody.
import assert from "node:assert/strict";
import { enrol, signIn } from "../staff.mjs";

export const tests = {
  async "prisoner support keeps a legal-aid fund on a phone, in Russian, and the accountant's CSV names nobody"({ context, base, cli }) {
    cli("site", "add", "--name", "Paris", "--city", "Paris", "--country", "France", "--time-zone", "Europe/Paris");
    const link = cli("user", "add", "--name", "olga.support", "--role", "prisoner_support", "--site", "Paris", "--base-url", base)
      .match(/(http\S+\/enrol\/\S+)/)[1];
    const ctx = await context.browser().newContext({ locale: "ru-RU", viewport: { width: 390, height: 844 } });
    const p = await ctx.newPage();
    const problems = [];
    // A refused form answers 409/422 with its page: Chromium logs that status; anything else (CSP) is a problem.
    p.on("console", (m) => { if (m.type() === "error" && !/status of 4\d\d/.test(m.text())) problems.push(m.text()); });
    const enrolled = await enrol(p, link);
    assert.equal((await signIn(p, base, "olga.support", enrolled.codes[0] || "")).status(), 200);

    // From the menu to the site's funds; open one.
    await Promise.all([p.waitForNavigation(), p.click("nav >> text=Фонды юрпомощи")]);
    assert.match(new URL(p.url()).pathname, /^\/sites\/\d+\/funds$/);
    await p.fill("#name", "Адвокаты для Игоря");
    await p.fill("#goal", "3000");
    await Promise.all([p.waitForNavigation(), p.click("#new-fund button[type=submit]")]);
    assert.match(new URL(p.url()).pathname, /^\/funds\/\d+$/);
    assert.equal((await p.locator("#fund-name").textContent()).trim(), "Адвокаты для Игоря");

    // A donation as typed on a Russian keyboard; the donor's name is kept for a receipt only.
    await p.fill("#donation #amount", "125,50");
    await p.selectOption("#donation #channel", "cash");
    await p.fill("#donation #donor", "Мария Лебедева");
    await Promise.all([p.waitForNavigation(), p.click("#donation button[type=submit]")]);
    assert.match(await p.locator(".balance").textContent(), /125\.50 EUR/);
    assert.match(await p.locator("#entries").textContent(), /Пожертвование/);
    assert.doesNotMatch(await p.content(), /Лебедева/, "the fund's page never shows a donor");

    // More than the fund holds: refused in Russian, the field marked, what was typed kept.
    await p.fill("#disbursement #amount", "500");
    await p.fill("#disbursement #payee", "Адвокат Сергей Петров");
    await p.selectOption("#disbursement #risk", "high");
    await Promise.all([p.waitForNavigation(), p.click("#disbursement button[type=submit]")]);
    assert.match(await p.locator("[role=alert]").first().textContent(), /В фонде нет такой суммы/);
    assert.equal(await p.inputValue("#disbursement #payee"), "Адвокат Сергей Петров");
    assert.equal(await p.getAttribute("#disbursement #amount", "aria-invalid"), "true");

    // A payment it can make, then its correction, asked first.
    await p.fill("#disbursement #amount", "100");
    await Promise.all([p.waitForNavigation(), p.click("#disbursement button[type=submit]")]);
    assert.match(await p.locator(".balance").textContent(), /25\.50 EUR/);
    await Promise.all([p.waitForNavigation(), p.click("#entries tbody tr >> nth=0 >> text=Исправить")]);
    assert.match(await p.locator("main").textContent(), /Исправить запись 2\?/);
    await Promise.all([p.waitForNavigation(), p.click("main form button[type=submit]")]);
    assert.match(await p.locator(".balance").textContent(), /125\.50 EUR/);
    assert.match(await p.locator("#entries").textContent(), /Исправление записи #2/);

    // The accountant's CSV: every entry, no name.
    const href = await p.getAttribute("a[href$='ledger.csv']", "href");
    const csv = await (await p.request.get(base + href)).text();
    assert.equal(csv.trim().split("\n").length, 4, "a header and three entries");
    assert.doesNotMatch(csv, /Лебедева|Петров|Игор/);
    assert.deepEqual(problems, []);
    await ctx.close();
  },
};
