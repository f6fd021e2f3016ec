import { JobQueue } from '../host/src/jobs/job-queue.interface';
import { EventLog, PacedEngine, pngImage, request, resumeKeyOf, startTestServer, type TestServer } from './server-harness';

/**
 * A job can leave the job table between a client's `job:attach` and the moment the host starts sending
 * it the job's events: a finished job is dropped as soon as another one ends while `maxRetainedJobs` is
 * full. That gap must not be able to take the host down.
 */
let host: TestServer;
beforeAll(async () => {
  host = await startTestServer({ engine: () => new PacedEngine(200), limits: { maxRetainedJobs: 2, maxJobsPerClient: 8 } });
});
afterAll(() => host.close());

async function submit(client: Awaited<ReturnType<TestServer['connect']>>, steps = 4): Promise<string> {
  const ack = await request(client, 'job:submit', { plugin: 'denoise', image: await pngImage(8, 8), steps, preview: { enabled: false } });
  if (!ack.ok) throw new Error(ack.error.message);
  return ack.jobId as string;
}

describe('a job evicted while a client attaches to it', () => {
  it('keeps the host serving when a DELETE of another job evicts it right after the attach is acknowledged', async () => {
    const client = await host.connect();
    const log = new EventLog(client);
    const running = await submit(client);
    const queued = await submit(client);
    // Fill the table of finished jobs with this client's own cancelled jobs.
    const cancelled = [await submit(client), await submit(client)];
    for (const jobId of cancelled) expect(await request(client, 'job:cancel', { jobId })).toMatchObject({ ok: true, status: 'cancelled' });
    // The cancel a DELETE of the queued job makes lands in the same turn as the attach, just after
    // the host has decided to acknowledge it: ending the queued job evicts the oldest cancelled one.
    const queue = host.server.container.get<JobQueue>(JobQueue);
    let deleted: Promise<unknown> | undefined;
    for (const socket of host.server.io.sockets.sockets.values()) {
      socket.on('job:attach', () => (deleted ??= queue.cancel(queued)));
    }
    const attached = await request(client, 'job:attach', { jobId: cancelled[0] });
    expect(attached).toMatchObject({ ok: true, job: { status: 'cancelled' } });
    expect(await deleted).toMatchObject({ status: 'cancelled' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const health = await fetch(`${host.url}/api/health`);
    expect(health.status).toBe(200);
    expect((await log.final(running)).name).toBe('job:result');
  });

  it('keeps serving through attaches raced against REST DELETEs over the network, again and again', async () => {
    const client = await host.connect();
    const log = new EventLog(client);
    const resumeKey = await resumeKeyOf(client);
    const running = await submit(client, 30);
    const finished: string[] = [];
    for (let i = 0; i < 2; i++) {
      const jobId = await submit(client);
      await request(client, 'job:cancel', { jobId });
      finished.push(jobId);
    }
    for (let round = 0; round < 20; round++) {
      const queued = await submit(client);
      const [attached, deleted] = await Promise.all([
        request(client, 'job:attach', { jobId: finished.shift() }),
        fetch(`${host.url}/api/jobs/${queued}`, { method: 'DELETE', headers: { 'X-Fluxir-Resume-Key': resumeKey } }),
      ]);
      expect(deleted.status).toBe(200);
      expect(attached.ok || (!attached.ok && attached.error.code === 'E_NOT_FOUND')).toBe(true);
      finished.push(queued);
    }
    expect((await fetch(`${host.url}/api/health`)).status).toBe(200);
    expect((await log.final(running, 20_000)).name).toBe('job:result');
  });
});
