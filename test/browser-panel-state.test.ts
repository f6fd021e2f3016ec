import * as path from 'node:path';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { panelMessages } from '../host/panel/src/panel-messages';
import { builtinExamples } from '../host/src/plugins/builtin-plugins';
import { FakeEngine } from '../host/src/testing/fake-engine';
import { buildPanel, choosePlugin, DENOISE_FIXTURE, describeWithChromium, launchChromium, screenshotPath } from './browser-harness';
import { PacedEngine, pngImage, request, startTestServer, type TestServer } from './server-harness';

const OTHER_IMAGE = path.join(builtinExamples('superres').dir, 'fruits.png');

/** Starts a long Denoise job (the plugin's most steps) on the fixture and waits until it runs. */
async function startLongJob(page: Page): Promise<void> {
  await choosePlugin(page, 'Denoise');
  await page.getByLabel('Steps').fill((await page.getByLabel('Steps').getAttribute('max')) ?? '32');
  await page.locator('.image-input input[type=file]').setInputFiles(DENOISE_FIXTURE);
  await page.locator('.stage img.before[src^="blob:"]').waitFor();
  await page.getByRole('button', { name: 'Restore', exact: true }).click();
  await page.getByRole('status').filter({ hasText: /^Step \d+ of/ }).waitFor({ timeout: 20_000 });
}

