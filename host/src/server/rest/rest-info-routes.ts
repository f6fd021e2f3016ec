import type { Express, RequestHandler } from 'express';
import { inject, injectable } from 'inversify';
import { JobQueue } from '../../jobs/job-queue.interface';
import { PluginCatalog } from '../../plugins/plugin-catalog.interface';
import { PluginRegistry, type PluginFailure } from '../../plugins/plugin-registry.interface';
import { ServerConfig } from '../../config/server-config.interface';
import { toProtocolError } from '../../errors/server-error';
import { ServerMetrics } from '../server-metrics.interface';
import { ServerState } from '../server-state.interface';
import { requireAdmin, type AccessLevel } from '../access-control';
import { sendError } from './http-errors';
import { openApiDocument } from './openapi-document';
import type { Health, PluginList } from './rest-schemas';

/** Health (open, for load balancers), plugins, the OpenAPI document and Prometheus metrics. */
@injectable()
export class RestInfoRoutes {
  constructor(
    @inject(PluginCatalog) private readonly catalog: PluginCatalog,
    @inject(PluginRegistry) private readonly registry: PluginRegistry,
    @inject(JobQueue) private readonly queue: JobQueue,
    @inject(ServerConfig) private readonly config: ServerConfig,
    @inject(ServerMetrics) private readonly metrics: ServerMetrics,
    @inject(ServerState) private readonly state: ServerState,
  ) {}

  mount(app: Express, authenticate: RequestHandler): void {
    app.get('/api/health', (_req, res) => {
      const stopping = this.state.stopping;
      const health: Health = {
        status: stopping ? 'shutting-down' : 'ok',
        version: this.state.hostVersion,
        engine: this.state.engine,
        queue: this.queue.stats(),
        plugins: this.registry.ids().length,
        uptimeSeconds: Math.round(process.uptime()),
      };
      res.status(stopping ? 503 : 200).json(health);
    });
    app.get('/api/plugins', authenticate, (_req, res, next) => {
      this.catalog
        .list()
        .then((plugins) => res.json({ plugins, failures: this.failuresFor(res.locals.access as AccessLevel) } satisfies PluginList))
        .catch(next);
    });
    app.get('/api/openapi.json', authenticate, (_req, res) => void res.json(openApiDocument(this.registry.list(), this.state.hostVersion)));
    app.get('/metrics', authenticate, (_req, res, next) => {
      try {
        requireAdmin(this.config, res.locals.access as AccessLevel);
      } catch (error) {
        return sendError(res, toProtocolError(error), this.metrics);
      }
      this.metrics
        .render()
        .then((text) => res.type(this.metrics.contentType).send(text))
        .catch(next);
    });
  }

  /** Where plugins live on the server is for administrators; others see which package failed and why. */
  private failuresFor(access: AccessLevel): readonly (PluginFailure | Omit<PluginFailure, 'dir'>)[] {
    const failures = this.registry.failures();
    if (access === 'admin') return failures;
    return failures.map(({ dir, ...failure }) => ({ ...failure, message: failure.message.split(dir).join(failure.packageName ?? 'the plugin') }));
  }
}
