// Reports for funders, through the pages: a report editor working for three sites builds the quarter's report for a
// funder; the small site's figure and the total that would reveal it are marked hidden; an administrator releases
// it and downloads the PDF (read back by pdftotext); the charts load at phone and desktop width. A second report,
// overlapping the first, hides a figure it would have shown alone — subtracting it from the first would reveal a
// small number.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { enrol, signIn, staff } from "../staff.mjs";

const SITES = ["Paris", "Lyon", "Nice"];

// The quarter before this one: its months as YYYY-MM, its middle month, its year and number (1–4).
function lastQuarter() {
  const now = new Date();
  let year = now.getUTCFullYear(), quarter = Math.floor(now.getUTCMonth() / 3);  // this quarter, from 0
  if (quarter === 0) { quarter = 4; year -= 1; }
  const month = (m) => `${year}-${String(m).padStart(2, "0")}`;
  return { first: month(quarter * 3 - 2), middle: month(quarter * 3 - 1), last: month(quarter * 3), year, quarter };
}

// An account with `role` at every site, enrolled and signed in (roles first: a new role ends one's sessions).
async function everywhere(context, base, cli, name, role) {
  const link = cli("user", "add", "--name", name, "--role", role, "--site", SITES[0], "--base-url", base).match(/(http\S+\/enrol\/\S+)/)[1];
  for (const site of SITES.slice(1)) cli("user", "grant", "--name", name, "--role", role, "--site", site);
  const ctx = await context.browser().newContext({ locale: "en-GB" });
  const page = await ctx.newPage();
  const enrolled = await enrol(page, link);
  assert.equal((await signIn(page, base, name, enrolled.codes[0] || "")).status(), 200);
  return { page, context: ctx };
}

