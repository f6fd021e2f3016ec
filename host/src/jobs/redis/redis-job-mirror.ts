import type { Redis } from 'ioredis';
import type { Logger } from '../../logging/logger.interface';
import { decodePreviewFrame, type TimedEvent } from './redis-event-log';
import { redisKeys } from './redis-keys';
import { RedisJobView, type RedisJobMeta } from './redis-job-view';

type StreamEntries = [id: string, fields: string[]][];
/** XREAD's reply: per stream [name, entries] (RESP2), or the single stream's pair itself (RESP3 maps, as ioredis 6 gives them). */
type StreamReply = [stream: string, entries: StreamEntries][] | [stream: string, entries: StreamEntries] | null;

function entriesOf(reply: StreamReply): StreamEntries {
  if (!reply) return [];
  return typeof reply[0] === 'string' ? (reply[1] as StreamEntries) : ((reply[0] as [string, StreamEntries] | undefined)?.[1] ?? []);
}

/**
 * Every job of the deployment as this host node sees it. Loaded from Redis when the node starts, then
 * kept current by tailing the event stream from where the load left off; after a Redis restart or a
 * lost connection it carries on from the last entry it applied, so no event is skipped.
 */
export class RedisJobMirror {
  readonly views = new Map<string, RedisJobView>();
  private lastId = '0-0';
  private running = false;
  private tailing?: Promise<void>;
  private sweeper?: NodeJS.Timeout;

  constructor(
    private readonly redis: Redis,
    private readonly reader: Redis,
    private readonly subscriber: Redis,
    private readonly limits: { readonly resultTtlMs: number; readonly maxRetainedJobs: number },
    private readonly logger: Logger,
    private readonly onChange: () => void,
  ) {}

  async start(): Promise<void> {
    const last = (await this.redis.call('XREVRANGE', redisKeys.events, '+', '-', 'COUNT', 1)) as [string, string[]][];
    this.lastId = last[0]?.[0] ?? '0-0';
    const ids = await this.redis.zrange(redisKeys.index, '0', '-1');
    for (const id of ids) if (!(await this.load(id))) await this.redis.zrem(redisKeys.index, id);
    this.subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => this.onPreview(channel, message));
    await this.subscriber.subscribe(redisKeys.previews);
    this.running = true;
    this.tailing = this.tail();
    this.sweeper = setInterval(() => this.sweep(), Math.min(30_000, this.limits.resultTtlMs)).unref();
    this.onChange();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.sweeper);
    this.reader.disconnect();
    await this.tailing;
  }

  /** Reads a job's whole history from Redis; false when Redis no longer has it. */
  async load(id: string): Promise<RedisJobView | undefined> {
    const keys = redisKeys.job(id);
    const [meta, events] = await Promise.all([this.redis.get(keys.meta), this.redis.lrange(keys.events, 0, -1)]);
    if (!meta) return undefined;
    const view = this.views.get(id) ?? new RedisJobView(id, JSON.parse(meta) as RedisJobMeta);
    this.views.set(id, view);
    for (const [index, text] of events.entries()) await this.apply(view, index + 1, JSON.parse(text) as TimedEvent);
    return view;
  }

  private async tail(): Promise<void> {
    while (this.running) {
      try {
        const reply = (await this.reader.call('XREAD', 'BLOCK', '1000', 'STREAMS', redisKeys.events, this.lastId)) as StreamReply;
        for (const [id, fields] of entriesOf(reply)) {
          await this.onEntry(fields);
          this.lastId = id;
        }
      } catch (error) {
        if (!this.running) return;
        this.logger.warn({ err: error }, 'reading job events from Redis failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, 250));
        if (this.reader.status === 'end') this.reader.connect().catch(() => undefined);
      }
    }
  }

  private async onEntry(fields: string[]): Promise<void> {
    const entry: Record<string, string> = {};
    for (let i = 0; i + 1 < fields.length; i += 2) entry[fields[i]] = fields[i + 1];
    const view = this.views.get(entry.job);
    // A job first seen here (submitted on another node): its history, this event included, is loaded whole.
    if (!view) return void (await this.load(entry.job));
    await this.apply(view, Number(entry.seq), JSON.parse(entry.event) as TimedEvent);
  }

  private async apply(view: RedisJobView, seq: number, event: TimedEvent): Promise<void> {
    if (seq <= view.lastSeq) return;
    const data = event.name === 'job:result' ? ((await this.redis.getBuffer(redisKeys.job(view.id).result)) ?? undefined) : undefined;
    view.apply(seq, event, event.at, this.limits.resultTtlMs, data);
    this.onChange();
  }

  private onPreview(channel: Buffer, message: Buffer): void {
    if (channel.toString() !== redisKeys.previews) return;
    try {
      const frame = decodePreviewFrame(message);
      if (frame) this.views.get(frame.jobId)?.preview(frame.preview);
    } catch (error) {
      this.logger.warn({ err: error }, 'a preview frame from Redis could not be read');
    }
  }

  private sweep(): void {
    const now = Date.now();
    const finished = [...this.views.values()].filter((view) => !view.open);
    for (const view of finished) if ((view.expiresAt ?? Infinity) <= now) this.views.delete(view.id);
    const kept = finished.filter((view) => this.views.has(view.id)).sort((a, b) => (a.expiresAt ?? 0) - (b.expiresAt ?? 0));
    for (const view of kept.slice(0, Math.max(0, kept.length - this.limits.maxRetainedJobs))) this.views.delete(view.id);
    void this.redis.zremrangebyscore(redisKeys.index, '-inf', now - 2 * 24 * 3600_000).catch(() => undefined);
  }
}
