import type { JobSnapshot } from '../../jobs/job-queue.interface';

export type PublicJob = Omit<JobSnapshot, 'owner'>;

/** A job as any client may see it: the owner id stays on the host. */
export function publicJob(job: JobSnapshot): PublicJob {
  const { owner: _owner, ...visible } = job;
  return visible;
}
