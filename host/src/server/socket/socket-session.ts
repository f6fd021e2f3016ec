import { attachSchema, jobRefSchema, type ClientToServerEvents, type JobSummary, type ServerToClientEvents } from '@fluxir/sdk/protocol';
import type { Socket } from 'socket.io';
import type { JobEvent, JobQueue, JobSnapshot } from '../../jobs/job-queue.interface';
import type { Logger } from '../../logging/logger.interface';
import { serverErrors, toProtocolError } from '../../errors/server-error';
import type { ServerMetrics } from '../server-metrics.interface';
import type { AccessLevel } from '../access-control';
import type { JobIntake } from '../job-intake.interface';
import type { PluginCatalog } from '../../plugins/plugin-catalog.interface';
import { parsePayload } from '../payload-validation';

export interface SocketData {
  /** The principal's owner id: jobs, limits and fairness count by it. */
  owner: string;
  /** The principal's credential, sent to the client in `session`. */
  resumeKey: string;
  access: AccessLevel;
}

export type HostSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface SessionServices {
  readonly intake: JobIntake;
  readonly queue: JobQueue;
  readonly catalog: PluginCatalog;
  readonly metrics: ServerMetrics;
  readonly logger: Logger;
}

const FINAL = new Set<JobEvent['name']>(['job:result', 'job:error', 'job:cancelled']);

/** One connected socket: its handlers, and the jobs whose events it follows. */
export class SocketSession {
  private readonly following = new Map<string, () => void>();

  constructor(
    private readonly socket: HostSocket,
    private readonly services: SessionServices,
  ) {
    const { intake, queue, catalog } = services;
    this.handle('plugins:list', async () => ({ plugins: await catalog.list() }));
    this.handle('job:submit', async (payload) => {
      const job = await intake.submit(socket.data.owner, payload);
      this.follow(job.id, 0);
      return { jobId: job.id, position: job.position ?? 0 };
    });
    this.handle('job:cancel', async (payload) => {
      const { jobId } = parsePayload(jobRefSchema, payload);
      return { status: (await queue.cancel(this.own(jobId).id)).status };
    });
    this.handle('job:attach', async (payload) => {
      const { jobId, afterSeq } = parsePayload(attachSchema, payload);
      const job = this.own(jobId);
      this.follow(job.id, afterSeq ?? 0);
      return { job: summary(job) };
    });
    this.handle('jobs:list', async () => ({ jobs: queue.list(socket.data.owner).map(summary) }));
    socket.on('disconnect', () => {
      for (const stop of this.following.values()) stop();
      this.following.clear();
    });
  }

  private handle(event: keyof ClientToServerEvents, run: (payload: unknown) => Promise<object>): void {
    // Arguments are validated at run time: the ack is the last argument when it is a function.
    this.socket.on(event, (...args: unknown[]) => {
      const ack = typeof args[args.length - 1] === 'function' ? (args.pop() as (response: object) => void) : undefined;
      run(args[0]).then(
        (response) => ack?.({ ok: true, ...response }),
        (error: unknown) => {
          const report = toProtocolError(error);
          this.services.metrics.error(report.code);
          if (report.code === 'E_INTERNAL') this.services.logger.error({ event, err: error }, 'socket request failed');
          ack?.({ ok: false, error: report });
        },
      );
    });
  }

  /** The client's own job (admins may reach any); E_NOT_FOUND otherwise, so ids of others stay hidden. */
  private own(jobId: string): JobSnapshot {
    const job = this.services.queue.get(jobId);
    const allowed = job && (job.owner === this.socket.data.owner || this.socket.data.access === 'admin');
    if (!allowed) throw serverErrors.notFound(jobId);
    return job;
  }

  /**
   * Subscribes at once, while the job is known to exist (a finished job can be evicted in any later
   * turn), and delivers from the next turn, after the acknowledgement, so the client knows the id
   * before the job's first event.
   */
  private follow(jobId: string, afterSeq: number): void {
    if (this.socket.disconnected) return;
    this.following.get(jobId)?.();
    this.following.delete(jobId);
    const held: JobEvent[] = [];
    let live = false;
    const deliver = (event: JobEvent) => {
      this.send(event);
      if (FINAL.has(event.name)) this.following.delete(jobId);
    };
    const stop = this.services.queue.subscribe(jobId, (event) => (live ? deliver(event) : held.push(event)), afterSeq);
    const job = this.services.queue.get(jobId);
    if (job?.status === 'queued' || job?.status === 'running') this.following.set(jobId, stop);
    setImmediate(() => {
      live = true;
      if (this.socket.disconnected) return;
      for (const event of held.splice(0)) deliver(event);
    });
  }

  private send(event: JobEvent): void {
    // emit() cannot see that each name travels with its own payload type; JobEvent pairs them.
    const emit = (target: { emit: (name: string, payload: unknown) => unknown }) => target.emit(event.name, event.payload);
    if (event.name !== 'job:preview') return void emit(this.socket as never);
    const conn = this.socket.conn as unknown as { writeBuffer?: unknown[]; transport?: { writable?: boolean } };
    const slow = (conn.writeBuffer?.length ?? 0) > 0 || conn.transport?.writable === false;
    if (slow) return this.services.metrics.previewDropped();
    emit(this.socket.volatile as never);
    this.services.metrics.previewSent();
  }
}

function summary(job: JobSnapshot): JobSummary {
  return { jobId: job.id, status: job.status, position: job.position, plugin: job.plugin, version: job.version };
}
