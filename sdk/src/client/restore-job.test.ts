import { JobRouter } from './job-router';
import { RestoreJob } from './restore-job';
import type { RestoreEvent } from './restore-events';

const progress = (seq: number, step: number) => ({ jobId: 'j1', seq, step, steps: 3, tile: 1, tiles: 1, fraction: step / 3, etaMs: 0 });
const preview = (seq: number, step: number) => ({ jobId: 'j1', seq, step, steps: 3, t: 1 - step / 3, mime: 'image/jpeg' as const, width: 2, height: 2, data: new Uint8Array([step]) });
const result = (seq: number) => ({ jobId: 'j1', seq, plugin: 'denoise', version: '1.0.0', steps: 3, mime: 'image/png' as const, width: 2, height: 2, ms: 5, data: new ArrayBuffer(4) });

describe('RestoreJob', () => {
  it('delivers events replayed after a reconnect once, and previews in step order', async () => {
    const job = new RestoreJob({ plugin: 'denoise' }, async () => undefined);
    job.accepted('j1', 0);
    job.receive('job:progress', progress(2, 1));
    job.receive('job:preview', preview(3, 1));
    job.receive('job:progress', progress(4, 2));
    // The host replays everything after seq 2 though the client saw up to 4.
    job.receive('job:progress', progress(4, 2));
    job.receive('job:preview', preview(5, 1));
    job.receive('job:progress', progress(6, 3));
    job.receive('job:result', result(7));
    const events: RestoreEvent[] = [];
    for await (const event of job) events.push(event);
    expect(events.map((e) => `${e.type}${'step' in e ? e.step : ''}`)).toEqual(['queued', 'progress1', 'preview1', 'progress2', 'progress3', 'result']);
    expect((await job.result).data).toBeInstanceOf(Uint8Array);
    expect(job.afterSeq).toBe(7);
  });

  it('a job cancelled before the host accepted it is cancelled on the host once it is', async () => {
    const cancelled: string[] = [];
    const abort = new AbortController();
    const job = new RestoreJob({ plugin: 'denoise', signal: abort.signal }, async (jobId) => void cancelled.push(jobId));
    abort.abort();
    await expect(job.result).rejects.toMatchObject({ code: 'E_ABORTED' });
    job.accepted('j1', 0);
    expect(cancelled).toEqual(['j1']);
  });

  it('a callback that throws does not stop the job’s other deliveries', async () => {
    const seen: number[] = [];
    const job = new RestoreJob(
      {
        plugin: 'denoise',
        onProgress: (p) => {
          seen.push(p.step);
          throw new Error('caller bug');
        },
      },
      async () => undefined,
    );
    const thrown: unknown[] = [];
    const original = globalThis.setTimeout;
    jest.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void) => {
      try {
        fn();
      } catch (error) {
        thrown.push(error);
      }
      return 0;
    }) as unknown as typeof original);
    try {
      job.accepted('j1', 0);
      job.receive('job:progress', progress(1, 1));
      job.receive('job:progress', progress(2, 2));
      job.receive('job:result', result(3));
      await expect(job.result).resolves.toMatchObject({ steps: 3 });
    } finally {
      jest.restoreAllMocks();
    }
    expect(seen).toEqual([1, 2]);
    expect(thrown).toHaveLength(2);
  });
});

describe('JobRouter', () => {
  it('keeps events that arrive before the submit acknowledgement and hands them over', async () => {
    const router = new JobRouter();
    router.route('job:queued', { jobId: 'j1', seq: 1, position: 2 });
    router.route('job:progress', progress(2, 1));
    const job = new RestoreJob({ plugin: 'denoise' }, async () => undefined);
    job.accepted('j1', 2);
    router.track('j1', job);
    router.route('job:result', result(3));
    const types: string[] = [];
    for await (const event of job) types.push(event.type);
    expect(types).toEqual(['queued', 'progress', 'result']);
    expect(router.open()).toEqual([]);
  });
});
