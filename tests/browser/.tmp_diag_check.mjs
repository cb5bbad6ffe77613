import fs from 'node:fs'; import http from 'node:http'; import path from 'node:path';
import { chromium } from 'playwright-core';
const book = '/work/main/target/book/html';
const server = http.createServer((req, res) => { const u = new URL(req.url, 'http://x'); let f = path.join(book, decodeURIComponent(u.pathname));
  fs.readFile(f, (e, d) => { if (e) { res.writeHead(404).end(); return; } res.writeHead(200, {'content-type': f.endsWith('.html') ? 'text/html; charset=utf-8' : f.endsWith('.js') ? 'text/javascript' : f.endsWith('.css') ? 'text/css' : 'application/octet-stream'}).end(d); }); });
await new Promise(r => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless','--no-sandbox','--disable-gpu'] });
const pages = process.argv.slice(2);
for (const p of pages) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errs = []; page.on('console', m => { if (m.type() === 'error') errs.push(m.text()); }); page.on('pageerror', e => errs.push(e.message));
  await page.goto(`${base}/${p}`, { waitUntil: 'load' });
  const d = page.locator('pre.mermaid, div.mermaid'); const n = await d.count();
  for (let i = 0; i < n; i++) {
    await d.nth(i).locator('svg').first().waitFor({ timeout: 15000 }).catch(() => errs.push(`diagram ${i+1} no svg`));
    const txt = await d.nth(i).innerText().catch(() => '');
    if (/syntax error|parse error/i.test(txt)) errs.push(`diagram ${i+1}: ${txt.slice(0,200)}`);
    await d.nth(i).scrollIntoViewIfNeeded(); await d.nth(i).screenshot({ path: `/tmp/gl/shots/${p.replace('.html','')}-${i+1}.png` }).catch(e => errs.push('shot '+e.message));
  }
  console.log(p, n, errs.length ? errs.join(' | ') : 'ok');
  await page.close();
}
await browser.close(); server.close();
