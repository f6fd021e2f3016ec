import type { JobRecord } from './job-record';

/**
 * Every job the queue knows, open or finished. Finished jobs stay for their results until their TTL
 * runs out, and at most `maxRetained` of them are kept (the oldest go first), so memory stays bounded.
 */
export class JobTable {
  private readonly jobs = new Map<string, JobRecord>();
  /** Ids of finished jobs, oldest first. */
  private finishedOrder: string[] = [];
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    ttlMs: number,
    private readonly maxRetained: number,
  ) {
    const every = Math.max(50, Math.min(ttlMs, 30_000));
    this.sweeper = setInterval(() => this.sweep(), every).unref();
  }

  add(job: JobRecord): void {
    this.jobs.set(job.id, job);
  }

  get(jobId: string): JobRecord | undefined {
    return this.jobs.get(jobId);
  }

  all(): JobRecord[] {
    return [...this.jobs.values()];
  }

  /** Call once a job has settled. */
  finished(job: JobRecord): void {
    this.finishedOrder.push(job.id);
    while (this.finishedOrder.length > this.maxRetained) this.jobs.delete(this.finishedOrder.shift()!);
  }

  /** Waits for the running jobs to settle; after graceMs, hands those still running to `onLate` and waits on. */
  async settleRunning(graceMs: number, onLate: (running: JobRecord[]) => void): Promise<void> {
    const running = this.all().filter((job) => job.status === 'running');
    const all = Promise.all(running.map((job) => job.settled()));
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)));
    if ((await Promise.race([all, grace])) === 'late') {
      onLate(running.filter((job) => job.status === 'running'));
      await all;
    }
    clearTimeout(timer);
  }

  dispose(): void {
    clearInterval(this.sweeper);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, job] of this.jobs) if (job.expiresAt !== undefined && job.expiresAt <= now) this.jobs.delete(id);
    this.finishedOrder = this.finishedOrder.filter((id) => this.jobs.has(id));
  }
}
