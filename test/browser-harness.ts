import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { builtinExamples } from '../host/src/plugins/builtin-plugins';
import { requireTool } from './required-tools';

/** Debian's chromium; scripts/test.sh (npm run test:all) installs it. */
export const CHROMIUM = '/usr/bin/chromium';
export const ROOT = path.resolve(__dirname, '..');
export const SCREENSHOTS = path.join(ROOT, 'out', 'screenshots');
export const DENOISE_FIXTURE = path.join(builtinExamples('denoise').dir, 'fruits.png');

/** `describe` for tests that drive chromium; they fail, saying how to install it, where it is absent. */
export function describeWithChromium(name: string, body: () => void): void {
  requireTool(fs.existsSync(CHROMIUM), `the browser tests need ${CHROMIUM} (apt-get install -y chromium, or npm run test:all, which installs it)`);
  describe(name, body);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Bundles the panel from its current sources (esbuild, about a second). */
export function buildPanel(): void {
  execFileSync(process.execPath, [path.join(ROOT, 'host', 'panel', 'build.js')], { stdio: 'pipe' });
}

/** Fails the test on any error the page logs or throws. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return errors;
}

/** Records the bytes of every preview the panel shows (hashed), as they are shown. */
export async function recordPreviews(page: Page): Promise<void> {
  await page.evaluate(() => {
    const target = window as unknown as { previewDigests: string[] };
    target.previewDigests = [];
    const after = document.querySelector<HTMLImageElement>('.stage img.after');
    if (!after) throw new Error('no compare view');
    new MutationObserver(() => {
      if (!after.alt.startsWith('Preview') || !after.src) return;
      void fetch(after.src)
        .then((response) => response.arrayBuffer())
        .then((bytes) => crypto.subtle.digest('SHA-256', bytes))
        .then((digest) => target.previewDigests.push(Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('')))
        .catch((error: unknown) => target.previewDigests.push(`unreadable: ${String(error)}`));
    }).observe(after, { attributes: true, attributeFilter: ['src'] });
  });
}

export function previewDigests(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { previewDigests: string[] }).previewDigests);
}

/** Chooses a plugin in the panel's picker by its title (option text "Title version"). */
export async function choosePlugin(panel: { getByLabel(text: string): Locator }, title: string): Promise<void> {
  const select = panel.getByLabel('Plugin');
  await select.locator('option', { hasText: title }).first().waitFor({ state: 'attached' });
  const value = await select.locator('option', { hasText: title }).first().getAttribute('value');
  await select.selectOption(value ?? '');
}

export function screenshotPath(name: string): string {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  return path.join(SCREENSHOTS, name);
}

export const PHOTOPEA_ORIGIN = 'https://www.photopea.com';
const FIXTURES = path.join(__dirname, 'fixtures');

/**
 * Serves the Photopea stand-in (fixtures/photopea-harness.*) as https://www.photopea.com in this
 * page, framing the panel at `panelUrl`. Chrome blocks a public https page from framing a local
 * address unless the user allows local network access; `allowLocalNetwork` grants it, as a user
 * who answers Chrome's prompt with Allow.
 */
export async function openPhotopeaStandIn(page: Page, panelUrl: string, options: { allowLocalNetwork?: boolean } = {}): Promise<void> {
  if (options.allowLocalNetwork !== false) {
    await page.context().grantPermissions(['local-network-access'], { origin: PHOTOPEA_ORIGIN });
  }
  await page.route(`${PHOTOPEA_ORIGIN}/**`, (route) => {
    const { pathname } = new URL(route.request().url());
    if (pathname === '/test/photopea-harness.js') return route.fulfill({ path: path.join(FIXTURES, 'photopea-harness.js'), contentType: 'text/javascript' });
    if (pathname === '/test/fixture.png') return route.fulfill({ path: DENOISE_FIXTURE, contentType: 'image/png' });
    return route.fulfill({ path: path.join(FIXTURES, 'photopea-harness.html'), contentType: 'text/html' });
  });
  await page.goto(`${PHOTOPEA_ORIGIN}/?panel=${encodeURIComponent(panelUrl)}`);
  await page.locator('body[data-ready=true]').waitFor();
}

/**
 * Presses a button inside the panel's frame from the keyboard: the panel is on another site than
 * the https stand-in, so it runs in its own process, where playwright's pointer clicks never land.
 */
export function press(button: Locator): Promise<void> {
  return button.press('Enter');
}
