import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { panelMessages } from '../host/panel/src/panel-messages';
import { FakeEngine } from '../host/src/testing/fake-engine';
import { buildPanel, choosePlugin, collectPageErrors, DENOISE_FIXTURE, describeWithChromium, launchChromium, openPhotopeaStandIn, press, screenshotPath } from './browser-harness';
import { startTestServer, type TestServer } from './server-harness';

/** The panel's jobs belong to its resume key; the test reads them on the server with the admin token. */
const ADMIN_TOKEN = 'browser-admin-token';
const asAdmin = { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } };

const engine = new FakeEngine();

interface Recorded {
  readonly scripts: string[];
  readonly opens: { url: string; as: unknown; asSmart: unknown; arguments: number }[];
  readonly documents: { width: number; height: number }[];
  readonly errors: string[];
  readonly layers: { name: string; visible: boolean }[];
}

/** What the stand-in recorded (its layers as names and visibility). */
function recordedBy(page: Page): Promise<Recorded> {
  return page.evaluate(() => {
    const record = (window as unknown as { photopea: Recorded }).photopea;
    const { scripts, opens, errors } = record;
    const documents = record.documents.map(({ width, height }) => ({ width, height }));
    return { scripts, opens, errors, documents, layers: record.layers.map(({ name, visible }) => ({ name, visible })) };
  });
}

