import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { psnr, toChannels } from '@fluxir/sdk';
import { readImage } from '@fluxir/sdk/testing';

/** The host loads this package from --plugin-dir (it is not under node_modules/@fluxir) and restores a real JPEG. */
const exec = promisify(execFile);
const root = resolve(__dirname, '../../..');
const cli = join(root, 'host', 'dist', 'cli', 'main.js');
const pluginDir = resolve(__dirname, '..');
const clean = join(root, 'core', 'data', 'examples', 'clean-fruits.png');
/** The shared engine's weights with this task added (`fluxir train --plugin`, see the README). */
const weights = join(pluginDir, 'weights');

let out: string;
beforeAll(() => {
  for (const built of [cli, join(pluginDir, 'dist', 'index.js')]) if (!existsSync(built)) throw new Error(`${built} is missing: run npm run build first`);
  out = mkdtempSync(join(tmpdir(), 'fluxir-jpeg-'));
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

it('fluxir restore --task jpeg-artifacts --plugin-dir restores a quality-20 JPEG closer to the original', async () => {
  const input = join(out, 'fruits-q20.jpg');
  await sharp(clean).jpeg({ quality: 20, chromaSubsampling: '4:2:0' }).toFile(input);
  const output = join(out, 'restored.png');
  const args = [cli, 'restore', input, '--task', 'jpeg-artifacts', '--plugin-dir', pluginDir, '--weights', weights, '-o', output, '--json'];
  const { stdout } = await exec(process.execPath, args, { cwd: root });
  expect(JSON.parse(stdout.trim())).toMatchObject({ task: 'jpeg-artifacts', plugin: 'fluxir-plugin-jpeg-artifacts', pluginVersion: '1.1.0', steps: 2 });
  const reference = toChannels((await readImage(clean)).image, 3);
  const compressed = toChannels((await readImage(input)).image, 3);
  const restored = toChannels((await readImage(output)).image, 3);
  expect([restored.width, restored.height]).toEqual([reference.width, reference.height]);
  expect(psnr(reference, restored)).toBeGreaterThan(psnr(reference, compressed));
});

it('passes the plugin harness, the restoration check included, on the weights it ships', async () => {
  const args = [cli, 'plugin', 'test', pluginDir, '--weights', weights];
  const { stdout } = await exec(process.execPath, args, { cwd: root });
  expect(stdout).toContain('the shared engine improves PSNR over the degraded input on the fixtures');
  expect(stdout).toMatch(/\d+ passed, 0 failed/);
}, 300_000);

it('is not offered without --plugin-dir: the seven built-in tasks stay as they are', async () => {
  const { stdout } = await exec(process.execPath, [cli, 'plugins', '--json'], { cwd: root });
  expect(stdout).not.toContain('jpeg-artifacts');
});
