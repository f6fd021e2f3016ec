import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createImage, defaultWeightsDir, readCard, writeImage } from '@fluxir/core';
import { FakeEngine } from '../testing/fake-engine';
import { writeFakePluginPackage } from '../testing/fake-plugin-package';
import { createHostContainer } from '../host-container';
import type { CliContext } from './cli-context';
import { run } from './main';

let root: string;
let plugins: string;
let photos: string;

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'fluxir-train-'));
  plugins = path.join(root, 'plugins');
  await writeFakePluginPackage(plugins, { id: 'denoise' });
  photos = path.join(root, 'photos');
  mkdirSync(photos);
  for (const name of ['a.png', 'b.png']) {
    const image = createImage(160, 160, 3);
    for (let i = 0; i < image.data.length; i++) image.data[i] = (Math.sin(i * 0.37) + 1) / 2;
    await writeImage(path.join(photos, name), image);
  }
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

async function train(name: string, ...extra: string[]): Promise<{ code: number; out: string; stderr: string }> {
  let stderr = '';
  const cli: CliContext = {
    stdout: { write: () => undefined },
    stderr: { write: (s: string) => (stderr += s) },
    createHost: (options) => createHostContainer({ ...options, searchNodeModules: false, engineVersion: '1.0.0', engineFactory: async () => new FakeEngine() }),
    exitCode: 0,
  };
  const out = path.join(root, name, 'final');
  const args = ['train', '--data', photos, '--from', defaultWeightsDir(), '--tasks', 'denoise', '--steps', '1', '--batch', '1', '--patch', '32'];
  const code = await run([...args, '--out', out, '--checkpoint', path.join(root, name, 'checkpoint'), ...extra, '--plugin-dir', plugins], cli);
  return { code, out, stderr };
}

describe('fluxir train --from (stage-1 continuation)', () => {
  it('keeps the start-noise scale of the weights it continues unless --start-noise is given', async () => {
    const shipped = readCard(defaultWeightsDir()).startNoise;
    const kept = await train('kept');
    expect(kept.stderr).toContain('continuing stage 1');
    expect(kept.code).toBe(0);
    expect(readCard(kept.out).startNoise).toBe(shipped);
    const changed = await train('changed', '--start-noise', '0.005', '--loss-floor', '1e-4');
    expect(changed.code).toBe(0);
    const card = readCard(changed.out);
    expect(card.startNoise).toBe(0.005);
    expect(card.results.lossFloor).toBe(1e-4);
    expect(readCard(kept.out).results.startShare).toBe(0.3);
    expect(JSON.parse(readFileSync(path.join(changed.out, 'card.json'), 'utf8')).results.continuedFrom).toBeDefined();
  }, 120_000);

  it('takes the share of samples at t = 1 from --start-share and refuses one outside [0, 1]', async () => {
    const shared = await train('shared', '--start-share', '0.8');
    expect(shared.code).toBe(0);
    expect(readCard(shared.out).results.startShare).toBe(0.8);
    const refused = await train('refused', '--start-share', '1.5');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('--start-share expects a number from 0 to 1, got "1.5"');
  }, 120_000);
});