describeWithChromium('browser: the panel in Photopea', () => {
  let browser: Browser;
  let host: TestServer;
  beforeAll(async () => {
    buildPanel();
    browser = await launchChromium();
    host = await startTestServer({ engine: () => engine, config: { adminToken: ADMIN_TOKEN } });
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
    await openPhotopeaStandIn(page, `${host.url}/photopea`);
    const panel = page.frameLocator('#plugin');
    await choosePlugin(panel, 'Denoise');
    await press(panel.getByRole('button', { name: 'Restore active document' }));
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
    await openPhotopeaStandIn(page, `${host.url}/photopea`);
    const panel = page.frameLocator('#plugin');
    await choosePlugin(panel, 'Inpaint');
    await expect(panel.getByText('fills the current selection').count()).resolves.toBe(1);
    await press(panel.getByRole('button', { name: 'Restore active document' }));
    await expect(panel.getByRole('alert').textContent()).resolves.toBe(panelMessages.needsSelection('Inpaint'));

    await page.evaluate(() => ((window as unknown as { photopea: { selection: object } }).photopea.selection = { x: 64, y: 96, w: 128, h: 32 }));
    const before = engine.requests.length;
    await press(panel.getByRole('button', { name: 'Restore active document' }));
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
    });
    const page = await browser.newPage();
    try {
      await openPhotopeaStandIn(page, `${small.url}/photopea`);
      const panel = page.frameLocator('#plugin');
      await expect(panel.locator('section').filter({ hasText: 'Restores the active document' }).textContent()).resolves.toContain('up to 40,000 pixels');
      await choosePlugin(panel, 'Denoise');
      await press(panel.getByRole('button', { name: 'Restore active document' }));
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
    await openPhotopeaStandIn(page, `${host.url}/photopea`);
    await page.evaluate(() => ((window as unknown as { photopea: { replyDelayMs: number } }).photopea.replyDelayMs = 150));
    const panel = page.frameLocator('#plugin');
    await choosePlugin(panel, 'Denoise');
    await press(panel.getByRole('button', { name: 'Restore active document' }));
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
  it('opens a super-resolution result as a new document, leaving the original as it was', async () => {
    const page = await browser.newPage();
    await openPhotopeaStandIn(page, `${host.url}/photopea`);
    const panel = page.frameLocator('#plugin');
    await choosePlugin(panel, 'Super-resolution');
    await panel.getByLabel('Scale').selectOption({ label: '×2' });
    await press(panel.getByRole('button', { name: 'Restore active document' }));
    await panel.getByRole('status').filter({ hasText: /^Opened the result as a new document/ }).waitFor({ timeout: 30_000 });
    await expect(panel.getByRole('status').filter({ hasText: /^Opened/ }).textContent()).resolves.toBe(panelMessages.openedAsDocument(512, 512));
    const recorded = await recordedBy(page);
    expect(recorded.errors).toEqual([]);
    expect(recorded.opens).toHaveLength(1);
    // app.open(url): no "as", no smart-object flag, so Photopea opens a document, not a layer.
    expect(recorded.opens[0].arguments).toBe(1);
    expect(recorded.documents).toEqual([
      { width: 256, height: 256 },
      { width: 512, height: 512 },
    ]);
    expect(recorded.layers).toEqual([{ name: 'Background', visible: true }]);
    await page.close();
  });

  it('restores only the selection (with a margin) and adds it as a layer masked to the selection', async () => {
    const page = await browser.newPage();
    await openPhotopeaStandIn(page, `${host.url}/photopea`);
    const panel = page.frameLocator('#plugin');
    await choosePlugin(panel, 'Denoise');
    await page.evaluate(() => ((window as unknown as { photopea: { selection: object } }).photopea.selection = { x: 64, y: 96, w: 128, h: 32 }));
    const before = engine.requests.length;
    await press(panel.getByRole('button', { name: 'Restore active document' }));
    await panel.getByRole('status').filter({ hasText: /^Added the layer/ }).waitFor({ timeout: 30_000 });
    // 128 x 32 selected, 32 px of context on each side (a quarter of its longer side).
    const sent = engine.requests[before].input.y;
    expect([sent.width, sent.height]).toEqual([192, 96]);

    const recorded = await recordedBy(page);
    expect(recorded.errors).toEqual([]);
    expect(recorded.opens).toHaveLength(1);
    expect(recorded.opens[0].asSmart).toBe(true);
    const layer = await sharp(Buffer.from(recorded.opens[0].url.split(',')[1], 'base64')).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    expect([layer.info.width, layer.info.height]).toEqual([256, 256]);
    const jobId = await panel.locator('.progress').getAttribute('data-job-id');
    const result = await sharp(Buffer.from(await (await fetch(`${host.url}/api/jobs/${jobId}/result`, asAdmin)).arrayBuffer())).raw().toBuffer({ resolveWithObject: true });
    expect([result.info.width, result.info.height]).toEqual([192, 96]);
    let wrong = 0;
    for (let y = 0; y < 256; y++) {
      for (let x = 0; x < 256; x++) {
        const at = (y * 256 + x) * 4;
        const selected = x >= 64 && x < 192 && y >= 96 && y < 128;
        if (!selected) {
          if (layer.data[at + 3] !== 0) wrong++;
          continue;
        }
        // Inside: opaque, the result's pixel from the same place of the document.
        const from = ((y - 64) * 192 + (x - 32)) * result.info.channels;
        const same = [0, 1, 2].every((c) => Math.abs(layer.data[at + c] - result.data[from + c]) <= 1);
        if (layer.data[at + 3] !== 255 || !same) wrong++;
      }
    }
    expect(wrong).toBe(0);
    await page.close();
  });

  it('explains Chrome’s local-network prompt on the link page and checks that the panel loads', async () => {
    const page = await browser.newPage();
    await page.goto(`${host.url}/photopea/link`);
    const link = await page.getByRole('link', { name: 'Open Photopea with fluxir' }).getAttribute('href');
    expect(link).toBe((await (await fetch(`${host.url}/photopea/link`)).text()).trim());
    await expect(page.getByRole('heading', { name: 'Chrome asks to allow the local network' }).count()).resolves.toBe(1);
    await expect(page.locator('body').textContent()).resolves.toContain('Local network access');
    await expect(page.locator('body').textContent()).resolves.toContain('FLUXIR_PUBLIC_URL=https://');
    await page.locator('#panel-check[data-state=ok]').waitFor({ timeout: 10_000 });
    await expect(page.locator('#panel-check').textContent()).resolves.toBe(panelMessages.panelCheckPassed(7));
    await page.close();

    // A panel that does not load (here: its request fails) is reported, not left blank.
    const blocked = await browser.newPage();
    await blocked.route('**/photopea?check', (route) => route.abort('blockedbyclient'));
    await blocked.goto(`${host.url}/photopea/link`);
    await blocked.locator('#panel-check[data-state=failed]').waitFor({ timeout: 15_000 });
    await expect(blocked.locator('#panel-check').textContent()).resolves.toBe(panelMessages.panelCheckFailed(8_000));
    await blocked.close();
  });

  it('hands the token to the panel in the address fragment, never in the query', async () => {
    const config = (await (await fetch(`${host.url}/photopea/config?token=team%20secret`)).json()) as { environment: { plugins: { url: string }[] } };
    expect(config.environment.plugins[0].url).toBe(`${host.url}/photopea#token=team%20secret`);
  });

  it('lets the origins named in FLUXIR_FRAME_ANCESTORS frame the panel, and no others', async () => {
    const previous = process.env.FLUXIR_FRAME_ANCESTORS;
    process.env.FLUXIR_FRAME_ANCESTORS = 'https://editor.example.org';
    const configured = await startTestServer({ engine: () => new FakeEngine() });
    if (previous === undefined) delete process.env.FLUXIR_FRAME_ANCESTORS;
    else process.env.FLUXIR_FRAME_ANCESTORS = previous;
    const framedBy = async (origin: string, panelUrl: string): Promise<boolean> => {
      const page = await browser.newPage();
      await page.context().grantPermissions(['local-network-access'], { origin });
      await page.route(`${origin}/**`, (route) => route.fulfill({ contentType: 'text/html', body: `<iframe id="p" src="${panelUrl}"></iframe>` }));
      await page.goto(`${origin}/`);
      const loaded = await page
        .frameLocator('#p')
        .getByLabel('Plugin')
        .waitFor({ state: 'attached', timeout: 5_000 })
        .then(() => true)
        .catch(() => false);
      await page.close();
      return loaded;
    };
    try {
      await expect(framedBy('https://editor.example.org', `${configured.url}/photopea`)).resolves.toBe(true);
      await expect(framedBy('https://other.example.org', `${configured.url}/photopea`)).resolves.toBe(false);
      await expect(framedBy('https://editor.example.org', `${host.url}/photopea`)).resolves.toBe(false);
    } finally {
      await configured.close();
    }
  });

  it('adds the layer at the chosen strength: the restoration blended with the document', async () => {
    const page = await browser.newPage();
    await openPhotopeaStandIn(page, `${host.url}/photopea`);
    const panel = page.frameLocator('#plugin');
    await choosePlugin(panel, 'Denoise');
    await panel.getByLabel('Strength').fill('50');
    await press(panel.getByRole('button', { name: 'Restore active document' }));
    await panel.getByRole('status').filter({ hasText: /^Added the layer/ }).waitFor({ timeout: 30_000 });
    const recorded = await recordedBy(page);
    const layer = await sharp(Buffer.from(recorded.opens[0].url.split(',')[1], 'base64')).removeAlpha().raw().toBuffer();
    const jobId = await panel.locator('.progress').getAttribute('data-job-id');
    const restored = await sharp(Buffer.from(await (await fetch(`${host.url}/api/jobs/${jobId}/result`, asAdmin)).arrayBuffer())).removeAlpha().raw().toBuffer();
    const original = await sharp(DENOISE_FIXTURE).removeAlpha().raw().toBuffer();
    let off = 0;
    for (let i = 0; i < layer.length; i++) if (Math.abs(layer[i] - (original[i] + restored[i]) / 2) > 2) off++;
    expect(off).toBe(0);
    await page.close();
  });
});
