// The book as a reader sees it: every page of target/book, served on
// loopback and loaded in Debian's headless Chromium.
//
// Run after building the book (`cargo course book --build-only`):
//   cd tests/browser && npm ci && npm test
// Screenshots go to target/browser-screenshots/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { chromium } from 'playwright-core';

// With more than one mdBook output (html and linkcheck2), html goes to a subfolder.
const built = path.resolve(import.meta.dirname, '../../target/book');
const book = fs.existsSync(path.join(built, 'html')) ? path.join(built, 'html') : built;
const shots = path.resolve(import.meta.dirname, '../../target/browser-screenshots');
const TIMEOUT = 15_000;

const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json',
  '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf', '.ico': 'image/x-icon',
};

let server;
let base;
let browser;

before(async () => {
  assert.ok(fs.existsSync(path.join(book, 'index.html')), `no book in ${book}: build it first`);
  fs.mkdirSync(shots, { recursive: true });
  // A static file server on 127.0.0.1, port 0: the kernel picks a free port.
  server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    let file = path.join(book, decodeURIComponent(url.pathname));
    if (!file.startsWith(book)) { res.writeHead(403).end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    fs.readFile(file, (err, data) => {
      if (err) { res.writeHead(404).end('not found'); return; }
      res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' }).end(data);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      // Nothing but loopback resolves: the book must work offline.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
    ],
  });
});

after(async () => {
  await browser?.close();
  server?.close();
});

/** Opens a page, recording console errors, page errors and off-machine requests. */
async function open(file) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = [];
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`); });
  page.on('pageerror', (err) => problems.push(`script error: ${err.message}`));
  page.on('requestfailed', (req) => problems.push(`failed to load ${req.url()}: ${req.failure()?.errorText}`));
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1') return route.continue();
    problems.push(`tried to reach ${url.href}: the book must not need the network`);
    return route.abort();
  });
  // print.html asks the browser to print; make that a no-op.
  await page.addInitScript(() => { window.print = () => {}; });
  await page.goto(`${base}/${file}`, { waitUntil: 'load', timeout: TIMEOUT });
  return { page, problems };
}

function htmlPages() {
  const out = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.html')) out.push(path.relative(book, full));
    }
  };
  walk(book);
  return out.sort();
}

test('every page loads without errors and without the network', async () => {
  const failures = [];
  for (const file of htmlPages()) {
    const { page, problems } = await open(file);
    // Diagrams render after load; wait for them so their errors count too.
    if (await page.locator('.mermaid').count()) {
      await page.locator('.mermaid svg').first().waitFor({ state: 'attached', timeout: TIMEOUT }).catch(() => {});
    }
    if (problems.length) failures.push(`${file}:\n  ${problems.join('\n  ')}`);
    await page.close();
  }
  assert.deepEqual(failures, [], failures.join('\n'));
});

for (const term of ['EADDRINUSE', 'getaddrinfo']) {
  test(`search finds "${term}"`, async () => {
    const { page, problems } = await open('index.html');
    await page.locator('#mdbook-search-toggle, #search-toggle').first().click();
    const bar = page.locator('#mdbook-searchbar, #searchbar').first();
    const results = page.locator('#mdbook-searchresults li, #searchresults li');
    // The search index loads when search opens; type again until it has.
    const deadline = Date.now() + TIMEOUT;
    while ((await results.count()) === 0 && Date.now() < deadline) {
      await bar.fill('');
      await bar.pressSequentially(term);
      await results.first().waitFor({ state: 'attached', timeout: 1000 }).catch(() => {});
    }
    assert.ok((await results.count()) > 0, `searching for ${term} found nothing (${problems.join('; ')})`);
    assert.ok(await page.locator('#mdbook-searchresults-outer, #searchresults-outer').first().isVisible(),
      'search results are hidden');
    await page.screenshot({ path: path.join(shots, `search-${term}.png`) });
    assert.deepEqual(problems, []);
    await page.close();
  });
}

test('diagrams render to SVG', async () => {
  const withDiagrams = htmlPages().filter((f) => f !== 'print.html'
    && fs.readFileSync(path.join(book, f), 'utf8').includes('class="mermaid"'));
  assert.ok(withDiagrams.length > 0, 'the book has no diagrams');
  for (const file of withDiagrams) {
    const { page, problems } = await open(file);
    const diagrams = page.locator('pre.mermaid, div.mermaid');
    const count = await diagrams.count();
    for (let i = 0; i < count; i++) {
      const svg = diagrams.nth(i).locator('svg').first();
      await svg.waitFor({ timeout: TIMEOUT })
        .catch(() => assert.fail(`${file}: diagram ${i + 1} of ${count} did not render to SVG`));
      // A diagram with a syntax error still renders, as mermaid's error picture.
      const broken = (await svg.getAttribute('aria-roledescription')) === 'error'
        || (await svg.textContent()).includes('Syntax error');
      assert.ok(!broken, `${file}: diagram ${i + 1} of ${count} has a mermaid syntax error`);
    }
    if (file === withDiagrams[0]) {
      await diagrams.first().scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(shots, 'diagram.png') });
    }
    assert.deepEqual(problems, [], `${file}: ${problems.join('; ')}`);
    await page.close();
  }
});

test('a check-yourself question can be answered', async () => {
  const { page, problems } = await open('tcp-echo-server.html');
  const question = page.locator('details').first();
  const answer = question.locator(':scope > :not(summary)').first();
  assert.equal(await question.getAttribute('open'), null, 'answers start folded');
  await question.locator('summary').click();
  assert.notEqual(await question.getAttribute('open'), null, 'clicking the summary unfolds the answer');
  assert.ok(await answer.isVisible(), 'the answer is visible once unfolded');
  await question.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(shots, 'check-yourself.png') });
  assert.deepEqual(problems, []);
  await page.close();
});

test('the print page loads with every chapter and no cut-off code', async () => {
  const { page, problems } = await open('print.html');
  const text = await page.locator('main').innerText();
  for (const heading of ['A TCP echo server', 'Weekly syllabus']) {
    assert.ok(text.includes(heading), `print.html lacks "${heading}"`);
  }
  await page.emulateMedia({ media: 'print' });
  // In print, code must wrap rather than scroll out of the page.
  const cut = await page.evaluate(() => [...document.querySelectorAll('pre')]
    .filter((pre) => getComputedStyle(pre).overflowX === 'scroll' || pre.scrollWidth > pre.clientWidth + 2)
    .map((pre) => pre.innerText.slice(0, 60)));
  assert.deepEqual(cut, [], `code blocks cut off in print: ${cut.join(' | ')}`);
  await page.screenshot({ path: path.join(shots, 'print.png') });
  assert.deepEqual(problems, []);
  await page.close();
});

test('screenshots of the first pages a reader sees', async () => {
  for (const file of ['index.html', 'how-to-use.html', 'tcp-echo-server.html']) {
    const { page, problems } = await open(file);
    await page.screenshot({ path: path.join(shots, file.replace('.html', '.png')) });
    assert.deepEqual(problems, [], `${file}: ${problems.join('; ')}`);
    await page.close();
  }
});
