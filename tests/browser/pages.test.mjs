// kansrijk's pages in real headless Chromium: a GP searches from the home page (with and
// without JavaScript), opens a result, follows a theme to a municipality; result pages show an
// offer's contact fields (from a second server with the fictional demo social map), a count,
// pages and type facets, and a corrected place with a literal search; every page is
// screenshot to target/browser/ and checked with axe-core for serious accessibility problems
// and horizontal overflow on a desktop and a phone screen.
//
// Environment: KANSRIJK_BIN (default target/release/kansrijk), CHROMIUM (default /usr/bin/chromium).

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const binary = process.env.KANSRIJK_BIN ?? path.join(root, "target/release/kansrijk");
const screenshots = path.join(root, "target/browser");
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

let baseUrl;
let demoUrl;
let browser;
const servers = [];

/** Starts `kansrijk serve` on a fresh data folder (with `extra` arguments) and resolves to its address. */
function startServer(extra = []) {
  const dir = mkdtempSync(path.join(tmpdir(), "kansrijk-browser-"));
  const child = spawn(binary, ["--data", dir, "serve", "--bind", "127.0.0.1:0", ...extra], { stdio: ["ignore", "pipe", "inherit"] });
  servers.push({ child, dir });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("kansrijk serve did not report its address within 120 s")), 120_000);
    let seen = "";
    child.stdout.on("data", (chunk) => {
      seen += chunk;
      const found = seen.match(/listening on (http:\/\/\S+)/);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    });
    child.on("exit", (code) => reject(new Error(`kansrijk serve ${extra.join(" ")} exited with ${code}`)));
  });
}

