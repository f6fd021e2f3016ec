import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { DEFAULT_SERVER_CONFIG, type ServerConfig } from '../config/server-config.interface';
import { parseFrameAncestors } from './frame-ancestors';
import { PanelRouteContribution } from './panel-route-contribution';

/** The panel's HTTP routes on a bare express app, with a panel build made in a temporary folder. */
async function serve(options: { publicUrl?: string; built?: boolean; config?: ServerConfig; frameAncestors?: readonly string[] }) {
  const distDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fluxir-panel-'));
  if (options.built !== false) {
    fs.mkdirSync(path.join(distDir, 'assets'));
    fs.writeFileSync(path.join(distDir, 'index.html'), '<body data-mode="{{mode}}" data-max-upload-bytes="{{maxUploadBytes}}" data-max-pixels="{{maxPixels}}">');
    fs.writeFileSync(path.join(distDir, 'assets', 'panel.js'), 'void 0;');
  }
  const app = express();
  new PanelRouteContribution({ distDir, publicUrl: options.publicUrl, frameAncestors: options.frameAncestors }, options.config).mount(app);
  // As the host's own error handler does: the error's message, as JSON.
  app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(500).json({ message: error.message });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = async () => {
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(distDir, { recursive: true, force: true });
  };
  return { url, close };
}

describe('panel routes', () => {
  it('serves the panel page with its mode and the host’s limits, under a CSP Photopea may frame', async () => {
    const config = { ...DEFAULT_SERVER_CONFIG, limits: { ...DEFAULT_SERVER_CONFIG.limits, maxUploadBytes: 1234, maxPixels: 5678 } };
    const host = await serve({ config });
    try {
      const standalone = await fetch(`${host.url}/`);
      expect(await standalone.text()).toBe('<body data-mode="standalone" data-max-upload-bytes="1234" data-max-pixels="5678">');
      expect(standalone.headers.get('content-security-policy')).toContain('frame-ancestors');
      expect(standalone.headers.get('content-security-policy')).toContain('https://www.photopea.com');
      expect(await (await fetch(`${host.url}/photopea`)).text()).toContain('data-mode="photopea"');
      expect((await fetch(`${host.url}/assets/panel.js`)).status).toBe(200);
      expect((await fetch(`${host.url}/assets/index.html`)).status).toBe(404);
    } finally {
      await host.close();
    }
  });

  it('builds Photopea’s configuration from the configured public URL', async () => {
    const host = await serve({ publicUrl: 'https://fluxir.example.org/' });
    try {
      const config = await (await fetch(`${host.url}/photopea/config`)).json();
      expect(config).toEqual({
        environment: {
          plugins: [{ name: 'fluxir', url: 'https://fluxir.example.org/photopea', width: 340, height: 720, icon: '===https://fluxir.example.org/assets/icon.png' }],
        },
      });
      const link = (await (await fetch(`${host.url}/photopea/link`)).text()).trim();
      expect(link).toBe(`https://www.photopea.com#${encodeURIComponent(JSON.stringify(config))}`);
      const withToken = await (await fetch(`${host.url}/photopea/config?token=team%20secret`)).json();
      expect(withToken.environment.plugins[0].url).toBe('https://fluxir.example.org/photopea#token=team%20secret');
    } finally {
      await host.close();
    }
  });

  it('lets the configured origins frame the panel besides Photopea, and refuses what is not an origin', async () => {
    const host = await serve({ frameAncestors: parseFrameAncestors('https://editor.example.org, http://localhost:3000') });
    try {
      const csp = (await fetch(`${host.url}/photopea`)).headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'self' https://www.photopea.com https://photopea.com https://editor.example.org http://localhost:3000");
    } finally {
      await host.close();
    }
    expect(() => parseFrameAncestors('https://editor.example.org/path')).toThrow(
      'FLUXIR_FRAME_ANCESTORS: "https://editor.example.org/path" is not an origin such as https://editor.example.org (scheme and host, no path)',
    );
    expect(parseFrameAncestors(undefined)).toEqual([]);
  });

  it('gives curl the bare link and a browser the page that explains and checks it', async () => {
    const host = await serve({});
    try {
      const plain = await fetch(`${host.url}/photopea/link`, { headers: { accept: '*/*' } });
      expect(plain.headers.get('content-type')).toMatch(/^text\/plain/);
      const page = await fetch(`${host.url}/photopea/link`, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(await page.text()).toContain('Local network access');
    } finally {
      await host.close();
    }
  });

  it('names a public URL that is not one instead of handing it to Photopea', async () => {
    const host = await serve({ publicUrl: 'fluxir.example.org' });
    try {
      const response = await fetch(`${host.url}/photopea/config`);
      expect(response.status).toBe(500);
      expect(((await response.json()) as { message: string }).message).toContain('FLUXIR_PUBLIC_URL "fluxir.example.org" is not an http(s) URL');
    } finally {
      await host.close();
    }
  });

  it('says how to build the panel when it is not built', async () => {
    const host = await serve({ built: false });
    try {
      const response = await fetch(`${host.url}/`);
      expect(response.status).toBe(503);
      expect(await response.text()).toContain('npm run build');
    } finally {
      await host.close();
    }
  });
});
