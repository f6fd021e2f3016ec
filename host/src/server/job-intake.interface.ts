import type { JobSnapshot } from '../jobs/job-queue.interface';

export const JobIntake = Symbol('JobIntake');
/**
 * Checks a submission from any front-end (socket or REST) before it takes a place in the queue:
 * payload shape, sizes, plugin and version, parameters, image and mask headers. Refusals throw errors
 * with protocol codes (E_BAD_REQUEST, E_PAYLOAD_TOO_LARGE, E_UNKNOWN_TASK, E_UNKNOWN_VERSION, E_PARAMS,
 * E_DECODE, E_TOO_LARGE, E_MASK, and the queue's own).
 */
export interface JobIntake {
  /** `payload` is a SubmitJob as received, not yet validated. */
  submit(owner: string, payload: unknown): Promise<JobSnapshot>;
}
