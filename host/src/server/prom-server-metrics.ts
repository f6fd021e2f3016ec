import type { JobStatus, ProtocolErrorCode } from '@fluxir/sdk/protocol';
import { injectable } from 'inversify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ServerMetrics } from './server-metrics.interface';

/** prom-client metrics in a registry of their own, so that several hosts can live in one process. */
@injectable()
export class PromServerMetrics implements ServerMetrics {
  private readonly registry = new Registry();
  private readonly queued = new Gauge({ name: 'fluxir_queue_depth', help: 'Jobs waiting in the queue', registers: [this.registry] });
  private readonly running = new Gauge({ name: 'fluxir_jobs_running', help: 'Jobs running on the engine', registers: [this.registry] });
  private readonly jobs = new Histogram({
    name: 'fluxir_job_duration_seconds',
    help: 'Time from a job start (or its submission, when it never ran) to its end',
    labelNames: ['plugin', 'status'],
    buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600],
    registers: [this.registry],
  });
  private readonly steps = new Histogram({
    name: 'fluxir_step_duration_seconds',
    help: 'Time of one sampling step over the whole image',
    labelNames: ['plugin'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
    registers: [this.registry],
  });
  private readonly errors = new Counter({
    name: 'fluxir_errors_total',
    help: 'Errors reported to clients, by code',
    labelNames: ['code'],
    registers: [this.registry],
  });
  private readonly previews = new Counter({
    name: 'fluxir_preview_frames_total',
    help: 'Preview frames, sent or dropped because the client was slow',
    labelNames: ['outcome'],
    registers: [this.registry],
  });

  readonly contentType = this.registry.contentType;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'fluxir_' });
  }

  queueChanged(queued: number, running: number): void {
    this.queued.set(queued);
    this.running.set(running);
  }

  jobFinished(plugin: string, status: JobStatus, seconds: number): void {
    this.jobs.observe({ plugin, status }, seconds);
  }

  stepDone(plugin: string, seconds: number): void {
    this.steps.observe({ plugin }, seconds);
  }

  error(code: ProtocolErrorCode): void {
    this.errors.inc({ code });
  }

  previewSent(): void {
    this.previews.inc({ outcome: 'sent' });
  }

  previewDropped(): void {
    this.previews.inc({ outcome: 'dropped' });
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
