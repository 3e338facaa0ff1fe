// Enrolling and signing in staff through the pages, as a person would (shared by the specs).
import assert from "node:assert/strict";
import { totp } from "./totp.mjs";

export const PASSWORD = "quiet river lantern 7";

// Follows an enrolment link: password, then (for roles that need one) TOTP with the secret shown on the
// page. Returns the secret and the recovery codes (none for a volunteer without a second factor).
export async function enrol(page, link) {
  await page.goto(link);
  await page.fill("#password", PASSWORD);
  await page.click("form.stack button[type=submit]");
  await page.waitForSelector("#totp-secret, #recovery-codes, a[href='/login']");
  if (!(await page.locator("#totp-secret").count())) return { secret: "", codes: [] };
  assert.equal(await page.locator(".qr svg path").count(), 1, "a QR code is shown");
  const secret = (await page.locator("#totp-secret").textContent()).trim();
  await page.fill("#code", totp(secret));
  await page.click("form.stack button[type=submit]");
  await page.waitForSelector("#recovery-codes");
  const codes = await page.locator("#recovery-codes code").allTextContents();
  assert.equal(codes.length, 10);
  return { secret, codes };
}

export async function signIn(page, base, username, code) {
  await page.goto(base + "/login");
  await page.fill("#username", username);
  await page.fill("#password", PASSWORD);
  if (code) await page.fill("#code", code);
  return Promise.all([page.waitForNavigation(), page.click("form.stack button[type=submit]")]).then(([r]) => r);
}

// A new account of `role` at the site, enrolled and signed in, in its own browser context.
export async function staff(context, base, cli, name, role, site = "Paris") {
  const link = cli("user", "add", "--name", name, "--role", role, "--site", site, "--base-url", base).match(/(http\S+\/enrol\/\S+)/)[1];
  const ctx = await context.browser().newContext({ locale: "en-GB" });
  const page = await ctx.newPage();
  const enrolled = await enrol(page, link);
  const response = await signIn(page, base, name, enrolled.codes[0] || "");
  assert.equal(response.status(), 200, `${name} signs in`);
  return { page, context: ctx, ...enrolled };
}
