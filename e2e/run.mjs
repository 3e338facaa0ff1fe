// Runs every spec in specs/ against a fresh Haven (SQLite in a temp dir, port 0) in headless Chromium.
// Usage: node run.mjs PATH_TO_HAVEN_BINARY
// HAVEN_E2E_TLS=1: as deployed instead: secure cookies on (the default), Haven behind scripts/tls-proxy (nginx
// rendering docs/nginx/haven.conf with a throwaway certificate) and trusting it for X-Forwarded-For; the specs
// get the https base, and every cookie the server sets must be __Host- and Secure.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const binary = process.argv[2];
if (!binary) throw new Error("usage: node run.mjs PATH_TO_HAVEN");
const tls = process.env.HAVEN_E2E_TLS === "1";
const tlsProxy = fileURLToPath(new URL("../scripts/tls-proxy", import.meta.url));

// `env`: settings a spec's servers need (a spec exports `env`, e.g. HAVEN_DOORBELL_ALLOW_PRIVATE_TARGETS for a loopback receiver).
async function startHaven(env = {}) {
  const dir = mkdtempSync(join(tmpdir(), "haven-e2e-"));
  execFileSync(binary, ["init", "--data", dir], { stdio: "ignore" });
  const cookies = tls ? ["--trusted-proxies", "127.0.0.1"] : ["--secure-cookies", "false"];
  const child = spawn(binary, ["serve", "--data", dir, "--listen", "127.0.0.1:0", ...cookies, "--log-level", "warn",
     "--passphrase-file", join(dir, "unseal-passphrase")],
    { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, ...env } });
  const direct = await new Promise((resolve, reject) => {
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
  // Through TLS: nginx on a free port in front of this Haven; the specs only ever see the https address.
  let base = direct, proxyDir = null;
  if (tls) {
    proxyDir = mkdtempSync(join(tmpdir(), "haven-e2e-tls-"));
    try {
      base = execFileSync(tlsProxy, ["start", proxyDir, "0", direct.replace(/^http:\/\//, "")], { encoding: "utf8" }).trim();
    } catch (e) {
      child.kill("SIGTERM");
      throw e;
    }
  }
  const stop = () => {
    if (proxyDir) {
      execFileSync(tlsProxy, ["stop", proxyDir], { stdio: "inherit" });
      rmSync(proxyDir, { recursive: true, force: true });
    }
    child.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  };
  return { base, cli, history, stop };
}

// Flags from the machine notes: without the networking ones Chromium tries to reach Google and fails.
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

// Through TLS every context (the specs' own ones too, made with context.browser().newContext) accepts the
// throwaway certificate, and records each Set-Cookie the server sends, to be checked after each test.
const setCookies = [];
const openContexts = new Set();
const closedCookies = [];  // what a context held when the spec closed it
if (tls) {
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options = {}) => {
    const ctx = await newContext({ ...options, ignoreHTTPSErrors: true });
    openContexts.add(ctx);
    const close = ctx.close.bind(ctx);
    ctx.close = async (...args) => {
      if (openContexts.delete(ctx)) closedCookies.push(...(await ctx.cookies().catch(() => [])));
      return close(...args);
    };
    ctx.on("response", async (response) => {
      try {
        for (const h of await response.headersArray())
          if (h.name.toLowerCase() === "set-cookie") setCookies.push({ url: response.url(), value: h.value });
      } catch { /* the page went away before its headers were read */ }
    });
    return ctx;
  };
}

// Every cookie set through TLS: __Host- (so Secure, Path=/, no Domain) and Secure, and so stored by the browser.
async function checkSecureCookies() {
  const bad = [];
  for (const { url, value } of setCookies) {
    for (const line of value.split("\n")) {
      const [pair, ...attributes] = line.split(";").map((x) => x.trim());
      const deleting = attributes.some((a) => /^max-age=0$/i.test(a));
      if (!pair.startsWith("__Host-") || !attributes.some((a) => /^secure$/i.test(a))) bad.push(`${url}: ${line}`);
      else if (!deleting && !attributes.some((a) => /^path=\/$/i.test(a))) bad.push(`${url}: ${line}`);
    }
  }
  const stored = [...closedCookies];
  for (const ctx of openContexts) stored.push(...(await ctx.cookies()));
  for (const c of stored) if (!c.name.startsWith("__Host-") || !c.secure) bad.push(`stored: ${c.name} secure=${c.secure}`);
  if (bad.length) throw new Error("cookies that are not __Host- and Secure: " + bad.join(" | "));
  if (!setCookies.length) throw new Error("no Set-Cookie seen through TLS: the cookie check saw nothing");
  return { set: setCookies.length, stored: stored.length, names: [...new Set(stored.map((c) => c.name))] };
}

let failed = 0, passed = 0;
// HAVEN_E2E_ONLY=centre.mjs runs one spec file.
const specs = readdirSync(new URL("./specs", import.meta.url))
  .filter((f) => f.endsWith(".mjs") && (!process.env.HAVEN_E2E_ONLY || f === process.env.HAVEN_E2E_ONLY)).sort();
for (const file of specs) {
  const spec = await import(`./specs/${file}`);
  for (const [name, test] of Object.entries(spec.tests)) {
    const haven = await startHaven(spec.env);
    setCookies.length = 0;
    closedCookies.length = 0;
    const context = await browser.newContext({ locale: "en-GB" });
    const page = await context.newPage();
    const problems = [];
    page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
    page.on("pageerror", (e) => problems.push(String(e)));
    try {
      await test({ page, base: haven.base, context, cli: haven.cli, history: haven.history });
      if (problems.length) throw new Error("browser console errors (CSP?): " + problems.join(" | "));
      const cookies = tls ? await checkSecureCookies() : null;
      passed++;
      console.log(`ok   ${file} › ${name}` + (cookies
        ? ` (TLS ${haven.base}: ${cookies.set} Set-Cookie, ${cookies.stored} stored: ${cookies.names.join(", ")}; all __Host- and Secure)` : ""));
    } catch (e) {
      failed++;
      console.log(`FAIL ${file} › ${name}\n     ${e.stack || e}`);
      await page.screenshot({ path: `test-results-${name.replace(/\W+/g, "_")}.png` }).catch(() => {});
    } finally {
      for (const ctx of [...openContexts]) await ctx.close().catch(() => {});
      await context.close();
      haven.stop();
    }
  }
}
await browser.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
