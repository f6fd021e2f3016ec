import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { FakeEngine } from '../host/src/testing/fake-engine';
import { buildPanel, choosePlugin, DENOISE_FIXTURE, describeWithChromium, launchChromium } from './browser-harness';
import { PacedEngine, startTestServer, type TestServer } from './server-harness';

/** Opens the fixture for Denoise and waits until it shows. */
async function openFixture(page: Page): Promise<void> {
  await choosePlugin(page, 'Denoise');
  await page.locator('.image-input input[type=file]').setInputFiles(DENOISE_FIXTURE);
  await page.locator('.stage img.before[src^="blob:"]').waitFor();
}

async function restoreAndWait(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Restore', exact: true }).click();
  await page.getByRole('status').filter({ hasText: /^Done:/ }).waitFor({ timeout: 30_000 });
}

/** The bytes behind an element's blob: URL attribute. */
function bytesOf(page: Page, selector: string, attribute: 'src' | 'href'): Promise<Buffer> {
  return page
    .evaluate(
      async ([css, name]) => {
        const url = document.querySelector(css)!.getAttribute(name)!;
        return [...new Uint8Array(await (await fetch(url)).arrayBuffer())];
      },
      [selector, attribute] as const,
    )
    .then((bytes) => Buffer.from(bytes));
}

/** What the editors people compare fluxir with offer: view controls, strength, history, seed, format, shortcuts, help, theme. */
describeWithChromium('browser: the panel’s working tools', () => {
  let browser: Browser;
  let host: TestServer;
  const engine = new FakeEngine();
  beforeAll(async () => {
    buildPanel();
    browser = await launchChromium();
    host = await startTestServer({ engine: () => engine });
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
  });

  it('zooms to 1:1 and back to fit, and shows the original while “Original” is held', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
    await page.goto(`${host.url}/`);
    await openFixture(page);
    await restoreAndWait(page);
    const fitWidth = (await page.locator('.frame').boundingBox())!.width;
    expect(fitWidth).toBeGreaterThan(256);
    await page.getByRole('button', { name: 'Actual pixels (1:1)' }).click();
    expect((await page.locator('.frame').boundingBox())!.width).toBeCloseTo(256, 0);
    await expect(page.locator('.zoom-readout').textContent()).resolves.toBe('100%');
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await expect(page.locator('.zoom-readout').textContent()).resolves.toBe('150%');
    expect((await page.locator('.frame').boundingBox())!.width).toBeCloseTo(384, 0);
    await page.getByRole('button', { name: 'Fit to the panel' }).click();
    expect((await page.locator('.frame').boundingBox())!.width).toBeCloseTo(fitWidth, 0);

    const hold = page.getByRole('button', { name: 'Hold to see the original' });
    const box = (await hold.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await expect(page.locator('.stage img.after').evaluate((img) => getComputedStyle(img).visibility)).resolves.toBe('hidden');
    await page.mouse.up();
    await expect(page.locator('.stage img.after').evaluate((img) => getComputedStyle(img).visibility)).resolves.toBe('visible');
    await page.close();
  });

  it('blends the result with the original at the chosen strength, and keeps a history to go back in', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
    await page.goto(`${host.url}/`);
    await openFixture(page);
    await restoreAndWait(page);
    const full = await sharp(await bytesOf(page, '.stage img.after', 'src')).removeAlpha().raw().toBuffer();
    await page.getByLabel('Strength').fill('50');
    await page.locator('.stage figcaption').filter({ hasText: 'at 50% strength' }).waitFor();
    const half = await sharp(await bytesOf(page, 'a.button[download]', 'href')).removeAlpha().raw().toBuffer();
    const original = await sharp(DENOISE_FIXTURE).removeAlpha().raw().toBuffer();
    let off = 0;
    for (let i = 0; i < half.length; i++) if (Math.abs(half[i] - (original[i] + full[i]) / 2) > 2) off++;
    expect(off).toBe(0);

    const first = await bytesOf(page, '.stage img.after', 'src');
    await page.getByLabel('Steps').fill('3');
    await restoreAndWait(page);
    await expect(page.getByLabel('Results').locator('option').count()).resolves.toBe(2);
    const second = await bytesOf(page, '.stage img.after', 'src');
    expect(second.equals(first)).toBe(false);
    await page.getByRole('button', { name: 'Undo result' }).click();
    await expect(page.getByLabel('Results').locator('option').count()).resolves.toBe(1);
    await expect(bytesOf(page, '.stage img.after', 'src')).resolves.toEqual(first);
    await expect(bytesOf(page, 'a.button[download]', 'href')).resolves.toEqual(first);
    await expect(page.locator('.stage figcaption').textContent()).resolves.toContain('at 50% strength');
    await page.close();
  });

  it('sends the seed and the result format, and names the download after the format', async () => {
    const page = await browser.newPage({ acceptDownloads: true });
    await page.goto(`${host.url}/`);
    await openFixture(page);
    await page.getByLabel('Result format').selectOption('image/webp');
    await page.getByLabel('Seed').fill('7');
    await restoreAndWait(page);
    expect(engine.requests[engine.requests.length - 1].seed).toBe(7);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download result' }).click()]);
    expect(download.suggestedFilename()).toBe('fruits-denoise.webp');
    await page.close();
  });

  it('restores with Ctrl+Enter and cancels with Esc', async () => {
    const paced = await startTestServer({ engine: () => new PacedEngine(200) });
    const page = await browser.newPage();
    try {
      await page.goto(`${paced.url}/`);
      await openFixture(page);
      await page.getByLabel('Steps').fill('20');
      await page.keyboard.press('Control+Enter');
      await page.getByRole('status').filter({ hasText: /^Step \d+ of/ }).waitFor({ timeout: 20_000 });
      await page.keyboard.press('Escape');
      await page.getByRole('status').filter({ hasText: 'Cancelled.' }).waitFor();
    } finally {
      await page.close();
      await paced.close();
    }
  });

  it('explains each task on request, and takes Photopea’s dark colours inside Photopea', async () => {
    const page = await browser.newPage();
    await page.goto(`${host.url}/`);
    await choosePlugin(page, 'Inpaint');
    await page.getByText('About Inpaint').click();
    await expect(page.locator('.task-help p').textContent()).resolves.toMatch(/^Paint \(or select, in Photopea\)/);
    await choosePlugin(page, 'Super-resolution');
    await expect(page.locator('.task-help summary').textContent()).resolves.toBe('About Super-resolution');
    await page.goto(`${host.url}/photopea`);
    await expect(page.evaluate(() => getComputedStyle(document.body).backgroundColor)).resolves.toBe('rgb(47, 47, 47)');
    await page.close();
  });
});