export const tests = {
  async "an editor builds the quarter's report, small figures are hidden, an administrator releases it, the PDF downloads; an overlapping report hides what subtraction would reveal"({ context, base, cli, history }) {
    const ids = {};
    for (const name of SITES) {
      const out = cli("site", "add", "--name", name, "--city", name, "--country", "France", "--time-zone", "Europe/Paris");
      ids[name] = out.match(/id (\d+)/)[1];
    }
    // The centre's records of last quarter: people registered at each site (through the API, as a script would).
    const coordinator = await everywhere(context, base, cli, "carla.coord", "coordinator");
    await coordinator.context.close();
    const token = cli("token", "create", "--user", "carla.coord", "--scope", "write", "--label", "e2e").match(/([A-Za-z0-9_-]{40,})/)[1];
    for (const [site, n] of [["Paris", 23], ["Lyon", 12], ["Nice", 3]])
      for (let i = 0; i < n; i++) {
        const r = await fetch(`${base}/api/v1/people`, {
          method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
          body: JSON.stringify({ site_id: Number(ids[site]), pseudonym: `${site}-${i}` }),
        });
        assert.equal(r.status, 201, await r.text());
      }
    // They came last quarter, in its middle month (reports count months that have ended).
    const { first, last, middle, year, quarter } = lastQuarter();
    history(`UPDATE people SET created_at = ${Date.parse(middle + "-15T12:00:00Z")} + (id % 1000), active_at = created_at`);
    const current = middle;

    const editor = await everywhere(context, base, cli, "erika.editor", "report_editor");
    const e = editor.page;
    const click = (page, selector) => Promise.all([page.waitForNavigation(), page.click(selector)]);
    const problems = [];
    e.on("console", (m) => { if (m.type() === "error" && !/status of 4\d\d/.test(m.text())) problems.push(m.text()); });

    // The editor: from the menu to reports; the quarter, three sites, one indicator.
    await click(e, "nav >> text=Reports");
    assert.equal(new URL(e.url()).pathname, "/reports");
    await e.fill("#new-report #title", "Fondation Lumière — Q" + quarter + " " + year);
    for (const box of await e.locator("#report-sites input[type=checkbox]").all()) assert.equal(await box.isChecked(), true);
    await e.fill("#new-report #from", first);
    await e.fill("#new-report #to", last);
    await e.selectOption("#new-report #grain", "quarter");
    for (const box of await e.locator("#report-indicators input[type=checkbox]").all()) await box.setChecked(false);
    await e.check("#report-indicators input[value=people_new]");
    await click(e, "#new-report button[type=submit]");
    assert.match(new URL(e.url()).pathname, /^\/reports\/\d+$/);
    const report = new URL(e.url()).pathname;
    const row = async (label) => (await e.locator("#report-table tr", { has: e.locator(`th:text-is("${label}")`) }).locator("td").allTextContents());
    assert.deepEqual(await row("Paris"), ["23"]);
    assert.deepEqual(await row("Lyon"), ["12"]);
    assert.deepEqual(await row("Nice"), ["[c]"], "3 is under 10");
    assert.deepEqual(await row("These sites together"), ["[c]"], "38 - 23 - 12 would give Nice's 3");
    assert.match(await e.locator("#report-state").textContent(), /Prepared, not released · 2 figures hidden to protect people/);
    assert.match(await e.locator("#report-note").textContent(), /Figures marked \[c\] are hidden: each is under 10/);
    assert.equal(await e.locator("#downloads").count(), 0, "nothing downloads before the release");
    assert.equal(await e.locator("#release").count(), 0, "an editor does not release");
    assert.equal((await e.request.get(base + report + "/pdf")).status(), 409);

    // An administrator of the three sites releases it and downloads the PDF.
    const admin = await everywhere(context, base, cli, "adrien.admin", "administrator");
    const a = admin.page;
    await click(a, "nav >> text=Reports");
    await click(a, `#reports a[href="${report}"]`);
    await click(a, "#release button[type=submit]");
    assert.match(await a.locator("#report-state").textContent(), /Released/);
    const [download] = await Promise.all([a.waitForEvent("download"), a.click("#download-pdf")]);
    const dir = mkdtempSync(join(tmpdir(), "haven-report-"));
    try {
      const pdf = join(dir, "report.pdf");
      await download.saveAs(pdf);
      const text = execFileSync("pdftotext", ["-layout", pdf, "-"], { encoding: "utf8" });
      assert.match(text, /Fondation Lumière/);
      assert.match(text, /People registered/);
      assert.match(text, /Paris\s+23/);
      assert.match(text, /Nice\s+\[c\]/);
      assert.doesNotMatch(text, /\b38\b/, "the hidden total is nowhere");
      const xlsx = await a.request.get(base + report + "/xlsx");
      assert.equal(xlsx.status(), 200);
      writeFileSync(join(dir, "report.xlsx"), await xlsx.body());
      const cells = execFileSync("/usr/bin/python3", ["-c",
        "import openpyxl,sys; ws=openpyxl.load_workbook(sys.argv[1]).active; print([c.value for r in ws.iter_rows() for c in r if c.value is not None])",
        join(dir, "report.xlsx")], { encoding: "utf8" });
      assert.match(cells, /'People registered — Paris', 23/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    // The charts load and fit, on a phone and on a desktop.
    for (const width of [390, 1280]) {
      await a.setViewportSize({ width, height: 900 });
      await a.goto(base + report);
      const img = a.locator("#report-charts img").first();
      await img.scrollIntoViewIfNeeded();
      await a.waitForFunction(() => [...document.querySelectorAll("#report-charts img")].every((i) => i.complete && i.naturalWidth > 0));
      const box = await img.boundingBox();
      assert.ok(box.width > 200 && box.width <= width, `the chart fits ${width} px (${box.width})`);
      await a.locator("#report-charts").screenshot({ path: `test-results-report-charts-${width}.png` });
    }

    // A second report, overlapping: Lyon alone, that month. Alone its 12 would show; with the first report's Lyon
    // quarter (12) it would say that Lyon counted 0 in the other months — figures under 10: hidden.
    await e.goto(base + "/reports");
    await e.fill("#new-report #title", "Lyon, one month");
    for (const box of await e.locator("#report-sites input[type=checkbox]").all()) await box.setChecked(false);
    await e.check(`#report-sites input[value="${ids.Lyon}"]`);
    await e.fill("#new-report #from", current);
    await e.fill("#new-report #to", current);
    await e.selectOption("#new-report #grain", "month");
    for (const box of await e.locator("#report-indicators input[type=checkbox]").all()) await box.setChecked(false);
    await e.check("#report-indicators input[value=people_new]");
    await click(e, "#new-report button[type=submit]");
    assert.deepEqual(await row("Lyon"), ["[c]"], "subtracting it from the first report would reveal a small number");
    assert.match(await e.locator("#report-state").textContent(), /1 figure hidden to protect people/);
    // Nothing in it to give a funder: the editor discards it, asked first (it stays in the log).
    await click(e, "#discard button[type=submit]");
    assert.match(await e.locator("#confirm-what").textContent(), /stays in the log/);
    await click(e, "#confirm button.danger");
    assert.equal(new URL(e.url()).pathname, "/reports");
    assert.match(await e.locator("#reports").textContent(), /Lyon, one month · .* · Discarded/);

    assert.deepEqual(problems, []);
    for (const c of [editor.context, admin.context]) await c.close();
  },

  async "an editor on a phone records a funder and a grant: what is due shows first, is marked in one click, and the grant's target meets its released report"({ context, base, cli, history }) {
    const id = cli("site", "add", "--name", "Paris", "--city", "Paris", "--country", "France", "--time-zone", "Europe/Paris").match(/id (\d+)/)[1];
    const coordinator = await staff(context, base, cli, "carla.coord", "coordinator");
    await coordinator.context.close();
    const token = cli("token", "create", "--user", "carla.coord", "--scope", "write", "--label", "e2e").match(/([A-Za-z0-9_-]{40,})/)[1];
    for (let i = 0; i < 12; i++) {
      const r = await fetch(`${base}/api/v1/people`, { method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ site_id: Number(id), pseudonym: `P-${i}` }) });
      assert.equal(r.status, 201);
    }
    const link = cli("user", "add", "--name", "erika.editor", "--role", "report_editor", "--site", "Paris", "--base-url", base).match(/(http\S+\/enrol\/\S+)/)[1];
    const phone = await context.browser().newContext({ locale: "en-GB", viewport: { width: 390, height: 844 } });
    const e = await phone.newPage();
    const enrolled = await enrol(e, link);
    assert.equal((await signIn(e, base, "erika.editor", enrolled.codes[0] || "")).status(), 200);
    const click = (page, selector) => Promise.all([page.waitForNavigation(), page.click(selector)]);
    const day = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);

    await click(e, "nav >> text=Grants");
    assert.match(new URL(e.url()).pathname, /^\/sites\/\d+\/grants$/);
    await e.click("summary >> text=Add a funder");
    await e.fill("#new-funder #name", "Fondation Lumière");
    await e.fill("#new-funder #contact_name", "Claire Martin");
    await click(e, "#new-funder button[type=submit]");
    await e.click("summary >> text=Add a grant");
    await e.fill("#new-grant #title", "Accueil " + day(0).slice(0, 4));
    await e.selectOption("#new-grant #status", "active");
    await e.fill("#new-grant #amount", "40000");
    await click(e, "#new-grant button[type=submit]");
    const grant = new URL(e.url()).pathname;
    assert.match(grant, /^\/grants\/\d+$/);
    await e.click("summary >> text=Add a payment");
    await e.fill("#new-tranche #tranche_due", day(-3));
    await e.fill("#new-tranche #tranche_amount", "20000");
    await click(e, "#new-tranche button[type=submit]");
    await e.click("summary >> text=Add a deadline");
    await e.fill("#new-deadline #deadline_due", day(20));
    await e.fill("#new-deadline #deadline_what", "Interim report");
    await click(e, "#new-deadline button[type=submit]");
    await e.click("summary >> text=Change the grant");
    await e.fill("#edit-grant #lines", "Rent | 12000 | 8000,50");
    await e.fill("#edit-grant input[name=target_people_new]", "40");
    await click(e, "#edit-grant button[type=submit]");
    assert.match(await e.locator("#budget").textContent(), /Rent\s*12000\.00\s*8000\.50\s*3999\.50/);

    // The reports page, her first page, says what is due: the overdue payment first, then the report.
    await click(e, "nav >> text=Reports");
    const due = await e.locator("#due li").allTextContents();
    assert.equal(due.length, 2);
    assert.match(due[0], /payment of 20000\.00 EUR expected.*overdue/);
    assert.match(due[1], /Interim report/);
    await click(e, "#due a");
    await click(e, "#tranches button[type=submit]");
    assert.match(await e.locator("#tranches").textContent(), /received on/);

    // A report for the grant, released by an administrator: its figure stands beside the target.
    await e.goto(base + "/reports");
    await e.fill("#new-report #title", "Lumière — last quarter");
    const { first, last, middle } = lastQuarter();
    history(`UPDATE people SET created_at = ${Date.parse(middle + "-10T12:00:00Z")}, active_at = created_at`);
    await e.fill("#new-report #from", first);
    await e.fill("#new-report #to", last);
    await e.selectOption("#new-report #grain", "quarter");
    await e.selectOption("#new-report #grant_id", { label: "Accueil " + day(0).slice(0, 4) });
    for (const box of await e.locator("#report-indicators input[type=checkbox]").all()) await box.setChecked(false);
    await e.check("#report-indicators input[value=people_new]");
    await click(e, "#new-report button[type=submit]");
    const report = new URL(e.url()).pathname;
    const admin = await staff(context, base, cli, "adrien.admin", "administrator");
    await admin.page.goto(base + report);
    await click(admin.page, "#release button[type=submit]");
    await e.goto(base + grant);
    assert.match(await e.locator("#targets").textContent(), /People registered\s*40\s*12/);
    const width = await e.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `the grant's page fits a phone (${width} px)`);
    for (const c of [phone, admin.context]) await c.close();
  },
};
