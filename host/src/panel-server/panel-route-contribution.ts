import * as fs from 'node:fs';
import * as path from 'node:path';
import express, { type Express, type Request, type Response } from 'express';
import { inject, injectable, optional } from 'inversify';
import type { HttpRouteContribution } from '../server/http-route-contribution.interface';
import { DEFAULT_LIMITS, ServerConfig } from '../config/server-config.interface';
import { ServerError, serverErrors } from '../errors/server-error';
import { PanelOptions } from './panel-options';
import { frameAncestorsDirective } from './frame-ancestors';
import { photopeaConfig, photopeaLink } from './photopea-config';
import { photopeaLinkPage } from './photopea-link-page';

export type PanelMode = 'standalone' | 'photopea';

/**
 * The page itself may load only what the host serves, talk only to the host, and show images
 * from the host, data: and blob: URLs (previews and results); Photopea (and the configured
 * origins) may frame it.
 */
const PAGE_CSP_BASE = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
];

/** The link page frames the panel (its check) and links out to Photopea. */
const LINK_PAGE_CSP = [...PAGE_CSP_BASE, "frame-src 'self'", "frame-ancestors 'none'"].join('; ');

const NOT_BUILT = 'The fluxir panel is not built yet: run `npm run build` (or `node host/panel/build.js`) and reload.';

/** `?token=` of a config or link request, handed on to the panel (in `#token=`) for hosts that need a token. */
function tokenOf(req: Request): string | undefined {
  const token = req.query.token;
  return typeof token === 'string' && token.length > 0 ? token : undefined;
}

/**
 * The editor panel and the Photopea bridge over HTTP: `/` (the panel), `/photopea` (the panel in
 * Photopea mode), `/photopea/config` (Photopea's configuration JSON registering it as a plugin),
 * `/photopea/link` (the link that opens Photopea with it) and `/assets/*`.
 */
@injectable()
export class PanelRouteContribution implements HttpRouteContribution {
  readonly name = 'panel';
  private template: string | undefined;
  private readonly pageCsp: string;

  constructor(
    @inject(PanelOptions) private readonly options: PanelOptions,
    @inject(ServerConfig) @optional() private readonly config?: ServerConfig,
  ) {
    this.pageCsp = [...PAGE_CSP_BASE, frameAncestorsDirective(options.frameAncestors)].join('; ');
  }

  mount(app: Express): void {
    app.use('/assets', express.static(path.join(this.options.distDir, 'assets'), { index: false, maxAge: '1h' }));
    app.get('/', (_req, res) => this.page(res, 'standalone'));
    app.get('/photopea', (_req, res) => this.page(res, 'photopea'));
    app.get('/photopea/config', (req, res) => {
      res.json(photopeaConfig(this.baseUrl(req), tokenOf(req)));
    });
    app.get('/photopea/link', (req, res) => {
      const baseUrl = this.baseUrl(req);
      const link = photopeaLink(photopeaConfig(baseUrl, tokenOf(req)));
      // A browser gets the page that explains Chrome's prompt and checks the panel; curl the link.
      res.vary('Accept');
      if (req.accepts(['text/plain', 'text/html']) === 'text/html') {
        res.set({ 'Content-Security-Policy': LINK_PAGE_CSP, 'Cache-Control': 'no-cache', 'Referrer-Policy': 'no-referrer' });
        res.type('html').send(photopeaLinkPage({ link, baseUrl }));
      } else res.type('text/plain').send(`${link}\n`);
    });
  }

  private page(res: Response, mode: PanelMode): void {
    const template = this.readTemplate();
    if (!template) {
      res.status(503).type('text/plain').send(NOT_BUILT);
      return;
    }
    const limits = this.config?.limits ?? DEFAULT_LIMITS;
    const html = template
      .replace('{{mode}}', mode)
      .replace('{{maxUploadBytes}}', String(limits.maxUploadBytes))
      .replace('{{maxPixels}}', String(limits.maxPixels))
      .replace('{{concurrency}}', String(limits.concurrency));
    res.set({ 'Content-Security-Policy': this.pageCsp, 'Cache-Control': 'no-cache' }).type('html').send(html);
  }

  /** Read once; a host started before the build picks the page up at the first request after it. */
  private readTemplate(): string | undefined {
    if (this.template) return this.template;
    try {
      this.template = fs.readFileSync(path.join(this.options.distDir, 'index.html'), 'utf8');
    } catch {
      return undefined;
    }
    return this.template;
  }

  /** The configured public URL, else this request's protocol and Host (express honours "trust proxy"). */
  private baseUrl(req: Request): string {
    const { publicUrl } = this.options;
    if (publicUrl) {
      if (!/^https?:\/\/[^/\s?#]+(\/[^\s?#]*)?$/i.test(publicUrl)) {
        throw new ServerError('E_INTERNAL', `FLUXIR_PUBLIC_URL "${publicUrl}" is not an http(s) URL such as https://fluxir.example.org`);
      }
      return publicUrl.replace(/\/+$/, '');
    }
    const host = req.get('host') ?? '';
    if (!/^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i.test(host)) {
      throw serverErrors.badRequest(`the Host header "${host}" is not a host name; set FLUXIR_PUBLIC_URL`);
    }
    return `${req.protocol}://${host}`;
  }
}
