import { EventLog, pngImage, request, resumeKeyOf, startTestServer, type Client, type TestServer } from './server-harness';
import { REDIS_MISSING, redisServerBinary, spawnWorker, TestRedis, type WorkerProcess } from './fault-harness';
import { requireTool } from './required-tools';

const binary = redisServerBinary();
requireTool(!!binary, REDIS_MISSING);

/** Fault tests of Redis mode: real redis-server, real worker processes (FakeEngine with paced steps). */
describe('Redis mode under faults: nothing is lost', () => {
  let redis: TestRedis;
  const workers: WorkerProcess[] = [];
  const hosts: TestServer[] = [];

  beforeAll(async () => {
    redis = await TestRedis.start(binary!);
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.kill('SIGKILL')));
    await Promise.all(hosts.splice(0).map((host) => host.close()));
  });
  afterAll(async () => {
    await redis?.stop();
  });

  async function host(db: number): Promise<TestServer> {
    const server = await startTestServer({ config: { redisUrl: redis.url(db) }, limits: { maxJobsPerClient: 16, resultTtlMs: 120_000 } });
    hosts.push(server);
    return server;
  }
  async function worker(db: number, stepMs: number): Promise<WorkerProcess> {
    const started = await spawnWorker(redis.url(db), stepMs, 1000);
    workers.push(started);
    return started;
  }
  async function submit(client: Client, steps: number, side = 48): Promise<string> {
    const ack = await request(client, 'job:submit', { plugin: 'denoise', image: await pngImage(side, side), steps, preview: { maxSide: 32 } });
    if (!ack.ok) throw new Error(`submit refused: ${ack.error.code} ${ack.error.message}`);
    return ack.jobId as string;
  }

  it('a worker killed mid-job: the job is retried on another worker and the client gets its result', async () => {
    const started = performance.now();
    const pool = [await worker(1, 100), await worker(1, 100)];
    const server = await host(1);
    const client = await server.connect();
    const log = new EventLog(client);
    const jobId = await submit(client, 10);
    await log.waitFor((e) => e.name === 'job:progress' && e.payload.jobId === jobId && (e.payload.step as number) >= 2);
    const running = pool.find((w) => w.stderr.join('').includes(jobId)) ?? pool[0];
    await running.kill('SIGKILL');
    const final = await log.final(jobId, 30_000);
    expect(final.name).toBe('job:result');
    expect(final.payload).toMatchObject({ width: 48, height: 48, steps: 10 });
    expect(log.forJob(jobId, 'job:started').length).toBe(2);
    console.log(`fault: worker killed mid-job -> retried and done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }, 60_000);

  it('a host node stopped while jobs wait: another node serves them, and their results, to the returning client', async () => {
    const first = await host(2);
    const client = await first.connect();
    const resumeKey = await resumeKeyOf(client);
    const jobIds = [await submit(client, 3), await submit(client, 3), await submit(client, 3)];
    await first.close();
    hosts.splice(hosts.indexOf(first), 1);
    const second = await host(2);
    await worker(2, 20);
    const again = await second.connect({ resumeKey });
    const log = new EventLog(again);
    for (const jobId of jobIds) expect(await request(again, 'job:attach', { jobId })).toMatchObject({ ok: true });
    const finals = await Promise.all(jobIds.map((jobId) => log.final(jobId, 30_000)));
    expect(finals.map((e) => e.name)).toEqual(['job:result', 'job:result', 'job:result']);
    const response = await fetch(`${second.url}/api/jobs/${jobIds[0]}/result`, { headers: { 'X-Fluxir-Resume-Key': resumeKey } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    console.log(`fault: host restarted with ${jobIds.length} jobs queued -> ${finals.length} results after the restart`);
  }, 60_000);

  it('a worker busy decoding and preparing a 4 MP image keeps its lock: the job runs once, not on both workers', async () => {
    await worker(5, 20);
    await worker(5, 20);
    const server = await host(5);
    const client = await server.connect();
    const log = new EventLog(client);
    const jobId = await submit(client, 2, 2000);
    const final = await log.final(jobId, 60_000);
    expect(final.name).toBe('job:result');
    expect(log.forJob(jobId, 'job:started')).toHaveLength(1);
  }, 90_000);

  it('Redis restarted while jobs run and wait: every job still ends with its result', async () => {
    await worker(3, 60);
    const server = await host(3);
    const client = await server.connect();
    const log = new EventLog(client);
    const jobIds = [await submit(client, 10), await submit(client, 10), await submit(client, 10)];
    await log.waitFor((e) => e.name === 'job:progress' && e.payload.jobId === jobIds[0]);
    const down = performance.now();
    await redis.down();
    await new Promise((resolve) => setTimeout(resolve, 700));
    await redis.up();
    const finals = await Promise.all(jobIds.map((jobId) => log.final(jobId, 40_000)));
    expect(finals.map((e) => e.name)).toEqual(['job:result', 'job:result', 'job:result']);
    console.log(`fault: Redis killed for 0.7 s -> ${finals.length}/3 jobs done ${((performance.now() - down) / 1000).toFixed(1)} s later`);
  }, 90_000);

  it('a client that stops reading does not slow the others, and gets its result once it reads again', async () => {
    await worker(4, 30);
    await worker(4, 30);
    const server = await host(4);
    const timeOthers = async (): Promise<number> => {
      const t0 = performance.now();
      await Promise.all(
        ['a', 'b', 'c'].map(async (name) => {
          const client = await server.connect();
          const log = new EventLog(client);
          const jobId = await submit(client, 6);
          expect((await log.final(jobId, 30_000)).name).toBe('job:result');
          client.disconnect();
        }),
      );
      return performance.now() - t0;
    };
    const baseline = await timeOthers();
    const slow = await server.connect();
    const slowLog = new EventLog(slow);
    const slowJob = await submit(slow, 12, 256);
    // Stop reading the socket: the host's writes to it pile up in the kernel buffers.
    const engine = slow.io.engine as unknown as { transport: { ws?: { _socket?: { pause(): void; resume(): void } } } };
    const tcp = engine.transport.ws?._socket;
    tcp?.pause();
    const withSlow = await timeOthers();
    tcp?.resume();
    expect((await slowLog.final(slowJob, 30_000)).name).toBe('job:result');
    console.log(`fault: 3 clients' jobs took ${baseline.toFixed(0)} ms alone, ${withSlow.toFixed(0)} ms beside a client that stopped reading`);
    expect(withSlow).toBeLessThan(baseline * 2 + 1500);
  }, 90_000);
});
