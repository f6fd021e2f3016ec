import { decodeImage, encodeImage, createImage } from '@fluxir/core';
import { ERROR_CODES } from '@fluxir/sdk/protocol';
import * as zlib from 'node:zlib';
import { EventLog, pngImage, request, startTestServer, type TestServer } from './server-harness';

/** A seeded generator (mulberry32): a failure reproduces from the seed printed with it. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = Number(process.env.FLUXIR_FUZZ_SEED ?? 20261126);
const codes = new Set<string>(ERROR_CODES);

function crc32(bytes: Buffer): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A few hundred bytes of PNG that declares width x height: a decompression bomb if decoded. */
function bombPng(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = zlib.deflateSync(Buffer.alloc(64 * 1024));
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', rows), chunk('IEND', Buffer.alloc(0))]);
}

/** A JPEG start whose frame header declares 65000 x 65000. */
function hugeJpeg(): Buffer {
  return Buffer.from([0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08, 0xfd, 0xe8, 0xfd, 0xe8, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01, 0xff, 0xd9]);
}

function randomValue(next: () => number, depth = 0): unknown {
  const pick = Math.floor(next() * (depth > 2 ? 6 : 9));
  const choices: (() => unknown)[] = [
    () => null,
    () => Math.floor(next() * 2 ** 40) * (next() < 0.5 ? -1 : 1),
    () => next() * 1e308,
    () => 'x'.repeat(Math.floor(next() * 300)),
    () => next() < 0.5,
    () => Buffer.from(Array.from({ length: Math.floor(next() * 64) }, () => Math.floor(next() * 256))),
    () => Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1)),
    () => Object.fromEntries(Array.from({ length: Math.floor(next() * 4) }, (_, i) => [['plugin', 'image', 'steps', 'params', '__proto__', `k${i}`][Math.floor(next() * 6)], randomValue(next, depth + 1)])),
    () => ({ plugin: 'denoise', image: randomValue(next, depth + 1), steps: randomValue(next, depth + 1) }),
  ];
  return choices[pick]();
}

/** A valid submission with one field swapped for something random. */
function mutated(valid: Record<string, unknown>, next: () => number): Record<string, unknown> {
  const keys = ['plugin', 'image', 'mask', 'steps', 'seed', 'params', 'preview', 'resultMime', 'version', 'extra'];
  const key = keys[Math.floor(next() * keys.length)];
  const copy = { ...valid };
  if (next() < 0.2) delete copy[key];
  else copy[key] = randomValue(next);
  return copy;
}

