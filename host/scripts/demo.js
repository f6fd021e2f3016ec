#!/usr/bin/env node
// Restores each built-in plugin's example inputs (plugins/<id>/examples/) with its task into out/demo/<task>/.
const { spawnSync } = require('node:child_process');
const { mkdirSync } = require('node:fs');
const { join } = require('node:path');
const { builtinExamples, builtinPluginIds } = require('../dist/plugins/builtin-plugins');
const root = join(__dirname, '..', '..');
const cli = join(__dirname, '..', 'dist', 'cli', 'main.js');
let failed = 0;
for (const task of builtinPluginIds()) {
  const examples = builtinExamples(task);
  const output = join(root, 'out', 'demo', task);
  mkdirSync(output, { recursive: true }); // an existing folder: outputs keep their input's name
  const args = [cli, 'restore', examples.dir, '--task', task, '-o', output];
  if (examples.masks) args.push('--mask', examples.masks);
  const run = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (run.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
