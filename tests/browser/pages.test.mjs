// kansrijk's pages in real headless Chromium: a GP searches from the home page (with and
// without JavaScript), opens a result, follows a theme to a municipality; every page is
// screenshot to target/browser/ and checked with axe-core for serious accessibility problems.
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

let server;
let dataDir;
let baseUrl;
let browser;

function startServer() {
  dataDir = mkdtempSync(path.join(tmpdir(), "kansrijk-browser-"));
  server = spawn(binary, ["--data", dataDir, "serve", "--bind", "127.0.0.1:0"], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("kansrijk serve did not report its address within 120 s")), 120_000);
    let seen = "";
    server.stdout.on("data", (chunk) => {
      seen += chunk;
      const found = seen.match(/listening on (http:\/\/\S+)/);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    });
    server.on("exit", (code) => reject(new Error(`kansrijk serve exited with ${code}`)));
  });
}

before(async () => {
  mkdirSync(screenshots, { recursive: true });
  baseUrl = await startServer();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  await browser?.close();
  server?.kill();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
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

async function search(page, question) {
  await page.goto(baseUrl + "/");
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

test("the pages have no serious accessibility problems and fit a phone", async () => {
  const pages = {
    home: "/",
    zoeken: "/zoeken?q=geldzorgen+Utrecht",
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
      const response = await page.goto(baseUrl + url);
      assert.equal(response.status(), 200, `${url}`);
      await accessible(page, `${name} (${viewport})`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `${name} (${viewport}): the page is ${overflow}px wider than the screen`);
      if (viewport === "telefoon") await screenshot(page, `${name}-telefoon`);
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
