import type { JobStatus, ProtocolErrorCode } from '@fluxir/sdk/protocol';

export const ServerMetrics = Symbol('ServerMetrics');
/** What the host counts and times, exposed at GET /metrics in Prometheus format. */
export interface ServerMetrics {
  queueChanged(queued: number, running: number): void;
  jobFinished(plugin: string, status: JobStatus, seconds: number): void;
  /** One sampling step of a job (all its tiles). */
  stepDone(plugin: string, seconds: number): void;
  error(code: ProtocolErrorCode): void;
  previewSent(): void;
  /** A preview frame not sent because the client was slow. */
  previewDropped(): void;
  readonly contentType: string;
  render(): Promise<string>;
}
