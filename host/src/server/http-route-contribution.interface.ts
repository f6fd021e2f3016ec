import type { Express } from 'express';

export const HttpRouteContribution = Symbol('HttpRouteContribution');
/**
 * Extra HTTP routes (static pages, panels) the host server mounts after its API routes. Bind any
 * number with `bind(HttpRouteContribution).to(...)`; the server takes them all (zero is fine) and
 * mounts each in its own try/catch, so one failing contribution is logged and the others still load.
 */
export interface HttpRouteContribution {
  /** Shown in logs, e.g. "panel" or "photopea". */
  readonly name: string;
  mount(app: Express): void;
}
