#!/usr/bin/env node
// Retakes the README's screenshots from the real panel: docs/panel.png (the page, a denoised photo
// against its original) and docs/photopea.png (the panel in Photopea, 340 px wide, after restoring
// a selection). Runs `fluxir serve` with the shipped weights on a free port and Debian's chromium;
// Photopea is the stand-in page of the browser tests, served as https://www.photopea.com.
// Needs `npm run build` first.
const { spawn } = require('node:child_process');
const { join } = require('node:path');
const { chromium } = require('playwright-core');
const sharp = require('sharp');

const root = join(__dirname, '..', '..');
const fixtures = join(root, 'test', 'fixtures');
const photo = join(require('../dist/plugins/builtin-plugins').builtinExamples('denoise').dir, 'fruits.png');
const port = Number(process.env.PORT || 7871);
const url = `http://127.0.0.1:${port}`;

async function startHost() {
  const host = spawn(process.execPath, [join(root, 'host', 'bin', 'fluxir.js'), 'serve', '--port', String(port)], { stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) return host;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  host.kill();
  throw new Error(`the host did not start on ${url}`);
}

async function choose(panel, title) {
  const select = panel.getByLabel('Plugin');
  await select.locator('option', { hasText: title }).first().waitFor({ state: 'attached' });
  await select.selectOption((await select.locator('option', { hasText: title }).first().getAttribute('value')) ?? '');
}

/** A 256-colour PNG, as the README's images have been. */
async function save(png, file) {
  await sharp(png).png({ palette: true, colours: 256 }).toFile(join(root, 'docs', file));
  console.log(`docs/${file}`);
}

async function main() {
  const host = await startHost();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 640 } });
    await page.goto(`${url}/`);
    await choose(page, 'Denoise');
    await page.locator('.image-input input[type=file]').setInputFiles(photo);
    await page.getByRole('button', { name: 'Restore', exact: true }).click();
    await page.getByRole('status').filter({ hasText: /^Done:/ }).waitFor({ timeout: 120_000 });
    await page.locator('input[type=range]').first().evaluate((slider) => slider.blur());
    await page.evaluate(() => {
      document.activeElement?.blur();
      window.scrollTo(0, 0);
    });
    await page.mouse.move(0, 0);
    await save(await page.screenshot(), 'panel.png');

    const photopea = await browser.newPage({ viewport: { width: 1000, height: 720 } });
    await photopea.context().grantPermissions(['local-network-access'], { origin: 'https://www.photopea.com' });
    await photopea.route('https://www.photopea.com/**', (route) => {
      const { pathname } = new URL(route.request().url());
      if (pathname === '/test/photopea-harness.js') return route.fulfill({ path: join(fixtures, 'photopea-harness.js'), contentType: 'text/javascript' });
      if (pathname === '/test/fixture.png') return route.fulfill({ path: photo, contentType: 'image/png' });
      return route.fulfill({ path: join(fixtures, 'photopea-harness.html'), contentType: 'text/html' });
    });
    await photopea.goto(`https://www.photopea.com/?panel=${encodeURIComponent(`${url}/photopea`)}`);
    await photopea.locator('body[data-ready=true]').waitFor();
    await photopea.evaluate(() => (window.photopea.selection = { x: 40, y: 40, w: 176, h: 150 }));
    const panel = photopea.frameLocator('#plugin');
    await choose(panel, 'Denoise');
    // The panel is another site than the page: its own process, where only the keyboard reaches.
    await panel.getByRole('button', { name: 'Restore active document' }).press('Enter');
    await panel.getByRole('status').filter({ hasText: /^Added the layer/ }).waitFor({ timeout: 120_000 });
    // From the Restore button down: the status line and the before/after view of the selection.
    await panel.locator('.actions').evaluate((actions) => {
      document.activeElement?.blur();
      actions.scrollIntoView({ block: 'start' });
    });
    await save(await photopea.locator('#plugin').screenshot(), 'photopea.png');
  } finally {
    await browser.close();
    host.kill();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
