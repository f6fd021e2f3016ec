import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createImage, errors, readImage, writeImage } from '@fluxir/core';
import { FakeEngine } from '../testing/fake-engine';
import { writeFakePluginPackage } from '../testing/fake-plugin-package';
import { createHostContainer } from '../host-container';
import type { CliContext } from './cli-context';
import { run } from './main';

let root: string;
let plugins: string;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'fluxir-cli-'));
  plugins = path.join(root, 'plugins');
  await writeFakePluginPackage(plugins, { id: 'denoise' });
  await writeFakePluginPackage(plugins, { id: 'inpaint', requiresMask: true });
  await writeFakePluginPackage(plugins, { id: 'broken', entrySource: "throw new Error('broken on purpose');" });
});

afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
  engines: FakeEngine[];
}

async function fluxir(...args: string[]): Promise<Captured> {
  return fluxirWith(async () => new FakeEngine(), ...args);
}

async function fluxirWith(factory: () => Promise<FakeEngine>, ...args: string[]): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const engines: FakeEngine[] = [];
  const cli: CliContext = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    createHost: (options) =>
      createHostContainer({
        ...options,
        searchNodeModules: false,
        engineVersion: '1.0.0',
        engineFactory: async () => engines[engines.push(await factory()) - 1],
      }),
    exitCode: 0,
  };
  const code = await run([...args, '--plugin-dir', plugins], cli);
  return { code, stdout, stderr, engines };
}

async function folderWith(name: string, files: Record<string, 'rgb' | 'grey' | 'corrupt' | 'mask'>): Promise<string> {
  const dir = path.join(root, name);
  await fs.mkdir(dir, { recursive: true });
  for (const [file, kind] of Object.entries(files)) {
    const target = path.join(dir, file);
    if (kind === 'corrupt') {
      await fs.writeFile(target, Buffer.from('\x89PNG\r\n\x1a\n this is not really a png'));
      continue;
    }
    const image = createImage(12, 8, kind === 'rgb' ? 3 : 1);
    for (let i = 0; i < image.data.length; i++) image.data[i] = kind === 'mask' ? (i % 12 < 6 ? 1 : 0) : (i % 13) / 12;
    await writeImage(target, image);
  }
  return dir;
}

const jsonLines = (text: string) => text.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);

