import sharp from 'sharp';
import { EventLog, pngImage, request, startTestServer, type TestServer } from './server-harness';

/** One job through the real engine and the shipped weights, at a tiny size, over the socket. */
let host: TestServer;
beforeAll(async () => {
  host = await startTestServer({ engine: 'real' });
});
afterAll(() => host.close());

it('restores a 48x48 image in 2 steps with previews, progress and the result', async () => {
  const client = await host.connect();
  const log = new EventLog(client);
  const ack = await request(client, 'job:submit', { plugin: 'denoise', image: await pngImage(48, 48), steps: 2, seed: 7 });
  if (!ack.ok) throw new Error(ack.error.message);
  const jobId = ack.jobId as string;
  const result = await log.final(jobId, 120_000);
  expect(result.name).toBe('job:result');
  const started = log.forJob(jobId, 'job:started')[0].payload;
  expect(started).toMatchObject({ plugin: 'denoise', steps: 2, width: 48, height: 48 });
  expect((started.schedule as number[])[0]).toBe(1);
  expect((started.schedule as number[]).at(-1)).toBe(0);
  expect(log.forJob(jobId, 'job:progress').at(-1)?.payload).toMatchObject({ step: 2, steps: 2, fraction: 1 });
  const previews = log.forJob(jobId, 'job:preview');
  expect(previews.map((p) => p.payload.step)).toEqual([1, 2]);
  const meta = await sharp(result.payload.data as Buffer).metadata();
  expect([meta.format, meta.width, meta.height]).toEqual(['png', 48, 48]);
  expect(result.payload.ms).toBeGreaterThan(0);
});
