import type { Redis } from 'ioredis';
import type { JobEvent, JobEventName } from '../job-queue.interface';
import { EVENT_STREAM_LENGTH, OPEN_JOB_TTL_MS, redisKeys } from './redis-keys';

/** A job event as stored in Redis: no jobId, no seq (the position in the job's history is its seq). */
export type StoredEvent = {
  [K in JobEventName]: { readonly name: K; readonly payload: Omit<Extract<JobEvent, { name: K }>['payload'], 'jobId' | 'seq'> };
}[JobEventName];
/** What travels: result events leave their image in the result key. */
export type RecordedEvent = Exclude<StoredEvent, { name: 'job:preview' | 'job:result' }> | {
  readonly name: 'job:result';
  readonly payload: Omit<Extract<StoredEvent, { name: 'job:result' }>['payload'], 'data'>;
};
export type PreviewPayload = Extract<StoredEvent, { name: 'job:preview' }>['payload'];

/** An event as read back: with the time it was recorded. */
export type TimedEvent = RecordedEvent & { readonly at: number };

export const FINAL_EVENTS: ReadonlySet<JobEventName> = new Set(['job:result', 'job:error', 'job:cancelled']);

/**
 * Appends the event to the job's history and to the shared stream in one step, so its number (the
 * history length) is the same on every host node. Nothing is recorded after a final event: a job run
 * twice (its first worker died, or was only slow) or cancelled while finishing ends exactly once.
 */
const RECORD_SCRIPT = `
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
local seq = redis.call('RPUSH', KEYS[1], ARGV[2])
if ARGV[3] == '1' then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[4])
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
  redis.call('PEXPIRE', KEYS[4], ARGV[4])
  redis.call('DEL', KEYS[5], KEYS[6])
else
  redis.call('PEXPIRE', KEYS[1], ARGV[6])
end
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[5], '*', 'job', ARGV[1], 'seq', seq, 'event', ARGV[2])
return seq`;

/** Writes job events to Redis: recorded ones to the job's history and the stream, previews to pub/sub. */
export class RedisEventLog {
  constructor(
    private readonly redis: Redis,
    private readonly resultTtlMs: number,
  ) {}

  /** Resolves to the event's seq, or 0 when the job had already ended. */
  async record(jobId: string, event: RecordedEvent): Promise<number> {
    const keys = redisKeys.job(jobId);
    const final = FINAL_EVENTS.has(event.name) ? '1' : '0';
    const seq = await this.redis.eval(
      RECORD_SCRIPT,
      6,
      keys.events,
      keys.final,
      redisKeys.events,
      keys.meta,
      keys.image,
      keys.mask,
      jobId,
      JSON.stringify({ ...event, at: Date.now() }),
      final,
      this.resultTtlMs,
      EVENT_STREAM_LENGTH,
      OPEN_JOB_TTL_MS,
    );
    return Number(seq);
  }

  async storeResult(jobId: string, data: Buffer): Promise<void> {
    await this.redis.set(redisKeys.job(jobId).result, data, 'PX', this.resultTtlMs);
  }

  async publishPreview(jobId: string, preview: PreviewPayload): Promise<void> {
    await this.redis.publish(redisKeys.previews, encodePreviewFrame(jobId, preview));
  }
}

/** A preview on the wire: 4 bytes of header length, the JSON header, then the encoded image. */
export function encodePreviewFrame(jobId: string, preview: PreviewPayload): Buffer {
  const { data, ...header } = preview;
  const json = Buffer.from(JSON.stringify({ ...header, jobId }));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(json.length);
  return Buffer.concat([length, json, Buffer.from(data as Uint8Array)]);
}

export function decodePreviewFrame(frame: Buffer): { jobId: string; preview: PreviewPayload } | undefined {
  if (frame.length < 4) return undefined;
  const length = frame.readUInt32BE(0);
  if (frame.length < 4 + length) return undefined;
  const { jobId, ...header } = JSON.parse(frame.subarray(4, 4 + length).toString()) as Omit<PreviewPayload, 'data'> & { jobId: string };
  return { jobId, preview: { ...header, data: frame.subarray(4 + length) } };
}
