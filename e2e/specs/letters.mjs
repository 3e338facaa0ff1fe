// Letters to political prisoners, through the pages: a writer (on a phone, in Russian) is given the prisoner with the
// fewest letters and writes; the censor's check flags the war and a Latin word; prisoner support sends it; the
// prisoner is moved — in transit the next letter is held, in the colony it shows the new address; a reply is
// entered with a scan, and only its writer reads it; the day's post prints and goes.
import assert from "node:assert/strict";
import { enrol, signIn, staff } from "../staff.mjs";

export const tests = {
  async "a writer is given the prisoner with the fewest letters, the censor warns, a transfer holds then re-addresses, the reply reaches only its writer"({ context, base, cli }) {
    cli("site", "add", "--name", "Vilnius", "--city", "Vilnius", "--country", "Lithuania", "--time-zone", "Europe/Vilnius");
    const support = await staff(context, base, cli, "olga.support", "prisoner_support", "Vilnius");
    const s = support.page;
    const problems = [];
    for (const page of [s])
      page.on("console", (m) => { if (m.type() === "error" && !/status of 4\d\d/.test(m.text())) problems.push(m.text()); });
    const click = (page, selector) => Promise.all([page.waitForNavigation(), page.click(selector)]);

    // Prisoner support: from the menu to the registry; two institutions, two prisoners held in the SIZO.
    await click(s, "nav >> text=Prisoners");
    const registry = new URL(s.url()).pathname;
    assert.match(registry, /^\/sites\/\d+\/prisoners$/);
    await click(s, "nav.sub >> text=Institutions");
    for (const [kind, name] of [["sizo", "SIZO-1 Moscow"], ["colony", "IK-6 Kopeysk"]]) {
      await s.selectOption("#new-institution #kind", kind);
      await s.fill("#new-institution #name", name);
      await s.fill("#new-institution #address", `Russia, ${name}, 454000`);
      await click(s, "#new-institution button[type=submit]");
    }
    const prisoners = {};
    for (const [name, greet] of [["Иван Петров", "Иван"], ["Пётр Иванов", "Пётр"]]) {
      await s.goto(base + registry);
      await s.click("summary >> text=Record a prisoner");
      await s.fill("#new-prisoner #name", name);
      await s.fill("#new-prisoner #address_as", greet);
      await click(s, "#new-prisoner button[type=submit]");
      prisoners[greet] = new URL(s.url()).pathname;
      await s.selectOption("#transfer #institution_id", { label: "SIZO-1 Moscow" });
      await click(s, "#transfer button[type=submit]");
      assert.match(await s.locator("#stays").textContent(), /SIZO-1 Moscow/);
    }
    // Пётр has had two letters written by hand.
    for (let i = 0; i < 2; i++) {
      await s.goto(base + prisoners["Пётр"]);
      await s.click("summary >> text=Record a letter written by hand");
      await click(s, "#handwritten button[type=submit]");
    }

    // A writer on a phone, in Russian: a pen name, then "give me someone to write to" — Иван, who has had none.
    const link = cli("user", "add", "--name", "lisa.writer", "--role", "writer", "--site", "Vilnius", "--base-url", base).match(/(http\S+\/enrol\/\S+)/)[1];
    const wctx = await context.browser().newContext({ locale: "ru-RU", viewport: { width: 390, height: 844 } });
    const w = await wctx.newPage();
    w.on("console", (m) => { if (m.type() === "error" && !/status of 4\d\d/.test(m.text())) problems.push(m.text()); });
    const enrolled = await enrol(w, link);
    assert.equal((await signIn(w, base, "lisa.writer", enrolled.codes[0] || "")).status(), 200);
    assert.equal(new URL(w.url()).pathname, "/write", "a writer's day starts at their letters");
    await w.fill("#pen_name", "Лиса");
    await w.fill("#languages", "ru");
    await click(w, "#profile button[type=submit]");
    await click(w, "#ask button[type=submit]");
    assert.equal((await w.locator("#letter-to").textContent()).trim(), "Кому: Иван");
    const first = new URL(w.url()).pathname;
    assert.doesNotMatch(await w.content(), /SIZO|Moscow/, "a writer never sees where the prisoner is held");

    // The censor's check: the war and a Latin word are flagged, the letter is not blocked.
    await w.fill("#body", "Дорогой Иван! Все мы здесь против войны. Держитесь, ok? Обнимаю.");
    await click(w, "#letter button[type=submit]");
    const warned = await w.locator("#censor").textContent();
    assert.match(warned, /войны/);
    assert.match(warned, /о войне/);
    assert.match(warned, /ok/);
    assert.match(warned, /латиницей/);
    // She drops the Latin word and hands it in at once: what she typed last is what is handed in.
    await w.fill("#body", "Дорогой Иван! Все мы здесь против войны. Держитесь! Обнимаю.");
    await click(w, "#hand-in");
    assert.match(await w.locator("#my-letters").textContent(), /Сдано/);

    // Prisoner support sends it from the letters' page.
    await s.goto(base + registry.replace("/prisoners", "/letters"));
    await click(s, "#ready >> text=Иван");
    assert.match(await s.locator("#letter-address").textContent(), /SIZO-1 Moscow/);
    assert.match(await s.locator("#letter-body").textContent(), /против войны/);
    assert.doesNotMatch(await s.locator("#letter-body").textContent(), /ok/);
    await s.selectOption("#send #channel", "e_letter");
    await s.fill("#send #cost", "0,60");
    await click(s, "#send button[type=submit]");
    assert.match(await s.locator("#letter-state").textContent(), /Sent/);
    const firstUrl = new URL(s.url()).pathname;

    // The writer asks again: Иван still has the fewest (one against two). The letter is written and handed in.
    await w.goto(base + "/write");
    await click(w, "#ask button[type=submit]");
    assert.equal((await w.locator("#letter-to").textContent()).trim(), "Кому: Иван");
    const second = new URL(w.url()).pathname;
    await w.fill("#body", "Иван, с наступающим днём рождения!");
    await click(w, "#letter button[type=submit]");
    assert.match(await w.locator("#censor").textContent(), /ничего/);
    await click(w, "#hand-in");

    // Иван is moved: in transit, the letter is held and cannot be sent...
    await s.goto(base + prisoners["Иван"]);
    await s.selectOption("#transfer #institution_id", "0");
    await click(s, "#transfer button[type=submit]");
    assert.match(await s.locator("#prisoner-status").textContent(), /In transit/);
    await s.goto(base + second);
    assert.equal(await s.locator("#held").count(), 1);
    assert.equal(await s.locator("#send").count(), 0);
    // ...then he arrives at the colony: the held letter shows the new address and can go.
    await s.goto(base + prisoners["Иван"]);
    await s.selectOption("#transfer #institution_id", { label: "IK-6 Kopeysk" });
    await click(s, "#transfer button[type=submit]");
    assert.match(await s.locator("#prisoner-status").textContent(), /Convicted/);
    await s.goto(base + second);
    assert.match(await s.locator("#letter-address").textContent(), /IK-6 Kopeysk/);
    assert.equal(await s.locator("#held").count(), 0);
    assert.equal(await s.locator("#send").count(), 1);

    // A reply to the first letter: entered by prisoner support, who does not see it again; its writer reads it.
    await s.goto(base + firstUrl);
    await s.fill("#reply #reply", "Лиса, спасибо за письмо! Здесь холодно, но я держусь.");
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from("the scan of a reply")]);
    await s.setInputFiles("#reply #scan", { name: "otvet.png", mimeType: "image/png", buffer: png });
    await click(s, "#reply button[type=submit]");
    assert.equal(await s.locator("#reply-entered").count(), 1);
    assert.doesNotMatch(await s.content(), /Здесь холодно/);
    await w.goto(base + first);
    assert.match(await w.locator("main").textContent(), /Здесь холодно, но я держусь/);
    assert.match(await w.locator("#letter-state").textContent(), /Есть ответ/);
    const scan = await w.request.get(base + (await w.getAttribute("article.reply a[download]", "href")));
    assert.equal(scan.headers()["content-type"], "image/png");
    assert.deepEqual(Buffer.from(await scan.body()), png, "the scan comes back as it was sent, to its writer");
    assert.equal((await s.request.get(base + (await w.getAttribute("article.reply a[download]", "href")))).status(), 403);

    // The day's post: the re-addressed letter prints with its new address, and goes with one click.
    await s.goto(base + registry.replace("/prisoners", "/letters/batch"));
    assert.match(await s.locator("#labels").textContent(), /IK-6 Kopeysk/);
    assert.match((await s.locator("article.print-sheet").allTextContents()).join("\n"), /IK-6 Kopeysk[^]*с наступающим днём рождения/);
    await s.fill("#batch-sent #cost", "1,20");
    await click(s, "#batch-sent button[type=submit]");
    await s.goto(base + second);
    assert.match(await s.locator("#letter-state").textContent(), /Sent/);

    assert.deepEqual(problems, []);
    await wctx.close();
    await support.context.close();
  },
};