describe('fluxir restore', () => {
  it('restores the good files of a folder, reports the corrupt one with E_DECODE and exits 1', async () => {
    const input = await folderWith('batch', { 'good.png': 'rgb', 'bad.png': 'corrupt' });
    const output = path.join(root, 'batch-out');
    const result = await fluxir('restore', input, '--task', 'denoise', '-o', output, '--json');

    expect(result.code).toBe(1);
    const lines = jsonLines(result.stdout);
    expect(lines).toEqual([
      {
        input: path.join(input, 'bad.png'),
        error: { code: 'E_DECODE', message: expect.stringContaining(`cannot decode ${path.join(input, 'bad.png')}`) },
      },
      {
        input: path.join(input, 'good.png'),
        output: path.join(output, 'good.png'),
        task: 'denoise',
        plugin: '@test/plugin-denoise',
        pluginVersion: '1.2.3',
        steps: 4,
        backend: 'fake',
        ms: expect.any(Number),
        totalMs: expect.any(Number),
        decodeMs: expect.any(Number),
        prepareMs: expect.any(Number),
        encodeMs: expect.any(Number),
        peakRssMb: expect.any(Number),
      },
    ]);
    expect(await fs.readdir(output)).toEqual(['good.png']);
    expect((await readImage(path.join(output, 'good.png'))).info).toMatchObject({ width: 12, height: 8, channels: 3 });
    expect(result.engines).toHaveLength(1);
    expect(result.engines[0].disposed).toBe(true);
    // The broken plugin is reported on the log and did not stop anything.
    expect(result.stderr).toContain('broken on purpose');
  });

  it('refuses an output that reaches its input through a symbolic link, and leaves the input as it was', async () => {
    const input = await folderWith('linked', { 'photo.png': 'rgb' });
    const link = path.join(root, 'linked-alias');
    await fs.symlink(input, link);
    const before = await fs.readFile(path.join(input, 'photo.png'));
    const result = await fluxir('restore', path.join(input, 'photo.png'), '-t', 'denoise', '-o', path.join(link, 'photo.png'), '--json');
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toContain('E_PARAMS');
    expect(await fs.readFile(path.join(input, 'photo.png'))).toEqual(before);
  });

  it('skips a FIFO in an input folder instead of waiting on it forever', async () => {
    const input = await folderWith('with-fifo', { 'good.png': 'rgb' });
    execFileSync('mkfifo', [path.join(input, 'pipe.png')]);
    const result = await fluxir('restore', input, '-t', 'denoise', '-o', path.join(root, 'with-fifo-out'), '--json');
    expect(result.code).toBe(0);
    expect(jsonLines(result.stdout).map((line) => line.input)).toEqual([path.join(input, 'good.png')]);
    const named = await fluxir('restore', path.join(input, 'pipe.png'), '-t', 'denoise', '-o', path.join(root, 'fifo-out.png'), '--json');
    expect(jsonLines(named.stdout)[0]).toMatchObject({ error: { code: 'E_DECODE', message: expect.stringContaining('not a regular file') } });
  });

  it('removes the temporary file an earlier run killed mid-write left beside the output', async () => {
    const input = await folderWith('stale', { 'photo.png': 'rgb' });
    const output = path.join(root, 'stale-out');
    await fs.mkdir(output, { recursive: true });
    const stale = path.join(output, '.photo.png.0123456789ab.tmp');
    const fresh = path.join(output, '.photo.png.ba9876543210.tmp');
    await fs.writeFile(stale, 'half an image');
    await fs.utimes(stale, new Date(Date.now() - 3600_000), new Date(Date.now() - 3600_000));
    await fs.writeFile(fresh, 'a write in progress');
    const result = await fluxir('restore', input, '-t', 'denoise', '-o', output, '--json');
    expect(result.code).toBe(0);
    expect((await fs.readdir(output)).sort()).toEqual(['.photo.png.ba9876543210.tmp', 'photo.png']);
  });

  it('answers an output under a file used as a folder with E_WRITE', async () => {
    const input = await folderWith('not-a-folder', { 'photo.png': 'rgb' });
    const result = await fluxir('restore', path.join(input, 'photo.png'), '-t', 'denoise', '-o', path.join(input, 'photo.png', 'out.png'), '--json');
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toContain('E_WRITE');
    expect(result.stdout + result.stderr).not.toContain('E_INTERNAL');
  });

  it('writes one input to the file -o names, in that file format, grey kept grey', async () => {
    const input = await folderWith('single', { 'photo.png': 'grey' });
    const output = path.join(root, 'single-out.jpg');
    const result = await fluxir('restore', path.join(input, 'photo.png'), '--task', 'denoise', '-o', output, '--steps', '2');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/photo\.png -> .*single-out\.jpg {2}denoise \(@test\/plugin-denoise 1\.2\.3\) {2}2 steps on fake {2}\d+ ms/);
    expect((await readImage(output)).info).toMatchObject({ format: 'jpeg', grey: true, channels: 1 });
  });

  it('keeps 16-bit depth and alpha from input to output', async () => {
    const dir = path.join(root, 'deep');
    await fs.mkdir(dir, { recursive: true });
    const rgba = createImage(6, 5, 4);
    for (let i = 0; i < rgba.data.length; i++) rgba.data[i] = (i % 4 === 3 ? 0.3 : (i % 17) / 16);
    await writeImage(path.join(dir, 'deep.png'), rgba, { bitDepth: 16 });
    const output = path.join(root, 'deep-out.png');
    const result = await fluxir('restore', path.join(dir, 'deep.png'), '-t', 'denoise', '-o', output, '--json');
    expect(result.code).toBe(0);
    const back = await readImage(output);
    expect(back.info).toMatchObject({ bitDepth: 16, channels: 4, hasAlpha: true });
    expect(Math.abs(back.image.data[3] - 0.3)).toBeLessThan(1e-4);
  });

  it('lists the known tasks for an unknown one, before reading any image', async () => {
    const input = await folderWith('unknown', { 'a.png': 'rgb' });
    const result = await fluxir('restore', input, '--task', 'sharpen', '-o', path.join(root, 'unknown-out'), '--json');
    expect(result.code).toBe(1);
    expect(jsonLines(result.stdout)).toEqual([
      { error: { code: 'E_UNKNOWN_TASK', message: errors.unknownTask('sharpen', ['denoise', 'inpaint']).message } },
    ]);
    expect(result.engines).toHaveLength(0);
  });

  it('matches masks by name for inpainting, E_MASK for an image without one', async () => {
    const input = await folderWith('holes', { 'a.png': 'rgb', 'b.png': 'rgb' });
    const masks = await folderWith('holes-masks', { 'a.png': 'mask' });
    const output = path.join(root, 'holes-out');
    const result = await fluxir('restore', input, '--task', 'inpaint', '--mask', masks, '-o', output, '--json');
    expect(result.code).toBe(1);
    const [a, b] = jsonLines(result.stdout);
    expect(a).toMatchObject({ input: path.join(input, 'a.png'), output: path.join(output, 'a.png') });
    expect(b).toEqual({ input: path.join(input, 'b.png'), error: { code: 'E_MASK', message: errors.maskMissing('inpaint', path.join(input, 'b.png')).message } });
    const mask = result.engines[0].requests[0].input.mask;
    expect(mask && Array.from(mask.data.slice(0, 12))).toEqual([1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
  });

  it('refuses an image over --max-pixels with E_TOO_LARGE', async () => {
    const input = await folderWith('large', { 'big.png': 'rgb' });
    const result = await fluxir('restore', path.join(input, 'big.png'), '-t', 'denoise', '-o', path.join(root, 'large.png'), '--json', '--max-pixels', '50');
    expect(jsonLines(result.stdout)[0]).toMatchObject({ error: { code: 'E_TOO_LARGE' } });
    expect(result.code).toBe(1);
  });

  it('stops before any image when the engine cannot start (E_WEIGHTS)', async () => {
    const input = await folderWith('noweights', { 'a.png': 'rgb' });
    const output = path.join(root, 'noweights-out');
    const result = await fluxirWith(async () => {
      throw errors.weights('no weights in /nowhere');
    }, 'restore', input, '-t', 'denoise', '-o', output);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('E_WEIGHTS: no weights in /nowhere');
    expect(result.stdout).toBe('');
    await expect(fs.stat(output)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('reports only the engine failure when the first image (decoded while the engine starts) is corrupt too', async () => {
    const input = await folderWith('noweights-corrupt', { 'a.png': 'corrupt', 'b.png': 'rgb' });
    const result = await fluxirWith(async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      throw errors.weights('no weights in /nowhere');
    }, 'restore', input, '-t', 'denoise', '-o', path.join(root, 'noweights-corrupt-out'), '--json');
    const printed = result.stdout + result.stderr;
    expect(result.code).toBe(1);
    expect(printed).toContain('E_WEIGHTS');
    expect(printed).not.toContain('E_DECODE');
  });

  it('decodes and prepares the first image while the engine starts', async () => {
    const dir = await writeFakePluginPackage(path.join(root, 'flagging'), { id: 'flagging' });
    const entry = path.join(dir, 'dist', 'index.js');
    const source = await fs.readFile(entry, 'utf8');
    await fs.writeFile(entry, source.replace('prepare: (input, params, mask) => ({', 'prepare: (input, params, mask) => (globalThis.fluxirPrepared = true, {'));
    const input = await folderWith('early', { 'a.png': 'rgb' });
    const flags = globalThis as { fluxirPrepared?: boolean };
    flags.fluxirPrepared = false;
    // This engine starts only once the image has been prepared: a batch that waited for it first would stall.
    const result = await fluxirWith(async () => {
      for (let i = 0; i < 200 && !flags.fluxirPrepared; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      if (!flags.fluxirPrepared) throw new Error('the image was not prepared while the engine started');
      return new FakeEngine();
    }, 'restore', input, '-t', 'flagging', '-o', path.join(root, 'early-out'), '--json', '--plugin-dir', path.join(root, 'flagging'));
    expect(jsonLines(result.stdout)).toEqual([expect.objectContaining({ task: 'flagging', prepareMs: expect.any(Number) })]);
    expect(result.code).toBe(0);
  });

  it('reports usage errors with a non-zero exit code', async () => {
    const result = await fluxir('restore', 'x.png', '-o', 'y.png');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("required option '-t, --task <task>' not specified");
  });

  it('reports a coded error from any command as its message alone, without a stack trace', async () => {
    const result = await fluxir('eval', '--task', 'denoise,nope', '--data', root);
    expect(result.code).toBe(1);
    const lastLine = result.stderr.trim().split('\n').pop();
    expect(lastLine).toBe(errors.unknownTask('nope', ['denoise', 'inpaint']).message);
    expect(result.stderr).not.toContain('    at ');
  });
});

describe('fluxir eval', () => {
  // A plugin with a training section: a grey veil as its degradation, undoing it as its classical method.
  const evaluable = `'use strict';
const veil = (image) => ({ ...image, data: image.data.map((v) => 0.5 * v + 0.25) });
const unveil = (image) => ({ ...image, data: image.data.map((v) => (v - 0.25) * 1.9) });
exports.default = {
  id: 'veiled', packageName: '@test/plugin-veiled', version: '1.2.3', title: 'Veiled', prompt: 'remove the veil',
  stepBudget: { default: 1, min: 1, max: 2 }, params: {}, requiresMask: false, outputScale: () => 1,
  parseParams: (raw) => Object.assign({}, raw),
  prepare: (input) => ({ y: input, start: unveil(input) }),
  training: {
    trainingParams: () => ({}), degrade: (clean) => ({ input: veil(clean) }), degradationDescription: 'a grey veil',
    baseline: unveil, baselines: { unveil }, evalParams: {}, evalDegrade: (clean) => ({ input: veil(clean) }), evalDescription: 'a grey veil',
    evalSettings: [{ name: 'standard', description: 'a grey veil', params: {}, degrade: (clean) => ({ input: veil(clean) }) }],
  },
};
`;

  it('scores the validation photos and, with --save-images, writes each one for a look', async () => {
    await writeFakePluginPackage(path.join(root, 'evaluable'), { id: 'veiled', entrySource: evaluable });
    const data = path.join(root, 'eval-photos');
    await fs.mkdir(data, { recursive: true });
    for (const name of ['a.png', 'b.png', 'train.png']) {
      const photo = createImage(40, 36, 3);
      for (let i = 0; i < photo.data.length; i++) photo.data[i] = (i % 29) / 28;
      await writeImage(path.join(data, name), photo);
    }
    const split = path.join(root, 'eval-split.json');
    await fs.writeFile(split, JSON.stringify({ validation: ['a.png', 'b.png'] }));
    const saved = path.join(root, 'eval-images');
    const args = ['--data', data, '--split', split, '--json', '--plugin-dir', path.join(root, 'evaluable')];
    const result = await fluxir('eval', '--task', 'veiled', ...args, '--save-images', saved);
    expect(result.stderr).toContain('veiled standard: input ');
    expect(result.code).toBe(0);
    const [scored] = JSON.parse(result.stdout) as Array<{ setting: string; baselineMethod: string; photos: Array<{ photo: string; start: { psnr: number } }> }>;
    expect(scored).toMatchObject({ setting: 'standard', baselineMethod: 'unveil' });
    expect(scored.photos.map((p) => p.photo)).toEqual(['a.png', 'b.png']);
    expect(scored.photos[0].start.psnr).toBeGreaterThan(25);
    const dir = path.join(saved, 'veiled', 'standard');
    expect((await fs.readdir(dir)).sort()).toEqual(['a', 'b'].flatMap((n) => ['clean', 'fluxir', 'input', 'start'].map((k) => `${n}-${k}.png`)).sort());
    const [clean, input] = await Promise.all(['clean', 'input'].map(async (k) => (await readImage(path.join(dir, `a-${k}.png`))).image));
    expect([input.width, input.height]).toEqual([40, 36]);
    expect(Math.abs(input.data[0] - (0.5 * clean.data[0] + 0.25))).toBeLessThan(1 / 255);
  });

  it('refuses a plugin without a training section with E_PLUGIN, and a photo too small to score with E_DATA', async () => {
    const serving = evaluable.replace(/ {2}training: \{[\s\S]*?\n {2}\},\n/, '').replace(/veiled/g, 'served');
    await writeFakePluginPackage(path.join(root, 'serving'), { id: 'served', entrySource: serving });
    const data = await folderWith('eval-photos-2', { 'a.png': 'rgb' });
    const untrained = await fluxir('eval', '--task', 'served', '--data', data, '--plugin-dir', path.join(root, 'serving'));
    expect(untrained.code).toBe(1);
    expect(untrained.stderr.trim().split('\n').pop()).toMatch(/^E_PLUGIN: plugin served: its training section lacks trainingParams, degrade, baseline, evalSettings, baselines/);
    const small = await fluxir('eval', '--task', 'veiled', '--data', data, '--plugin-dir', path.join(root, 'evaluable'));
    expect(small.code).toBe(1);
    expect(small.stderr.trim().split('\n').pop()).toBe(`E_DATA: ${path.join(data, 'a.png')} is 12x8 after cropping; evaluation needs at least 32x32 pixels`);
  });
});

describe('fluxir plugins', () => {
  it('lists plugins with versions, prompts, budgets and schedules, and the ones that failed', async () => {
    const result = await fluxir('plugins', '--json');
    expect(result.code).toBe(0);
    const listing = JSON.parse(result.stdout) as { engine: unknown; plugins: unknown[]; failures: Array<{ message: string }> };
    expect(listing.engine).toEqual({ version: '1.0.0', backend: 'fake' });
    expect(listing.plugins[0]).toMatchObject({
      id: 'denoise',
      package: '@test/plugin-denoise',
      version: '1.2.3',
      title: 'Fake denoise',
      prompt: 'denoise the image',
      stepBudget: { default: 4, min: 1, max: 8 },
      requiresMask: false,
      schedule: [1, 0.75, 0.5, 0.25, 0],
      schedules: { '1': { schedule: [1, 0], distilled: false }, '4': { schedule: [1, 0.75, 0.5, 0.25, 0], distilled: false } },
    });
    // Budgets outside the plugin's range (1-8) are not listed: the teacher's 16 steps is not.
    expect(Object.keys((listing.plugins[0] as { schedules: object }).schedules)).toEqual(['1', '2', '3', '4', '6', '8']);
    expect(listing.failures[0].message).toContain('broken on purpose');
  });

  it('prints a readable table', async () => {
    const result = await fluxir('plugins');
    expect(result.stdout).toContain('engine 1.0.0 on fake');
    expect(result.stdout).toContain('inpaint  Fake inpaint  @test/plugin-inpaint 1.2.3  needs a mask');
    expect(result.stdout).toContain('K = 4  uniform    1.000 0.750 0.500 0.250 0.000 (default)');
  });
});
