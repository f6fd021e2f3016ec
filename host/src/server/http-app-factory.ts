import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { interfaces } from 'inversify';
import { HttpRouteContribution } from './http-route-contribution.interface';
import { Logger } from '../logging/logger.interface';
import { ServerConfig } from '../config/server-config.interface';
import { serverErrors, toProtocolError } from '../errors/server-error';
import { ServerMetrics } from './server-metrics.interface';
import { hostAllowed, originAllowed, refuseTokenInUrl, tokenFromHttp } from './access-control';
import { Authenticator } from './authenticator';
import { errorHandler, sendError } from './rest/http-errors';
import { RestInfoRoutes } from './rest/rest-info-routes';
import { RESUME_KEY_HEADER, RestJobRoutes } from './rest/rest-job-routes';

/** Photopea shows plugin pages in an iframe, and opens results by URL. */
const FRAME_ANCESTORS = ["'self'", 'https://www.photopea.com', 'https://photopea.com'];

/**
 * The express app: hardening headers, CORS allow-list, the API, then every HttpRouteContribution
 * (each in its own try/catch: one that fails is logged and the others still mount), then errors.
 */
export function createHttpApp(container: interfaces.Container): Express {
  const config = container.get<ServerConfig>(ServerConfig);
  const metrics = container.get<ServerMetrics>(ServerMetrics);
  const logger = container.get<Logger>(Logger);
  const app = express();
  app.disable('x-powered-by');
  app.use(
    helmet({
      frameguard: false,
      crossOriginResourcePolicy: { policy: 'cross-origin' },
      contentSecurityPolicy: { directives: { frameAncestors: FRAME_ANCESTORS } },
    }),
  );
  app.use(hostAllowList(config, metrics));
  app.use(corsAllowList(config, metrics));
  const authenticator = container.get(Authenticator);
  const authenticate: RequestHandler = (req, res, next) => {
    try {
      refuseTokenInUrl(req.query);
      res.locals.access = authenticator.access(req.socket.remoteAddress, tokenFromHttp(req.get('authorization')));
      next();
    } catch (error) {
      const report = toProtocolError(error);
      if (report.code === 'E_RATE_LIMITED') res.set('Retry-After', String(authenticator.retryAfterSeconds(req.socket.remoteAddress)));
      sendError(res, report, metrics);
    }
  };
  // Route classes are not services: resolved here, with their dependencies injected.
  container.resolve(RestInfoRoutes).mount(app, authenticate);
  container.resolve(RestJobRoutes).mount(app, authenticate);
  const contributions = container.isBound(HttpRouteContribution) ? container.getAll<HttpRouteContribution>(HttpRouteContribution) : [];
  for (const contribution of contributions) {
    try {
      contribution.mount(app);
      logger.info({ contribution: contribution.name }, `mounted ${contribution.name}`);
    } catch (error) {
      logger.error({ contribution: contribution.name, err: error }, `HTTP routes "${contribution.name}" failed to mount`);
    }
  }
  app.use('/api', (req, res) => sendError(res, toProtocolError(serverErrors.noRoute(req.method, req.originalUrl.split('?')[0])), metrics));
  app.use(errorHandler(config.limits, metrics, logger));
  return app;
}

/** Refuses requests whose Host header does not name this host (DNS rebinding), on every route. */
function hostAllowList(config: ServerConfig, metrics: ServerMetrics): RequestHandler {
  return (req, res, next) => {
    const host = req.get('host');
    if (hostAllowed(config, host)) return next();
    sendError(res, toProtocolError(serverErrors.hostNotAllowed(host ?? '(none)')), metrics);
  };
}

/**
 * A browser sends Origin with every cross-site request it makes; one from an origin outside the list is
 * refused whatever its method, since a "simple" POST or DELETE reaches the server without a preflight.
 */
function corsAllowList(config: ServerConfig, metrics: ServerMetrics): RequestHandler {
  return (req, res, next) => {
    const origin = req.get('origin');
    if (!origin) return next();
    if (!originAllowed(config, origin, req.get('host'))) {
      return sendError(res, toProtocolError(serverErrors.originNotAllowed(origin)), metrics);
    }
    res.vary('Origin');
    res.set({
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Allow-Methods': 'GET, POST, DELETE, OPTIONS',
      'Access-Control-Allow-Headers': `Authorization, Content-Type, ${RESUME_KEY_HEADER}`,
      'Access-Control-Expose-Headers': 'Location, Retry-After, X-Fluxir-Plugin, X-Fluxir-Steps, X-Fluxir-Engine-Ms',
    });
    if (req.method === 'OPTIONS') return void res.sendStatus(204);
    next();
  };
}
