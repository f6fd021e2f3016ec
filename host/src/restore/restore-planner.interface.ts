import type { RestoreChoice, RestorePlan, RestoreSettings } from './restore-service.interface';

export const RestorePlanner = Symbol('RestorePlanner');
/**
 * Makes the plan of a request where it enters (REST, socket, command line), in two steps: `choose`
 * checks the settings against the loaded plugins without waiting for anything, so bad requests are
 * refused before any image is read; `plan` adds the engine's schedule.
 */
export interface RestorePlanner {
  /** The plugin version, its parsed parameters and the step count (E_UNKNOWN_TASK, E_UNKNOWN_VERSION, E_PARAMS, E_PLUGIN). */
  choose(settings: RestoreSettings): RestoreChoice;
  /** The choice with the engine's schedule for its step count (waits for the engine on first use). */
  plan(choice: RestoreChoice): Promise<RestorePlan>;
}
