import type { interfaces } from 'inversify';
import { RestorePlanner } from '../restore/restore-planner.interface';
import { RestoreService, type RestorePlan } from '../restore/restore-service.interface';

/** The host services an evaluation restores with: a planner for each setting, the service for each photo. */
export interface Restorer {
  readonly planner: RestorePlanner;
  readonly service: RestoreService;
}

export function restorerOf(container: interfaces.Container): Restorer {
  return { planner: container.get<RestorePlanner>(RestorePlanner), service: container.get<RestoreService>(RestoreService) };
}

/** The plan of one evaluation setting: its task, parameters and steps (the plugin's default when undefined). */
export function planSetting(restorer: Restorer, task: string, params: Readonly<Record<string, unknown>>, steps?: number): Promise<RestorePlan> {
  return restorer.planner.plan(restorer.planner.choose({ task, params, steps }));
}