describe(`hostile input (seed ${SEED}; rerun with FLUXIR_FUZZ_SEED)`, () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ limits: { maxPixels: 4e6, maxUploadBytes: 2e6, maxJobsPerClient: 64, maxQueued: 256 } });
  });
  afterAll(() => server.close());

  it('the image decoder refuses truncated files, random bytes and bombs with a code, fast', async () => {
    const next = random(SEED);
    const good = await pngImage(32, 32);
    const samples: [string, Buffer][] = [
      ['100000x100000 PNG', bombPng(100_000, 100_000)],
      ['30000x30000 PNG', bombPng(30_000, 30_000)],
      ['65000x65000 JPEG header', hugeJpeg()],
      ['empty', Buffer.alloc(0)],
      ...Array.from({ length: 12 }, (_, i): [string, Buffer] => [`PNG cut at ${i * 8 + 4}`, good.subarray(0, i * 8 + 4)]),
      ...Array.from({ length: 12 }, (_, i): [string, Buffer] => [`random ${i}`, Buffer.from(Array.from({ length: 1 + Math.floor(next() * 4096) }, () => Math.floor(next() * 256)))]),
    ];
    const started = performance.now();
    for (const [name, bytes] of samples) {
      await expect(decodeImage(bytes, name, { maxPixels: 4e6 })).rejects.toMatchObject({ code: expect.stringMatching(/^E_(DECODE|TOO_LARGE)$/) });
    }
    expect(performance.now() - started).toBeLessThan(5000);
    console.log(`fuzz: ${samples.length} hostile images refused in ${(performance.now() - started).toFixed(0)} ms`);
  });

  it('random and mutated socket messages: every answer is ok or a known error code, every accepted job ends, the host stays up', async () => {
    const next = random(SEED + 1);
    const client = await server.connect();
    const log = new EventLog(client);
    const valid = { plugin: 'denoise', image: await pngImage(24, 24), steps: 2 };
    const images = [bombPng(100_000, 100_000), hugeJpeg(), (await pngImage(24, 24)).subarray(0, 40)];
    const events = ['job:submit', 'job:cancel', 'job:attach', 'jobs:list', 'plugins:list', 'no:such:event'];
    const accepted: string[] = [];
    const tally: Record<string, number> = {};
    for (let i = 0; i < 150; i++) {
      const event = events[Math.floor(next() * events.length)];
      let payload: unknown = event === 'job:submit' && next() < 0.7 ? mutated(valid, next) : randomValue(next);
      if (event === 'job:submit' && next() < 0.15) payload = { ...valid, image: images[Math.floor(next() * images.length)] };
      if (event === 'no:such:event') {
        (client.emit as (name: string, ...args: unknown[]) => unknown)(event, payload);
        continue;
      }
      const answer = await request(client, event, payload);
      const key = answer.ok ? 'ok' : answer.error.code;
      tally[key] = (tally[key] ?? 0) + 1;
      if (!answer.ok) expect(codes.has(answer.error.code)).toBe(true);
      if (answer.ok && event === 'job:submit') accepted.push(answer.jobId as string);
    }
    const finals = await Promise.all(accepted.map((jobId) => log.final(jobId, 30_000)));
    for (const final of finals) {
      if (final.name === 'job:error') expect(codes.has((final.payload.error as { code: string }).code)).toBe(true);
      else expect(final.name).toBe('job:result');
    }
    expect(await request(client, 'plugins:list')).toMatchObject({ ok: true });
    console.log(`fuzz: 150 socket messages -> ${JSON.stringify(tally)}; ${accepted.length} accepted jobs all ended`);
  }, 120_000);

  it('random and mutated REST requests: a status and a known code for each, no 500, the host stays up', async () => {
    const next = random(SEED + 2);
    const statuses: Record<number, number> = {};
    const good = await pngImage(24, 24);
    for (let i = 0; i < 80; i++) {
      const kind = Math.floor(next() * 4);
      let response: Response;
      if (kind === 0) {
        const body = Buffer.from(Array.from({ length: Math.floor(next() * 2048) }, () => Math.floor(next() * 256)));
        response = await fetch(`${server.url}/api/jobs?plugin=${['denoise', 'nope', '', '%00'][Math.floor(next() * 4)]}&steps=${Math.floor(next() * 1e6) - 5}`, { method: 'POST', body });
      } else if (kind === 1) {
        const form = new FormData();
        const image = next() < 0.5 ? bombPng(100_000, 100_000) : good.subarray(0, Math.floor(next() * good.length));
        form.append('image', new Blob([new Uint8Array(image)]), 'x.png');
        form.append('plugin', 'denoise');
        form.append('params', String(randomValue(next)));
        response = await fetch(`${server.url}/api/jobs`, { method: 'POST', body: form });
      } else if (kind === 2) {
        const id = ['..%2F..%2Fetc%2Fpasswd', 'x'.repeat(500), '%00', crypto.randomUUID()][Math.floor(next() * 4)];
        response = await fetch(`${server.url}/api/jobs/${id}${next() < 0.5 ? '/result' : ''}`, { method: next() < 0.5 ? 'GET' : 'DELETE' });
      } else {
        response = await fetch(`${server.url}/api/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(randomValue(next)) });
      }
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      expect(response.status).toBeLessThan(500);
      if (response.status >= 400) {
        const body = (await response.json()) as { error?: { code?: string } };
        expect(codes.has(body.error?.code ?? '')).toBe(true);
      } else await response.arrayBuffer();
    }
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    console.log(`fuzz: 80 REST requests -> statuses ${JSON.stringify(statuses)}`);
  }, 120_000);
});

// encodeImage and createImage keep the PNG helpers above honest: a real image of the bomb's kind decodes.
it('the crafted PNG writer makes real PNGs when the size is honest', async () => {
  const honest = await encodeImage(createImage(4, 4, 3), 'png');
  expect((await decodeImage(honest, 'honest')).image.width).toBe(4);
  await expect(decodeImage(bombPng(4, 4), 'small bomb')).resolves.toMatchObject({ image: { width: 4, height: 4 } });
});