/** The panel's state through a job: what may change while it runs, reloads, restarts and tokens. */
describeWithChromium('browser: the panel keeps its state straight', () => {
  let browser: Browser;
  let host: TestServer;
  const engine = new PacedEngine(150);
  beforeAll(async () => {
    buildPanel();
    browser = await launchChromium();
    host = await startTestServer({ engine: () => engine });
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
  });

  it('refuses a new image while a job runs, so the result and its name stay with their original', async () => {
    const page = await browser.newPage({ acceptDownloads: true });
    await page.goto(`${host.url}/`);
    await startLongJob(page);
    const before = await page.locator('.stage img.before').getAttribute('src');
    await expect(page.getByRole('button', { name: 'Open image…' }).isDisabled()).resolves.toBe(true);
    // A drop (or paste) still reaches the panel: it is refused, saying why.
    await page.evaluate(async () => {
      const bytes = await (await fetch(document.querySelector<HTMLImageElement>('.stage img.before')!.src)).blob();
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], 'other.png', { type: 'image/png' }));
      document.getElementById('app')!.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    });
    await expect(page.getByRole('alert').textContent()).resolves.toBe(panelMessages.busyOpening());
    await expect(page.locator('.stage img.before').getAttribute('src')).resolves.toBe(before);
    await page.getByRole('status').filter({ hasText: /^Done:/ }).waitFor({ timeout: 30_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download result' }).click()]);
    expect(download.suggestedFilename()).toBe('fruits-denoise.png');
    await expect(page.getByRole('button', { name: 'Open image…' }).isDisabled()).resolves.toBe(false);
    await page.close();
  });

  it('clears a “not an image” error once a good image is open', async () => {
    const page = await browser.newPage();
    await page.goto(`${host.url}/`);
    await page.locator('.image-input input[type=file]').setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('not a picture') });
    await expect(page.getByRole('alert').textContent()).resolves.toBe(panelMessages.notAnImage('notes.png'));
    await page.locator('.image-input input[type=file]').setInputFiles(OTHER_IMAGE);
    await page.locator('.stage img.before[src^="blob:"]').waitFor();
    await expect(page.locator('.alert').textContent()).resolves.toBe('');
    await page.close();
  });

  it('opens TIFF from the file picker and restores it', async () => {
    const page = await browser.newPage();
    await page.goto(`${host.url}/`);
    expect(await page.locator('.image-input input[type=file]').getAttribute('accept')).toContain('image/tiff');
    const tiff = await sharp(DENOISE_FIXTURE).removeAlpha().tiff().toBuffer();
    await choosePlugin(page, 'Denoise');
    await page.locator('.image-input input[type=file]').setInputFiles({ name: 'scan.tif', mimeType: 'image/tiff', buffer: tiff });
    await page.locator('.stage .empty').filter({ hasText: panelMessages.tiffNotShown('scan.tif', 256, 256) }).waitFor();
    await page.getByRole('button', { name: 'Restore', exact: true }).click();
    await page.getByRole('status').filter({ hasText: /^Done: 256×256/ }).waitFor({ timeout: 30_000 });
    await expect(page.locator('.alert').textContent()).resolves.toBe('');
    await page.close();
  });

  it('re-attaches to its job after a reload, keeping the original, and finishes it', async () => {
    const page = await browser.newPage();
    await page.goto(`${host.url}/`);
    const submitted = engine.requests.length;
    await startLongJob(page);
    const jobId = await page.locator('.progress').getAttribute('data-job-id');
    await page.reload();
    await page.getByRole('status').filter({ hasText: /^Step \d+ of/ }).waitFor({ timeout: 20_000 }).catch(async (error: Error) => {
      const state = await page.evaluate(() => ({ status: document.querySelector('.status')?.textContent, alert: document.querySelector('.alert')?.textContent, stored: { ...sessionStorage } }));
      throw new Error(`${error.message}\n${JSON.stringify(state).slice(0, 600)}`);
    });
    await expect(page.locator('.progress').getAttribute('data-job-id')).resolves.toBe(jobId);
    await page.locator('.stage img.before[src^="blob:"]').waitFor();
    await expect(page.getByRole('button', { name: 'Cancel' }).isVisible()).resolves.toBe(true);
    await page.getByRole('status').filter({ hasText: /^Done:/ }).waitFor({ timeout: 30_000 });
    await expect(page.getByRole('link', { name: 'Download result' }).isVisible()).resolves.toBe(true);
    expect(engine.requests.length).toBe(submitted + 1);
    await page.close();
  });

  it('says the host lost the job when it no longer has it (a restart), not the host’s raw error', async () => {
    const page = await browser.newPage();
    await page.goto(`${host.url}/`);
    // Once the panel has looked for a job to follow (after its plugin list), a job id it cannot know.
    await page.getByLabel('Plugin').locator('option', { hasText: 'Denoise' }).waitFor({ state: 'attached' });
    await page.evaluate(() =>
      sessionStorage.setItem('fluxir.panel.job', JSON.stringify({ jobId: '6f0b7c1e-0000-4000-8000-000000000000', pluginId: 'denoise', name: 'fruits.png' })),
    );
    await page.reload();
    await expect(page.getByRole('alert').filter({ hasText: /./ }).textContent()).resolves.toBe(panelMessages.jobGone());
    await expect(page.locator('.alert').textContent()).resolves.not.toContain('E_NOT_FOUND');
    await page.close();
  });

  it('says the host lost the job when the host restarts under a running job', async () => {
    const first = await startTestServer({ engine: () => new PacedEngine(150) });
    const port = Number(new URL(first.url).port);
    const page = await browser.newPage();
    let second: TestServer | undefined;
    try {
      await page.goto(`${first.url}/`);
      await startLongJob(page);
      // The host goes away at once (no shutdown notice reaches the panel) and comes back empty.
      first.server.io.engine.close();
      await first.close();
      // The panel has seen the host go before the new one listens, so it cannot reach the old one again.
      await page.locator('.connection').filter({ hasText: /Reconnecting|Offline/ }).waitFor({ timeout: 20_000 });
      second = await startTestServer({ engine: () => new FakeEngine(), port });
      await page.getByRole('alert').filter({ hasText: /./ }).waitFor({ timeout: 30_000 });
      await expect(page.locator('.alert').textContent()).resolves.toBe(panelMessages.jobGone());
      await expect(page.getByRole('button', { name: 'Restore', exact: true }).isEnabled()).resolves.toBe(true);
    } finally {
      await page.close();
      await second?.close();
    }
  });

  it('counts the jobs running for other clients among those ahead of its own', async () => {
    // Two other editors, one job each: one runs, the other waits (the queue takes turns by client).
    const others = [await host.connect(), await host.connect()];
    const page = await browser.newPage();
    try {
      await page.goto(`${host.url}/`);
      await choosePlugin(page, 'Denoise');
      await page.locator('.image-input input[type=file]').setInputFiles(DENOISE_FIXTURE);
      await page.locator('.stage img.before[src^="blob:"]').waitFor();
      for (const other of others) {
        const ack = await request(other, 'job:submit', { plugin: 'denoise', image: await pngImage(64, 64), steps: 20 });
        expect(ack.ok).toBe(true);
      }
      await page.getByRole('button', { name: 'Restore', exact: true }).click();
      await page.getByRole('status').filter({ hasText: panelMessages.waiting(2, 1) }).waitFor({ timeout: 5_000 });
      expect(panelMessages.waiting(2, 1)).toBe('Waiting: 2 jobs ahead (1 running, 1 queued).');
      await page.getByRole('status').filter({ hasText: panelMessages.waiting(1, 1) }).waitFor({ timeout: 10_000 });
      await page.getByRole('status').filter({ hasText: /^Done:/ }).waitFor({ timeout: 30_000 });
    } finally {
      for (const other of others) other.disconnect();
      await page.close();
    }
  });

  it('takes its token from #token=, then removes it from the address', async () => {
    const guarded = await startTestServer({ engine: () => new FakeEngine(), config: { token: 'team-secret-1' } });
    const page = await browser.newPage();
    try {
      await page.goto(`${guarded.url}/#token=team-secret-1`);
      await page.getByLabel('Plugin').locator('option', { hasText: 'Denoise' }).waitFor({ state: 'attached' });
      expect(page.url()).toBe(`${guarded.url}/`);
      await page.reload();
      await page.getByLabel('Plugin').locator('option', { hasText: 'Denoise' }).waitFor({ state: 'attached' });
      await page.goto(`${guarded.url}/?token=team-secret-1`);
      await page.evaluate(() => sessionStorage.clear());
      await page.reload();
      await expect(page.getByRole('alert').filter({ hasText: /./ }).textContent()).resolves.toBe(panelMessages.needsToken());
      await page.screenshot({ path: screenshotPath('panel-token.png') });
    } finally {
      await page.close();
      await guarded.close();
    }
  });
});
