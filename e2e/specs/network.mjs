// The emergency network in a phone's browser: the operator (haven-operator, keys on the laptop) shows an
// enrolment code; the member app makes its keys in the browser and joins; the operator activates; the app
// opens the alert, decides it concerns this member, and answers; the operator reads the answer.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { staff } from "../staff.mjs";

const bin = dirname(resolve(process.argv[2]));

export const tests = {
  async "operator activates from haven-operator, the member web client decrypts, shows and answers"({ base, context, cli, page }) {
    cli("site", "add", "--name", "Hub", "--city", "Riga", "--country", "Latvia", "--time-zone", "Europe/Riga");
    await staff(context, base, cli, "netop", "emergency_operator", "Hub");  // enrolled with TOTP through the pages
    const token = cli("token", "create", "--user", "netop", "--scope", "write", "--label", "laptop").trim().split(/\s+/).pop();
    const dir = mkdtempSync(join(tmpdir(), "haven-operator-"));
    try {
      writeFileSync(join(dir, "pass"), "the operator's long passphrase\n");
      const op = (...args) => execFileSync(join(bin, "haven-operator"), ["--state", join(dir, "state"), "--passphrase-file", join(dir, "pass"), ...args],
                                           { encoding: "utf8" });
      op("init", "--server", base, "--token", token);
      const link = op("enrol").split("\n")[0];
      assert.match(link, /^haven-enrol:1;/);

      // The member's phone: keys made in the browser, the profile sealed to the operators.
      await page.goto(base + "/network/app");
      await page.waitForSelector("#member-enrol:not([hidden])");
      await page.fill("#link", link);
      await page.fill("#pseudonym", "Vera");
      await page.fill("#regions", "tver");
      await page.fill("#skills", "driver");
      await page.fill("#passphrase", "short");
      await page.click("#member-enrol button[type=submit]");
      await page.waitForSelector("#member-status:has-text('at least 8')");
      await page.fill("#passphrase", "vera's long passphrase");
      await page.click("#member-enrol button[type=submit]");
      await page.waitForSelector("#member-alerts:not([hidden])");
      assert.match(op("sync"), /1 members added/);

      const sent = op("activate", "--status", "exercise", "--tier", "regions=tver;skills=driver;after=0", "--text", "Driver needed: Tver to Riga tonight");
      const id = sent.split("\t")[0];
      // No click: the open page keeps a long poll waiting, and the publication answers it.
      await page.waitForSelector("#alerts li", { timeout: 5000 });
      assert.match(await page.locator("#alerts").textContent(), /\[exercise\] tier 1: Driver needed: Tver to Riga tonight/);
      await page.fill(`#eta-${id}`, "20");
      await page.click("#alerts .answer-can");
      await page.waitForSelector("#alerts .answered");

      const report = op("answers", id);
      assert.match(report, /answers: 1 of 1 members/);
      assert.match(report, /skill driver: 1 can, 0 cannot/);
      // The alert and the keys are kept in the browser sealed under the passphrase: nothing readable in storage.
      const kept = await page.evaluate(() => localStorage.getItem("haven-member"));
      assert.equal(JSON.parse(kept).v, 2);
      for (const plain of ["Driver needed", "Vera", "tver", "identity_sk", "member_id"]) assert.ok(!kept.includes(plain), plain + " in storage");
      // Reopened: locked until the passphrase; a wrong one does not open it; the right one shows the alert again.
      await page.reload();
      await page.waitForSelector("#member-unlock:not([hidden])");
      assert.ok(await page.locator("#member-alerts").isHidden());
      await page.fill("#unlock-passphrase", "not vera's passphrase");
      await page.click("#member-unlock button[type=submit]");
      await page.waitForSelector("#member-status:has-text('does not open')");
      await page.fill("#unlock-passphrase", "vera's long passphrase");
      await page.click("#member-unlock button[type=submit]");
      await page.waitForSelector("#alerts li");
      assert.match(await page.locator("#alerts").textContent(), /Driver needed: Tver to Riga tonight/);
      await page.click("#lock");
      await page.waitForSelector("#member-unlock:not([hidden])");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
