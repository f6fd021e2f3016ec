import * as fs from 'node:fs';
import sharp from 'sharp';
import type { Browser } from 'playwright-core';
import { panelMessages } from '../host/panel/src/panel-messages';
import { FakeEngine } from '../host/src/testing/fake-engine';
import {
  buildPanel,
  choosePlugin,
  collectPageErrors,
  DENOISE_FIXTURE,
  describeWithChromium,
  launchChromium,
  previewDigests,
  recordPreviews,
  screenshotPath,
} from './browser-harness';
import { PacedEngine, startTestServer, type TestServer } from './server-harness';

/** The stand-alone panel in chromium against a host on FakeEngine: upload, previews, result, download, cancel. */
describeWithChromium('browser: the panel', () => {
  let browser: Browser;
  beforeAll(async () => {
    buildPanel();
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  describe('restoring an image', () => {
    let host: TestServer;
    beforeAll(async () => {
      host = await startTestServer({ engine: () => new FakeEngine() });
    });
    afterAll(() => host.close());

    it('denoises an uploaded image with live previews, then offers the result for download', async () => {
      const page = await browser.newPage({ viewport: { width: 1100, height: 760 }, acceptDownloads: true });
      const errors = collectPageErrors(page);
      await page.goto(`${host.url}/`);
      await choosePlugin(page, 'Denoise');
      await page.getByLabel('Steps').fill(await page.getByLabel('Steps').getAttribute('max') ?? '8');
      await page.locator('input[type=file]').setInputFiles(DENOISE_FIXTURE);
      await page.locator('.stage img.before[src^="blob:"]').waitFor();
      await recordPreviews(page);

      await page.getByRole('button', { name: 'Restore', exact: true }).click();
      await page.getByRole('status').filter({ hasText: /^Done:/ }).waitFor({ timeout: 30_000 });

      const previews = await previewDigests(page);
      expect(previews.filter((digest) => digest.startsWith('unreadable'))).toEqual([]);
      expect(new Set(previews).size).toBeGreaterThanOrEqual(2);
      await expect(page.locator('.stage figcaption').textContent()).resolves.toMatch(/^Restored with Denoise \d+\.\d+\.\d+/);

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download result' }).click()]);
      expect(download.suggestedFilename()).toBe('fruits-denoise.png');
      const saved = screenshotPath('panel-download.png');
      await download.saveAs(saved);
      const restored = await sharp(saved).raw().toBuffer({ resolveWithObject: true });
      const original = await sharp(DENOISE_FIXTURE).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      expect([restored.info.width, restored.info.height]).toEqual([original.info.width, original.info.height]);
      expect(restored.data.equals(original.data)).toBe(false);

      // The server's own result for that job is what was downloaded.
      const jobId = await page.locator('.progress').getAttribute('data-job-id');
      const fromServer = Buffer.from(await (await fetch(`${host.url}/api/jobs/${jobId}/result`)).arrayBuffer());
      expect(fs.readFileSync(saved).equals(fromServer)).toBe(true);

      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: screenshotPath('panel-standalone.png') });
      await page.setViewportSize({ width: 320, height: 900 });
      await page.screenshot({ path: screenshotPath('panel-320.png'), fullPage: true });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBe(0);
      expect(errors).toEqual([]);
      await page.close();
    });

    it('lists every plugin with its version and describes the chosen one', async () => {
      const page = await browser.newPage();
      await page.goto(`${host.url}/`);
      await choosePlugin(page, 'Super-resolution');
      const options = await page.getByLabel('Plugin').locator('option').allTextContents();
      expect(options).toHaveLength(7);
      for (const option of options) expect(option).toMatch(/^\S.* \d+\.\d+\.\d+/);
      // Each plugin says what it does in a sentence of its own.
      const descriptions = new Set<string>();
      for (const option of options) {
        await page.getByLabel('Plugin').selectOption({ label: option });
        const description = (await page.locator('#' + (await page.getByLabel('Plugin').getAttribute('aria-describedby'))).textContent()) ?? '';
        expect(description).toMatch(/^[A-Z].{30,}\.$/);
        expect(description).not.toMatch(/^fluxir \S+ plugin$/);
        descriptions.add(description);
      }
      expect(descriptions.size).toBe(7);
      await choosePlugin(page, 'Super-resolution');
      await expect(page.getByLabel('Plugin').getAttribute('aria-describedby')).resolves.toBeTruthy();
      // superres's schema has a scale choice, built into a labelled select.
      await expect(page.getByLabel('Scale').locator('option').allTextContents()).resolves.toEqual(['×2', '×4']);
      await page.close();
    });
  });

  describe('inpainting', () => {
    let host: TestServer;
    beforeAll(async () => {
      host = await startTestServer({ engine: () => new FakeEngine() });
    });
    afterAll(() => host.close());

    it('asks for a mask, takes one painted with the brush, and fills it', async () => {
      const page = await browser.newPage({ viewport: { width: 1000, height: 760 } });
      await page.goto(`${host.url}/`);
      await choosePlugin(page, 'Inpaint');
      await page.locator('input[type=file]').setInputFiles(DENOISE_FIXTURE);
      await page.locator('.stage img.before[src^="blob:"]').waitFor();
      await page.getByRole('button', { name: 'Restore', exact: true }).click();
      await expect(page.getByRole('alert').textContent()).resolves.toBe(panelMessages.needsMask('Inpaint'));

      const box = (await page.locator('canvas.mask').boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.5, { steps: 8 });
      await page.mouse.up();
      await page.getByRole('button', { name: 'Restore', exact: true }).click();
      await page.getByRole('status').filter({ hasText: /^Done:/ }).waitFor({ timeout: 30_000 });
      await expect(page.locator('.alert').textContent()).resolves.toBe('');
      await page.close();
    });
  });

  describe('cancelling', () => {
    let host: TestServer;
    const engine = new PacedEngine(250);
    beforeAll(async () => {
      host = await startTestServer({ engine: () => engine });
    });
    afterAll(() => host.close());

    it('Cancel stops the job on the host', async () => {
      const page = await browser.newPage();
      await page.goto(`${host.url}/`);
      await choosePlugin(page, 'Denoise');
      const max = Number(await page.getByLabel('Steps').getAttribute('max'));
      await page.getByLabel('Steps').fill(String(max));
      await page.locator('input[type=file]').setInputFiles(DENOISE_FIXTURE);
      await page.getByRole('button', { name: 'Restore', exact: true }).click();
      await page
        .getByRole('status')
        .filter({ hasText: /^Step \d+ of/ })
        .waitFor({ timeout: 20_000 })
        .catch(async (error: Error) => {
          throw new Error(`${error.message}\nstatus: ${await page.locator('.status').textContent()}; alert: ${await page.locator('.alert').textContent()}`);
        });
      await page.getByRole('button', { name: 'Cancel' }).click();
      await page.getByRole('status').filter({ hasText: 'Cancelled.' }).waitFor();

      const jobId = await page.locator('.progress').getAttribute('data-job-id');
      const deadline = Date.now() + 5000;
      let status = '';
      while (Date.now() < deadline) {
        status = ((await (await fetch(`${host.url}/api/jobs/${jobId}`)).json()) as { status: string }).status;
        if (status === 'cancelled') break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(status).toBe('cancelled');
      expect(engine.requests[0].signal?.aborted).toBe(true);
      await expect(page.getByRole('button', { name: 'Restore', exact: true }).isEnabled()).resolves.toBe(true);
      await page.close();
    });
  });
});
