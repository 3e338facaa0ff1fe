// Runs every spec in specs/ against a fresh Haven (SQLite in a temp dir, port 0) in headless Chromium.
// Usage: node run.mjs PATH_TO_HAVEN_BINARY
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const binary = process.argv[2];
if (!binary) throw new Error("usage: node run.mjs PATH_TO_HAVEN");

// `env`: settings a spec's servers need (a spec exports `env`, e.g. HAVEN_DOORBELL_ALLOW_PRIVATE_TARGETS for a loopback receiver).
async function startHaven(env = {}) {
  const dir = mkdtempSync(join(tmpdir(), "haven-e2e-"));
  execFileSync(binary, ["init", "--data", dir], { stdio: "ignore" });
  const child = spawn(binary, ["serve", "--data", dir, "--listen", "127.0.0.1:0", "--secure-cookies", "false", "--log-level", "warn",
     "--passphrase-file", join(dir, "unseal-passphrase")],
    { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, ...env } });
  const base = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const m = out.match(/Haven serves (http:\/\/\S+?)\/?\n/);
      if (m) resolve(m[1]);
    });
    child.on("exit", (code) => reject(new Error(`haven exited with ${code}`)));
    setTimeout(() => reject(new Error("haven did not start within 10 s")), 10000);
  });
  // `cli(args…)` runs another haven command on the same data directory (sites, invitations).
  const cli = (...args) => execFileSync(binary, [...args, "--data", dir, "--passphrase-file", join(dir, "unseal-passphrase")],
                                       { encoding: "utf8" });
  // `history(sql)` rewrites the store to stand for the past (records made months ago), as no page can: the
  // reports count only months that have ended. SQLite's own tool, beside the running server (WAL).
  const history = (statement) => execFileSync("sqlite3", [join(dir, "haven.db"), statement], { encoding: "utf8" });
  return { base, cli, history, stop: () => { child.kill("SIGTERM"); rmSync(dir, { recursive: true, force: true }); } };
}

// Flags from the machine notes: without the networking ones Chromium tries to reach Google and fails.
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

let failed = 0, passed = 0;
// HAVEN_E2E_ONLY=centre.mjs runs one spec file.
const specs = readdirSync(new URL("./specs", import.meta.url))
  .filter((f) => f.endsWith(".mjs") && (!process.env.HAVEN_E2E_ONLY || f === process.env.HAVEN_E2E_ONLY)).sort();
for (const file of specs) {
  const spec = await import(`./specs/${file}`);
  for (const [name, test] of Object.entries(spec.tests)) {
    const haven = await startHaven(spec.env);
    const context = await browser.newContext({ locale: "en-GB" });
    const page = await context.newPage();
    const problems = [];
    page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
    page.on("pageerror", (e) => problems.push(String(e)));
    try {
      await test({ page, base: haven.base, context, cli: haven.cli, history: haven.history });
      if (problems.length) throw new Error("browser console errors (CSP?): " + problems.join(" | "));
      passed++;
      console.log(`ok   ${file} › ${name}`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${file} › ${name}\n     ${e.stack || e}`);
      await page.screenshot({ path: `test-results-${name.replace(/\W+/g, "_")}.png` }).catch(() => {});
    } finally {
      await context.close();
      haven.stop();
    }
  }
}
await browser.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
