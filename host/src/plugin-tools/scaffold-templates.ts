/** The files of a new plugin package, by path inside its folder. */
export function scaffoldFiles(name: string, id: string, sdkVersion: string): Record<string, string> {
  const title = id
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
  const packageJson = {
    name,
    version: '0.1.0',
    description: `fluxir plugin: ${title}`,
    license: 'MIT',
    main: 'dist/index.js',
    types: 'dist/index.d.ts',
    files: ['dist'],
    fluxir: { plugin: 'dist/index.js', engine: '^1.0.0' },
    keywords: ['fluxir-plugin'],
    scripts: { build: 'tsc -p .', test: 'jest' },
    dependencies: { '@fluxir/sdk': `^${sdkVersion}`, zod: '^4.6.7' },
    devDependencies: { '@types/jest': '^29.5.14', '@types/node': '^20.19.43', jest: '^29.7.0', 'ts-jest': '^29.4.15', typescript: '5.9' },
  };
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      module: 'commonjs',
      moduleResolution: 'node',
      lib: ['ES2022'],
      strict: true,
      esModuleInterop: true,
      skipLibCheck: true,
      declaration: true,
      rootDir: 'src',
      outDir: 'dist',
      types: ['node'],
    },
    include: ['src'],
  };
  return {
    'package.json': `${JSON.stringify(packageJson, null, 2)}\n`,
    'tsconfig.json': `${JSON.stringify(tsconfig, null, 2)}\n`,
    'jest.config.js': `/** Runs test/*.test.ts with ts-jest. */\nmodule.exports = { testEnvironment: 'node', transform: { '^.+\\\\.ts$': 'ts-jest' }, testMatch: ['**/test/**/*.test.ts'], testTimeout: 60000 };\n`,
    '.gitignore': 'node_modules/\ndist/\n',
    'src/index.ts': indexSource(id, title),
    'test/plugin.test.ts': testSource(),
    'README.md': readme(name, id, title),
  };
}

function indexSource(id: string, title: string): string {
  return `import { z } from 'zod';
import { addGaussianNoise, definePlugin, gaussianBlur, prepareRgb, readPluginPackage, rgbDegradation } from '@fluxir/sdk';

/** The task's parameters: each field has a title and a description, which the panel shows in its form. */
const params = z.strictObject({
  strength: z
    .number()
    .min(0)
    .max(1)
    .default(0.5)
    .meta({ title: 'Strength', description: 'how strongly the classical baseline smooths (0 to 1)' }),
});
export type Params = z.infer<typeof params>;

/** The degradation the task removes: film-like grain of a random strength. Replace it with your own. */
const degrade = rgbDegradation<Params>((rgb, rng) => addGaussianNoise(rgb, rng, rng.uniform(4, 30) / 255, { grey: rng.chance(0.5) }));

export default definePlugin({
  packageJson: readPluginPackage(__dirname),
  id: '${id}',
  title: '${title}',
  // Shown in the editor panel under "About this task": when to use it and how to set it.
  help: 'For fine film grain. Raise the strength for coarser grain.',
  // Plain words: the engine's prompt encoder maps words it knows from other tasks ("noise", "grain") to what it learned.
  prompt: 'remove film grain and noise',
  stepBudget: { default: 2, min: 1, max: 8 },
  params,
  // The host hands prepare RGB it may keep: here y is the input itself.
  prepare: prepareRgb,
  // What training and evaluation need; a serving host never calls it.
  training: {
    trainingParams: (rng) => ({ strength: rng.uniform(0, 1) }),
    evalParams: { strength: 0.5 },
    evalDescription: 'grey or colour Gaussian grain, sigma 4/255 to 30/255, seeded per photo, quantised to 8 bits',
    degrade,
    baseline: (input, { strength }) => gaussianBlur(input, 0.4 + strength),
  },
});
`;
}

function testSource(): string {
  return `import { describePluginContract } from '@fluxir/sdk/testing';
import plugin from '../src';

// The promises every fluxir plugin keeps (ids, schema, shapes, reproducible degradation, baseline).
describePluginContract(plugin);
`;
}

function readme(name: string, id: string, title: string): string {
  return `# ${title}

A [fluxir](https://www.npmjs.com/package/@fluxir/sdk) plugin: task \`${id}\`, package \`${name}\`.

\`\`\`sh
fluxir plugin test .                       # contract checks, then the shared engine on sample photos
fluxir restore photo.png --task ${id} --plugin-dir . -o out.png
fluxir serve --plugin-dir .                # the panel lists the task with its settings form
npm test                                   # the contract suite under jest (after npm install)
\`\`\`

Edit \`src/index.ts\`: the prompt, the parameter schema, and in its \`training\` section the degradation
(\`degrade\`, random but reproducible from \`rng\`) and the classical baseline. \`fluxir train --plugin .\` teaches the shared engine
the new task without forgetting the others.
`;
}
