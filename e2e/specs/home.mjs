// What a visitor does on the home page.
import assert from "node:assert/strict";

const CSP = "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

export const tests = {
  async "loads the home page with a strict CSP"({ page, base }) {
    const response = await page.goto(base + "/");
    assert.equal(response.status(), 200);
    assert.equal(response.headers()["content-security-policy"], CSP);
    assert.equal(await page.locator("h1").textContent(), "Welcome to Haven");
    assert.equal(await page.getAttribute("html", "lang"), "en");
    // The stylesheet applied (not blocked by the CSP): the header has its white background.
    const bg = await page.locator("header.top").evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.equal(bg, "rgb(255, 255, 255)");
  },

  async "switches the language to Russian and keeps it"({ page, base }) {
    await page.goto(base + "/");
    await Promise.all([page.waitForURL(base + "/"), page.waitForResponse((r) => r.url().endsWith("/language")),
                       page.selectOption("#page-language", "ru")]);
    await page.waitForSelector("html[lang=ru]");
    assert.equal(await page.locator("h1").textContent(), "Добро пожаловать в Haven");
    assert.match(await page.locator("#schema").textContent(), /^применен[аоы]? \d+ миграци/);
    const again = await page.goto(base + "/");
    assert.equal(again.headers()["content-security-policy"], CSP);
    assert.equal(await page.getAttribute("html", "lang"), "ru");
  },

  async "switches the language without JavaScript"({ page, base, context }) {
    const noScript = await context.browser().newContext({ javaScriptEnabled: false });
    const p = await noScript.newPage();
    await p.goto(base + "/");
    await p.selectOption("#page-language", "ru");
    await Promise.all([p.waitForNavigation(), p.click("footer button[type=submit]")]);
    assert.equal(await p.getAttribute("html", "lang"), "ru");
    await noScript.close();
  },
};
