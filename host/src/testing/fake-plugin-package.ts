import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export interface FakePluginOptions {
  readonly id: string;
  /** Folder name; defaults to `plugin-<id>`. */
  readonly folder?: string;
  readonly version?: string;
  /** Defaults to `@test/plugin-<id>`. */
  readonly packageName?: string;
  /** The `fluxir` field of package.json, as written (so tests can break it). */
  readonly manifest?: unknown;
  /** Replaces the generated entry file. */
  readonly entrySource?: string;
  readonly requiresMask?: boolean;
  /** Upsampling factor of prepare (nearest neighbour), like superres. */
  readonly scale?: number;
}

/**
 * Writes a plugin package in plain CommonJS (no dependencies, so it loads from any folder): an
 * identity `prepare` (or nearest-neighbour upsampling), budget 1/4/8. Returns the package folder.
 */
export async function writeFakePluginPackage(root: string, options: FakePluginOptions): Promise<string> {
  const dir = path.join(root, options.folder ?? `plugin-${options.id}`);
  const version = options.version ?? '1.2.3';
  const manifest = options.manifest ?? { plugin: 'dist/index.js', engine: '^1.0.0' };
  const packageJson = { name: packageNameOf(options), version, main: 'dist/index.js', fluxir: manifest };
  await fs.mkdir(path.join(dir, 'dist'), { recursive: true });
  await fs.writeFile(path.join(dir, 'package.json'), JSON.stringify(packageJson, null, 2));
  await fs.writeFile(path.join(dir, 'dist', 'index.js'), options.entrySource ?? fakePluginSource(options, version));
  return dir;
}

function packageNameOf(options: FakePluginOptions): string {
  return options.packageName ?? `@test/plugin-${options.id}`;
}

function fakePluginSource(options: FakePluginOptions, version: string): string {
  return `'use strict';
const scale = ${options.scale ?? 1};
function upsample(image) {
  if (scale === 1) return image;
  const width = image.width * scale, height = image.height * scale, c = image.channels;
  const data = new Float32Array(width * height * c);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let k = 0; k < c; k++)
    data[(y * width + x) * c + k] = image.data[(Math.floor(y / scale) * image.width + Math.floor(x / scale)) * c + k];
  return { width, height, channels: c, data };
}
exports.default = {
  id: ${JSON.stringify(options.id)},
  packageName: ${JSON.stringify(packageNameOf(options))},
  version: ${JSON.stringify(version)},
  title: ${JSON.stringify(`Fake ${options.id}`)},
  prompt: ${JSON.stringify(`${options.id} the image`)},
  stepBudget: { default: 4, min: 1, max: 8 },
  params: {},
  requiresMask: ${options.requiresMask ?? false},
  outputScale: () => scale,
  evalParams: {},
  trainingParams: () => ({}),
  parseParams: (raw) => Object.assign({}, raw),
  prepare: (input, params, mask) => ({ y: upsample(input), mask }),
  degrade: (clean) => ({ input: clean }),
  baseline: (input) => input,
};
`;
}
