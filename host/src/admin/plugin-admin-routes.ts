import express, { type Express, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { inject, injectable } from 'inversify';
import type { HttpRouteContribution } from '../server/http-route-contribution.interface';
import { PluginLifecycle } from './plugin-lifecycle.interface';
import { ServerConfig } from '../config/server-config.interface';
import { toProtocolError } from '../errors/server-error';
import { ServerMetrics } from '../server/server-metrics.interface';
import { refuseTokenInUrl, tokenFromHttp } from '../server/access-control';
import { Authenticator } from '../server/authenticator';
import { httpStatus } from '../server/rest/http-errors';
import type { ErrorBody, PluginInstalled, PluginsRemoved, PluginVersions } from '../server/rest/rest-schemas';
import { adminErrors } from './admin-errors';

type Action = 'disable' | 'enable' | 'reload';

/**
 * The plugin admin API under /api/admin/plugins, for the admin token only (E_UNAUTHORIZED without a
 * token, E_FORBIDDEN with another); off, with a message saying how to turn it on, when no admin token
 * is configured. A refused plugin answers 422 with the reason.
 */
@injectable()
export class PluginAdminRoutes implements HttpRouteContribution {
  readonly name = 'plugin-admin';

  constructor(
    @inject(PluginLifecycle) private readonly lifecycle: PluginLifecycle,
    @inject(ServerConfig) private readonly config: ServerConfig,
    @inject(ServerMetrics) private readonly metrics: ServerMetrics,
    @inject(Authenticator) private readonly authenticator: Authenticator,
  ) {}

  mount(app: Express): void {
    const base = '/api/admin/plugins';
    const admin = this.adminOnly;
    app.get(base, admin, this.answer(() => [200, this.lifecycle.status()]));
    app.post(base, admin, express.json({ limit: '16kb' }), this.answer((req) => [201, { plugin: this.lifecycle.install(bodyPath(req.body)) } satisfies PluginInstalled]));
    for (const action of ['disable', 'enable', 'reload'] as const satisfies readonly Action[]) {
      app.post(`${base}/:id/${action}`, admin, this.answer((req) => [200, { plugins: this.lifecycle[action](idOf(req), versionOf(req)) } satisfies PluginVersions]));
    }
    app.delete(`${base}/:id`, admin, this.answer((req) => [200, { removed: this.lifecycle.remove(idOf(req), versionOf(req)) } satisfies PluginsRemoved]));
  }

  private readonly adminOnly: RequestHandler = (req, res, next) => {
    try {
      if (!this.config.adminToken) throw adminErrors.off();
      refuseTokenInUrl(req.query);
      this.authenticator.admin(req.socket.remoteAddress, tokenFromHttp(req.get('authorization')), adminErrors.notAdmin);
      next();
    } catch (error) {
      this.fail(res, error);
    }
  };

  private answer(run: (req: Request) => [number, object]): RequestHandler {
    return (req: Request, res: Response, _next: NextFunction) => {
      try {
        const [status, body] = run(req);
        res.status(status).json(body);
      } catch (error) {
        this.fail(res, error);
      }
    };
  }

  private fail(res: Response, error: unknown): void {
    const report = toProtocolError(error);
    this.metrics.error(report.code);
    res.status(report.code === 'E_PLUGIN' ? 422 : httpStatus(report.code)).json({ error: report } satisfies ErrorBody);
  }
}

function bodyPath(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw adminErrors.badInstallBody();
  return (body as { path?: unknown }).path;
}

function idOf(req: Request): string {
  const { id } = req.params;
  return Array.isArray(id) ? id.join('/') : id;
}

function versionOf(req: Request): string | undefined {
  const version = req.query.version;
  if (version === undefined) return undefined;
  if (typeof version !== 'string' || !version) throw adminErrors.badVersion(String(version));
  return version;
}
