import * as path from 'node:path';
import type { Express } from 'express';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { HttpRouteContribution } from '../host/src/common/http-route-contribution';
import { panelMessages } from '../host/panel/src/panel-messages';
import { FakeEngine } from '../host/src/testing/fake-engine';
import { buildPanel, choosePlugin, collectPageErrors, DENOISE_FIXTURE, describeWithChromium, launchChromium, screenshotPath } from './browser-harness';
import { startTestServer, type TestServer } from './server-harness';

/** The panel's jobs belong to its resume key; the test reads them on the server with the admin token. */
const ADMIN_TOKEN = 'browser-admin-token';
const asAdmin = { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } };

const FIXTURES = path.join(__dirname, 'fixtures');

/** Serves the Photopea stand-in page (fixtures/photopea-harness.*) and its document from the host's origin. */
const engine = new FakeEngine();

const photopeaStandIn: HttpRouteContribution = {
  name: 'photopea stand-in',
  mount(app: Express) {
    // The stand-in runs the plugin's scripts with new Function, as Photopea runs them.
    const csp = "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:";
    app.get('/test/photopea', (_req, res) => {
      res.set('Content-Security-Policy', csp).sendFile(path.join(FIXTURES, 'photopea-harness.html'));
    });
    app.get('/test/photopea-harness.js', (_req, res) => {
      res.set('Content-Security-Policy', csp).sendFile(path.join(FIXTURES, 'photopea-harness.js'));
    });
    app.get('/test/fixture.png', (_req, res) => res.sendFile(DENOISE_FIXTURE));
  },
};

interface Recorded {
  readonly scripts: string[];
  readonly opens: { url: string; as: unknown; asSmart: unknown }[];
  readonly errors: string[];
  readonly layers: { name: string; visible: boolean }[];
}

/** What the stand-in recorded (its layers as names and visibility). */
function recordedBy(page: Page): Promise<Recorded> {
  return page.evaluate(() => {
    const record = (window as unknown as { photopea: Recorded }).photopea;
    const { scripts, opens, errors } = record;
    return { scripts, opens, errors, layers: record.layers.map(({ name, visible }) => ({ name, visible })) };
  });
}

