import { type JobEventName, type JobEventPayload, RestoreJob } from './restore-job';
import type { FluxirClientError } from './client-errors';

/** Events of a job whose submit acknowledgement has not arrived yet are kept for this many jobs. */
const MAX_EARLY_JOBS = 32;

/**
 * Delivers the host's job events to the RestoreJob they belong to. The host may report a job
 * before the acknowledgement of its submit reaches the client; such events wait here until the
 * job is known.
 */
export class JobRouter {
  private readonly jobs = new Map<string, RestoreJob>();
  private readonly earlyEvents = new Map<string, Array<[JobEventName, JobEventPayload<JobEventName>]>>();

  /** Follows a job from now on, first handing it what arrived early; forgets it once it is done. */
  track(jobId: string, job: RestoreJob): void {
    this.jobs.set(jobId, job);
    for (const [name, event] of this.earlyEvents.get(jobId) ?? []) job.receive(name, event);
    this.earlyEvents.delete(jobId);
    if (job.done) this.jobs.delete(jobId);
    else void job.result.finally(() => this.jobs.delete(jobId)).catch(() => undefined);
  }

  route(name: JobEventName, payload: JobEventPayload<JobEventName>): void {
    const job = this.jobs.get(payload.jobId);
    if (job) {
      job.receive(name, payload);
      return;
    }
    const early = this.earlyEvents.get(payload.jobId) ?? [];
    early.push([name, payload]);
    this.earlyEvents.set(payload.jobId, early);
    if (this.earlyEvents.size > MAX_EARLY_JOBS) {
      const oldest = this.earlyEvents.keys().next().value;
      if (oldest !== undefined) this.earlyEvents.delete(oldest);
    }
  }

  /** The unfinished jobs, by id. */
  open(): ReadonlyArray<[string, RestoreJob]> {
    return [...this.jobs];
  }

  failAll(error: FluxirClientError): void {
    for (const job of this.jobs.values()) job.fail(error);
    this.jobs.clear();
    this.earlyEvents.clear();
  }
}