before(async () => {
  mkdirSync(screenshots, { recursive: true });
  // The shared server holds only the embedded graph data; a second one also serves the fictional
  // demo social map (offers with phones, e-mail addresses and addresses) for the contact fields.
  [baseUrl, demoUrl] = await Promise.all([startServer(), startServer(["--demo"])]);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  await browser?.close();
  for (const { child, dir } of servers) {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A screenshot that shows a rendered page: a real PNG of some size, not a blank one. */
async function screenshot(page, name) {
  const file = path.join(screenshots, `${name}.png`);
  const png = await page.screenshot({ path: file, fullPage: true });
  assert.equal(png.subarray(1, 4).toString(), "PNG", `${name}: a PNG`);
  assert.ok(png.length > 8_000, `${name}: ${png.length} bytes is too small for a rendered page`);
  const painted = await page.evaluate(() => {
    const main = document.querySelector("main");
    const box = main?.getBoundingClientRect();
    return box ? box.width > 200 && box.height > 50 : false;
  });
  assert.ok(painted, `${name}: the main content is laid out`);
}

/** Runs axe-core on the page and fails on serious or critical violations. */
async function accessible(page, name) {
  await page.addScriptTag({ content: axeSource });
  const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  const serious = results.violations.filter((violation) => ["serious", "critical"].includes(violation.impact));
  const report = serious.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  assert.deepEqual(report, [], `${name}: accessibility violations`);
}

async function search(page, question, base = baseUrl) {
  await page.goto(base + "/");
  await page.getByLabel("Uw vraag").fill(question);
  await Promise.all([page.waitForURL(/\/zoeken\?/), page.getByRole("button", { name: "Zoeken" }).click()]);
}

for (const javaScriptEnabled of [true, false]) {
  test(`search from the home page and open a result (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async () => {
    const context = await browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    await search(page, "aanbod voor tienerzwangerschap in Aalsmeer");
    const place = page.getByRole("region", { name: "Plaats" });
    await assert.doesNotReject(place.getByRole("link", { name: "Aalsmeer" }).waitFor());
    const local = page.getByRole("link", { name: "Prenataal huisbezoek JGZ in Aalsmeer" });
    await local.waitFor();
    assert.match(await page.locator("ol.resultaten li").first().innerText(), /Waarom: /);
    const suffix = javaScriptEnabled ? "js" : "zonder-js";
    await screenshot(page, `zoeken-${suffix}`);
    await Promise.all([page.waitForURL(/\/id\/aanbod\/prenataal-huisbezoek-gm0358$/), local.click()]);
    assert.equal(await page.locator("h1").innerText(), "Prenataal huisbezoek JGZ in Aalsmeer");
    await screenshot(page, `aanbod-${suffix}`);
    await context.close();
  });
}

test("follow a theme to a municipality", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(baseUrl + "/");
  await Promise.all([page.waitForURL(/\/id\/thema\/tienerzwangerschap$/), page.getByRole("link", { name: "Tienerzwangerschap" }).click()]);
  assert.equal(await page.locator("h1").innerText(), "Tienerzwangerschap");
  await screenshot(page, "thema");
  await page.getByLabel("Gemeente of postcode").fill("Aalsmeer");
  await Promise.all([page.waitForURL(/\/zoeken\?/), page.getByRole("button", { name: "Zoek aanbod" }).click()]);
  const municipality = page.getByRole("region", { name: "Plaats" }).getByRole("link", { name: "Aalsmeer" });
  await Promise.all([page.waitForURL(/\/id\/gemeente\/gm0358$/), municipality.click()]);
  assert.equal(await page.locator("h1").innerText(), "Aalsmeer");
  await page.getByRole("link", { name: "GGD-regio Amsterdam" }).first().waitFor();
  await page.getByRole("link", { name: "Prenataal huisbezoek JGZ in Aalsmeer" }).first().waitFor();
  await screenshot(page, "gemeente");
  await context.close();
});

/** The term and description of each entry of a `dl.contact`, as [label, text, link targets]. */
function contactFields(list) {
  return list.evaluate((dl) => [...dl.querySelectorAll("dt")].map((dt) => {
    const dd = dt.nextElementSibling;
    return [dt.textContent.trim(), dd.textContent.trim(), [...dd.querySelectorAll("a")].map((a) => a.getAttribute("href"))];
  }));
}

test("a result page shows an offer's contact fields and marks the matched words", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const offers = [
    // [question (a name, no place), the offer's name, a tel: or mailto: link it must show]
    ["Steunpunt tienermoeders", "Steunpunt tienermoeders Aalsmeer (fictief)", "tel:+31297000001"],
    ["Kraambuddy", "Kraambuddy Oosteinde (fictief)", "mailto:kraambuddy-oosteinde@example.org"],
  ];
  for (const [question, name, link] of offers) {
    await search(page, question, demoUrl);
    const first = page.locator("ol.resultaten > li").first();
    assert.equal(await first.locator("a strong").first().innerText(), name, `${question}: the first result`);
    assert.equal(await first.locator("dl.contact").count(), 1, `${question}: one contact block`);
    const fields = await contactFields(first.locator("dl.contact"));
    const labels = fields.map(([label]) => label);
    const provider = fields.find(([label]) => label === "Aanbieder");
    assert.ok(provider, `${question}: the provider in ${labels.join(", ")}`);
    assert.equal(provider[1], "Stichting Jonge Ouders Amstelland (fictief)", `${question}: the provider`);
    assert.match(provider[2][0] ?? "", /^\/id\/organisatie\//, `${question}: the provider links to its page`);
    const links = fields.flatMap(([, , hrefs]) => hrefs);
    assert.ok(links.includes(link), `${question}: ${link} in ${links.join(", ")}`);
    assert.ok(links.some((href) => /^(tel|mailto):/.test(href)), `${question}: a tel: or mailto: link`);
    const marked = await first.locator("mark").allInnerTexts();
    assert.ok(marked.length > 0, `${question}: the snippet marks the matched words`);
    assert.match(await first.innerText(), /Waarom: in de naam: /, `${question}: the reason`);
  }
  // The offer with every kind of contact field: phone, e-mail, address, contact person, area.
  await search(page, "Steunpunt tienermoeders", demoUrl);
  const fields = await contactFields(page.locator("ol.resultaten > li").first().locator("dl.contact"));
  assert.deepEqual(fields.map(([label]) => label), ["Aanbieder", "Website", "Telefoon", "E-mail", "Adres", "Contactpersoon", "Werkgebied"]);
  assert.match(Object.fromEntries(fields)["Telefoon"], /^\+31 297 000 001/);
  assert.match(Object.fromEntries(fields)["Adres"], /1431 ZZ Aalsmeer/);
  await screenshot(page, "zoeken-contact");
  await context.close();
});

test("a broad question shows its count, pages and type facets", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await search(page, "prenataal huisbezoek");
  const heading = page.locator("h2#resultaten");
  const counted = (await heading.innerText()).match(/^(\d+) resultaten, 1–20 hieronder$/);
  assert.ok(counted, `the count heading: ${await heading.innerText()}`);
  const total = Number(counted[1]);
  assert.ok(total > 20, `${total} results`);
  const list = page.locator("ol.resultaten");
  assert.equal(await list.getAttribute("start"), "1");
  assert.equal(await list.locator("> li").count(), 20);
  const paging = page.getByRole("navigation", { name: "Pagina's" });
  assert.equal(await paging.getByRole("link", { name: "Vorige" }).count(), 0, "no previous page on page 1");
  const next = paging.getByRole("link", { name: "Volgende" });
  assert.equal(await next.getAttribute("rel"), "next");
  const firstOnPageOne = await list.locator("> li").first().innerText();

  await Promise.all([page.waitForURL(/[?&]pagina=2(&|$)/), next.click()]);
  assert.equal(await heading.innerText(), `${total} resultaten, 21–40 hieronder`);
  assert.equal(await list.getAttribute("start"), "21");
  assert.ok(await list.locator("> li").count() > 0, "page 2 has results");
  assert.notEqual(await list.locator("> li").first().innerText(), firstOnPageOne, "page 2 shows other results");
  const previous = paging.getByRole("link", { name: "Vorige" });
  assert.equal(await previous.getAttribute("rel"), "prev");
  assert.match(await paging.innerText(), new RegExp(`Pagina 2 van ${Math.ceil(total / 20)}`));
  await screenshot(page, "zoeken-pagina-2");

  const facets = page.getByRole("navigation", { name: "Soorten" });
  const theme = facets.getByRole("link", { name: /^thema \(\d+\)$/ });
  const themes = Number((await theme.innerText()).match(/\((\d+)\)/)[1]);
  assert.ok(themes > 0 && themes < total, `${themes} themes of ${total}`);
  assert.equal(await facets.locator("[aria-current]").count(), 0, "no facet is current before choosing one");
  await Promise.all([page.waitForURL(/[?&]type=thema(&|$)/), theme.click()]);
  assert.equal(await heading.innerText(), themes === 1 ? "1 resultaat" : themes <= 20 ? `${themes} resultaten` : `${themes} resultaten, 1–20 hieronder`);
  assert.equal(await list.getAttribute("start"), "1", "a facet starts at the first page");
  const kinds = await list.locator("> li").evaluateAll((items) => items.map((li) => li.innerText.split("\n")[0]));
  assert.equal(kinds.length, Math.min(themes, 20));
  for (const kind of kinds) assert.match(kind, / · thema$/, "only themes");
  const chosen = facets.locator("[aria-current]");
  assert.equal(await chosen.count(), 1, "one facet is current");
  assert.equal(await chosen.getAttribute("aria-current"), "true");
  assert.match(await chosen.innerText(), /^thema \(\d+\)$/);
  assert.equal(await page.locator("select#type").inputValue(), "thema", "the type filter shows the chosen type");
  await screenshot(page, "zoeken-facet");
  await context.close();
});

test("a misspelt place is corrected, with a literal search beside it", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await search(page, "prenataal huisbezoek Amsterdm");
  const place = page.getByRole("region", { name: "Plaats" });
  await place.getByText("U typte ‘Amsterdm’: bedoelde u Amsterdam?").waitFor();
  assert.equal(await place.getByRole("link", { name: "Amsterdam", exact: true }).getAttribute("href"), "/id/gemeente/gm0363");
  assert.equal(await page.locator("ol.resultaten > li a strong").first().innerText(), "Prenataal huisbezoek JGZ in Amsterdam");
  const literal = place.getByRole("link", { name: "Zoek letterlijk op ‘Amsterdm’" });
  await screenshot(page, "zoeken-plaats-verbeterd");
  await Promise.all([page.waitForURL(/%22Amsterdm%22/), literal.click()]);
  assert.equal(await page.getByLabel("Uw vraag").inputValue(), 'prenataal huisbezoek "Amsterdm"');
  assert.equal(await page.getByText("bedoelde u").count(), 0, "no correction for a literal search");
  await context.close();
});

test("the pages have no serious accessibility problems and fit a phone", async () => {
  const pages = {
    home: "/",
    zoeken: "/zoeken?q=geldzorgen+Utrecht",
    "zoeken-contact": demoUrl + "/zoeken?q=Steunpunt+tienermoeders",
    "zoeken-pagina-2": "/zoeken?q=prenataal+huisbezoek&pagina=2",
    "zoeken-facet": "/zoeken?q=prenataal+huisbezoek&type=thema",
    "zoeken-plaats-verbeterd": "/zoeken?q=prenataal+huisbezoek+Amsterdm",
    thema: "/id/thema/geldzorgen",
    gemeente: "/id/gemeente/gm0358",
    instrument: "/id/instrument/zorgpadentool",
    organisatie: "/id/organisatie/rivm",
    sparql: "/sparql",
    over: "/over",
  };
  for (const [viewport, size] of [["desktop", { width: 1280, height: 900 }], ["telefoon", { width: 390, height: 844 }]]) {
    const context = await browser.newContext({ viewport: size, extraHTTPHeaders: { Accept: "text/html" } });
    const page = await context.newPage();
    for (const [name, url] of Object.entries(pages)) {
      const response = await page.goto(url.startsWith("http") ? url : baseUrl + url);
      assert.equal(response.status(), 200, `${url}`);
      await accessible(page, `${name} (${viewport})`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `${name} (${viewport}): the page is ${overflow}px wider than the screen`);
      await screenshot(page, viewport === "telefoon" ? `${name}-telefoon` : `${name}-${viewport}`);
    }
    await context.close();
  }
});

test("every example query on the SPARQL page runs", async () => {
  const context = await browser.newContext({ extraHTTPHeaders: { Accept: "text/html" } });
  const page = await context.newPage();
  await page.goto(baseUrl + "/sparql");
  const examples = await page.locator("main form").count();
  assert.ok(examples >= 5, `${examples} examples`);
  for (let index = 0; index < examples; index++) {
    await page.goto(baseUrl + "/sparql");
    const form = page.locator("main form").nth(index);
    const title = await page.locator("main h2").nth(index).innerText();
    const [response] = await Promise.all([page.waitForResponse((r) => r.url().includes("/sparql?")), form.getByRole("button", { name: "Uitvoeren" }).click()]);
    assert.equal(response.status(), 200, title);
    const answer = JSON.parse(await response.text());
    assert.ok(answer.results.bindings.length > 0, `${title}: no answers`);
  }
  await context.close();
});