describeWithChromium('browser: the panel in Photopea', () => {
  let browser: Browser;
  let host: TestServer;
  beforeAll(async () => {
    buildPanel();
    browser = await launchChromium();
    host = await startTestServer({
      engine: () => engine,
      config: { adminToken: ADMIN_TOKEN },
      setup: (container) => container.bind<HttpRouteContribution>(HttpRouteContribution).toConstantValue(photopeaStandIn),
    });
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
  });

  it('serves Photopea configuration registering /photopea, and the link that opens Photopea with it', async () => {
    const config = (await (await fetch(`${host.url}/photopea/config`)).json()) as { environment: { plugins: Record<string, unknown>[] } };
    expect(config.environment.plugins).toEqual([
      { name: 'fluxir', url: `${host.url}/photopea`, width: 340, height: 720, icon: `===${host.url}/assets/icon.png` },
    ]);
    const link = (await (await fetch(`${host.url}/photopea/link`)).text()).trim();
    expect(link.startsWith('https://www.photopea.com#')).toBe(true);
    expect(JSON.parse(decodeURIComponent(link.slice('https://www.photopea.com#'.length)))).toEqual(config);
    const icon = await fetch(`${host.url}/assets/icon.png`);
    expect(icon.headers.get('content-type')).toBe('image/png');
  });

  it('Restore takes the active document and adds the result as a layer named after the plugin', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 740 } });
    const errors = collectPageErrors(page);
    await page.goto(`${host.url}/test/photopea`);
    await page.locator('body[data-ready=true]').waitFor();
    const panel = page.frameLocator('#plugin');
    await choosePlugin(panel, 'Denoise');
    await panel.getByRole('button', { name: 'Restore active document' }).click();
    await panel.getByRole('status').filter({ hasText: /^Added the layer/ }).waitFor({ timeout: 30_000 });

    const recorded = await recordedBy(page);
    expect(recorded.errors).toEqual([]);
    expect(recorded.opens).toHaveLength(1);
    const [open] = recorded.opens;
    expect(open.as).toBeNull();
    expect(open.asSmart).toBe(true);
    const match = /^data:image\/png;base64,(.+)$/.exec(open.url);
    expect(match).not.toBeNull();
    const layerPng = Buffer.from(match![1], 'base64');

    const jobId = await panel.locator('.progress').getAttribute('data-job-id');
    const serverPng = Buffer.from(await (await fetch(`${host.url}/api/jobs/${jobId}/result`, asAdmin)).arrayBuffer());
    const layer = await sharp(layerPng).raw().toBuffer({ resolveWithObject: true });
    const expected = await sharp(serverPng).raw().toBuffer({ resolveWithObject: true });
    expect(layer.info).toEqual(expected.info);
    expect(layer.data.equals(expected.data)).toBe(true);

    // Named after the plugin and its version, on the layer Photopea added.
    const version = (await panel.getByLabel('Plugin').locator('option:checked').textContent())!.replace('Denoise ', '');
    expect(recorded.layers[0].name).toBe(`Denoise ${version}`);
    expect(recorded.scripts.some((script) => script.includes('app.activeDocument.saveToOE("png")'))).toBe(true);

    await page.screenshot({ path: screenshotPath('photopea-harness.png') });
    await page.locator('#plugin').screenshot({ path: screenshotPath('panel-photopea.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('inpaints the selection: the selection is the mask, the layers are left as they were', async () => {
    const page = await browser.newPage();
    await page.goto(`${host.url}/test/photopea`);
    await page.locator('body[data-ready=true]').waitFor();
    const panel = page.frameLocator('#plugin');
    await choosePlugin(panel, 'Inpaint');
    await expect(panel.getByText('fills the current selection').count()).resolves.toBe(1);
    await panel.getByRole('button', { name: 'Restore active document' }).click();
    await expect(panel.getByRole('alert').textContent()).resolves.toBe(panelMessages.needsSelection('Inpaint'));

    await page.evaluate(() => ((window as unknown as { photopea: { selection: object } }).photopea.selection = { x: 64, y: 96, w: 128, h: 32 }));
    const before = engine.requests.length;
    await panel.getByRole('button', { name: 'Restore active document' }).click();
    await panel.getByRole('status').filter({ hasText: /^Added the layer/ }).waitFor({ timeout: 30_000 });
    const mask = engine.requests[before].input.mask!;
    expect([mask.width, mask.height]).toEqual([256, 256]);
    let inside = 0;
    let outside = 0;
    for (let y = 0; y < 256; y++) {
      for (let x = 0; x < 256; x++) {
        const set = mask.data[y * 256 + x] > 0.5;
        if (x >= 64 && x < 192 && y >= 96 && y < 128) inside += set ? 1 : 0;
        else outside += set ? 1 : 0;
      }
    }
    expect(inside).toBe(128 * 32);
    expect(outside).toBe(0);
    const recorded = await recordedBy(page);
    expect(recorded.errors).toEqual([]);
    expect(recorded.layers).toEqual([
      { name: expect.stringMatching(/^Inpaint \d+\.\d+\.\d+$/), visible: true },
      { name: 'Background', visible: true },
    ]);
    await page.close();
  });

  it('refuses a document over the host’s pixel limit, saying both sizes, before exporting it', async () => {
    const small = await startTestServer({
      engine: () => new FakeEngine(),
      limits: { maxPixels: 40_000 },
      setup: (container) => container.bind<HttpRouteContribution>(HttpRouteContribution).toConstantValue(photopeaStandIn),
    });
    const page = await browser.newPage();
    try {
      await page.goto(`${small.url}/test/photopea`);
      await page.locator('body[data-ready=true]').waitFor();
      const panel = page.frameLocator('#plugin');
      await expect(panel.locator('section').filter({ hasText: 'Restores the active document' }).textContent()).resolves.toContain('up to 40,000 pixels');
      await choosePlugin(panel, 'Denoise');
      await panel.getByRole('button', { name: 'Restore active document' }).click();
      await expect(panel.getByRole('alert').textContent()).resolves.toBe(panelMessages.documentTooManyPixels(256, 256, 40_000));
      expect(panelMessages.documentTooManyPixels(256, 256, 40_000)).toContain('256×256 (65,536 pixels); this host takes up to 40,000 pixels');
      const recorded = await recordedBy(page);
      expect(recorded.scripts.some((script) => script.includes('saveToOE'))).toBe(false);
      await expect(panel.getByRole('button', { name: 'Restore active document' }).isEnabled()).resolves.toBe(true);
    } finally {
      await page.close();
      await small.close();
    }
  });

  it('takes replies only from Photopea: messages from other windows are ignored', async () => {
    const page = await browser.newPage();
    await page.goto(`${host.url}/test/photopea`);
    await page.locator('body[data-ready=true]').waitFor();
    await page.evaluate(() => ((window as unknown as { photopea: { replyDelayMs: number } }).photopea.replyDelayMs = 150));
    const panel = page.frameLocator('#plugin');
    await choosePlugin(panel, 'Denoise');
    await panel.getByRole('button', { name: 'Restore active document' }).click();
    // While Photopea answers slowly, the panel's own window posts a "done" and a tiny PNG.
    const frame = page.frames().find((candidate) => candidate.url().endsWith('/photopea'))!;
    const tinyPng = [...(await sharp({ create: { width: 8, height: 8, channels: 3, background: '#f00' } }).png().toBuffer())];
    await frame.evaluate((bytes) => {
      const timer = setInterval(() => {
        window.postMessage('done', '*');
        window.postMessage(new Uint8Array(bytes).buffer, '*');
      }, 20);
      setTimeout(() => clearInterval(timer), 3000);
    }, tinyPng);
    await panel.getByRole('status').filter({ hasText: /^Added the layer/ }).waitFor({ timeout: 30_000 });
    const recorded = await recordedBy(page);
    const layer = await sharp(Buffer.from(recorded.opens[0].url.split(',')[1], 'base64')).metadata();
    expect([layer.width, layer.height]).toEqual([256, 256]);
    await page.close();
  });
});
