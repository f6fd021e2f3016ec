import type { RestJob } from '@fluxir/sdk/protocol';
import type { JobSnapshot } from '../../jobs/job-queue.interface';

export type PublicJob = RestJob;

/** A job as any client may see it: the owner id stays on the host. */
export function publicJob(job: JobSnapshot): PublicJob {
  const { owner: _owner, ...visible } = job;
  return visible;
}
