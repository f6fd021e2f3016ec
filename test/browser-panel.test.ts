import * as fs from 'node:fs';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { panelMessages } from '../host/panel/src/panel-messages';
import { builtinPluginIds } from '../host/src/plugins/builtin-plugins';
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

/** The panel's jobs belong to its resume key; the test reads them on the server with the admin token. */
const ADMIN_TOKEN = 'browser-admin-token';
const asAdmin = { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } };

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
      host = await startTestServer({ engine: () => new FakeEngine(), config: { adminToken: ADMIN_TOKEN } });
    });
    afterAll(() => host.close());

    it('denoises an uploaded image with live previews, then offers the result for download', async () => {
      const page = await browser.newPage({ viewport: { width: 1100, height: 760 }, acceptDownloads: true });
      const errors = collectPageErrors(page);
      await page.goto(`${host.url}/`);
      await choosePlugin(page, 'Denoise');
      await page.getByLabel('Steps').fill(await page.getByLabel('Steps').getAttribute('max') ?? '8');
      await page.locator('.image-input input[type=file]').setInputFiles(DENOISE_FIXTURE);
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
      const fromServer = Buffer.from(await (await fetch(`${host.url}/api/jobs/${jobId}/result`, asAdmin)).arrayBuffer());
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
      expect(options).toHaveLength(builtinPluginIds().length);
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
      host = await startTestServer({ engine: () => new FakeEngine(), config: { adminToken: ADMIN_TOKEN } });
    });
    afterAll(() => host.close());

    it('asks for a mask, takes one painted with the brush, and fills it', async () => {
      const page = await browser.newPage({ viewport: { width: 1000, height: 760 } });
      await page.goto(`${host.url}/`);
      await choosePlugin(page, 'Inpaint');
      await page.locator('.image-input input[type=file]').setInputFiles(DENOISE_FIXTURE);
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

  describe('the inpaint brush', () => {
    let host: TestServer;
    beforeAll(async () => {
      host = await startTestServer({ engine: () => new FakeEngine() });
    });
    afterAll(() => host.close());

    /** The mask's alpha at fractions of the image's width and height. */
    const maskAt = (page: Page, points: [number, number][]) =>
      page.evaluate((at) => {
        const canvas = document.querySelector<HTMLCanvasElement>('canvas.mask')!;
        const context = canvas.getContext('2d')!;
        return at.map(([fx, fy]) => context.getImageData(Math.floor(fx * canvas.width), Math.floor(fy * canvas.height), 1, 1).data[3]);
      }, points);

    async function stroke(page: Page, y: number, from = 0.2, to = 0.8): Promise<void> {
      const box = (await page.locator('canvas.mask').boundingBox())!;
      await page.mouse.move(box.x + box.width * from, box.y + box.height * y);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * to, box.y + box.height * y, { steps: 8 });
      await page.mouse.up();
    }

    it('paints, erases, undoes, inverts and loads a mask, with the canvas in view in a 340 px panel', async () => {
      const page = await browser.newPage({ viewport: { width: 340, height: 720 } });
      await page.goto(`${host.url}/`);
      await choosePlugin(page, 'Inpaint');
      await page.locator('.image-input input[type=file]').setInputFiles(DENOISE_FIXTURE);
      const box = (await page.locator('canvas.mask').boundingBox())!;
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.y + box.height).toBeLessThanOrEqual(720);

      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await expect(page.locator('.brush-outline').isVisible()).resolves.toBe(true);
      await stroke(page, 0.5);
      await expect(maskAt(page, [[0.5, 0.5], [0.5, 0.1]])).resolves.toEqual([255, 0]);
      await page.getByLabel('Erase').check();
      await stroke(page, 0.5, 0.4, 0.6);
      await expect(maskAt(page, [[0.5, 0.5], [0.25, 0.5]])).resolves.toEqual([0, 255]);
      await page.getByRole('button', { name: 'Undo' }).click();
      await expect(maskAt(page, [[0.5, 0.5]])).resolves.toEqual([255]);
      await page.getByRole('button', { name: 'Invert' }).click();
      await expect(maskAt(page, [[0.5, 0.5], [0.5, 0.1]])).resolves.toEqual([0, 255]);
      await page.keyboard.press('Control+z');
      await expect(maskAt(page, [[0.5, 0.5], [0.5, 0.1]])).resolves.toEqual([255, 0]);

      // A mask from a file: white on the left half.
      const half = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#000' } })
        .composite([{ input: await sharp({ create: { width: 32, height: 64, channels: 3, background: '#fff' } }).png().toBuffer(), left: 0, top: 0 }])
        .png()
        .toBuffer();
      await page.locator('fieldset.brush input[type=file]').setInputFiles({ name: 'mask.png', mimeType: 'image/png', buffer: half });
      await page.getByText(panelMessages.maskPainted()).waitFor();
      await expect(maskAt(page, [[0.25, 0.5], [0.75, 0.5]])).resolves.toEqual([255, 0]);
      await page.screenshot({ path: screenshotPath('panel-inpaint-340.png'), fullPage: true });
      await page.close();
    });

    it('steps the mask aside over the result: the fill shows, and dragging moves the divider', async () => {
      const page = await browser.newPage({ viewport: { width: 1000, height: 760 } });
      await page.goto(`${host.url}/`);
      await choosePlugin(page, 'Inpaint');
      await page.locator('.image-input input[type=file]').setInputFiles(DENOISE_FIXTURE);
      await stroke(page, 0.5);
      await page.getByRole('button', { name: 'Restore', exact: true }).click();
      await page.getByRole('status').filter({ hasText: /^Done:/ }).waitFor({ timeout: 30_000 });
      await expect(page.locator('canvas.mask').isVisible()).resolves.toBe(false);
      const frame = (await page.locator('.frame').boundingBox())!;
      await page.mouse.move(frame.x + frame.width * 0.5, frame.y + frame.height * 0.3);
      await page.mouse.down();
      await page.mouse.move(frame.x + frame.width * 0.8, frame.y + frame.height * 0.3, { steps: 5 });
      await page.mouse.up();
      await expect(page.getByLabel('Before / after').inputValue()).resolves.toBe('80');
      await expect(maskAt(page, [[0.65, 0.3]])).resolves.toEqual([0]);
      await page.getByRole('button', { name: 'Edit mask' }).click();
      await expect(page.locator('canvas.mask').isVisible()).resolves.toBe(true);
      await expect(page.getByLabel('Before / after').isVisible()).resolves.toBe(false);
      await page.close();
    });
  });

  describe('a one-step job on the real engine', () => {
    let host: TestServer;
    beforeAll(async () => {
      host = await startTestServer({ engine: 'real' });
    }, 60_000);
    afterAll(() => host.close());

    it('shows previews as the tiles of its only step finish', async () => {
      const page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
      await page.goto(`${host.url}/`);
      await choosePlugin(page, 'Denoise');
      await page.getByLabel('Steps').fill('1');
      // 1600 x 1000: several tiles of at most 576 px.
      const large = await sharp(DENOISE_FIXTURE).removeAlpha().resize(1600, 1000).png().toBuffer();
      await page.locator('.image-input input[type=file]').setInputFiles({ name: 'large.png', mimeType: 'image/png', buffer: large });
      await page.locator('.stage img.before[src^="blob:"]').waitFor();
      await recordPreviews(page);
      await page.evaluate(() => {
        const target = window as unknown as { captions: string[] };
        target.captions = [];
        const caption = document.querySelector('.stage figcaption')!;
        new MutationObserver(() => target.captions.push(caption.textContent ?? '')).observe(caption, { childList: true, characterData: true, subtree: true });
      });
      await page.getByRole('button', { name: 'Restore', exact: true }).click();
      await page.getByRole('status').filter({ hasText: /^Done:/ }).waitFor({ timeout: 120_000 });
      const captions = await page.evaluate(() => (window as unknown as { captions: string[] }).captions);
      expect(captions.some((caption) => /^Preview: \d+ of \d+ tiles of step 1 of 1 restored$/.test(caption))).toBe(true);
      const previews = await previewDigests(page);
      expect(new Set(previews).size).toBeGreaterThanOrEqual(2);
      await page.close();
    }, 150_000);
  });

  describe('cancelling', () => {
    let host: TestServer;
    const engine = new PacedEngine(250);
    beforeAll(async () => {
      host = await startTestServer({ engine: () => engine, config: { adminToken: ADMIN_TOKEN } });
    });
    afterAll(() => host.close());

    it('Cancel stops the job on the host', async () => {
      const page = await browser.newPage();
      await page.goto(`${host.url}/`);
      await choosePlugin(page, 'Denoise');
      const max = Number(await page.getByLabel('Steps').getAttribute('max'));
      await page.getByLabel('Steps').fill(String(max));
      await page.locator('.image-input input[type=file]').setInputFiles(DENOISE_FIXTURE);
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
        status = ((await (await fetch(`${host.url}/api/jobs/${jobId}`, asAdmin)).json()) as { status: string }).status;
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
