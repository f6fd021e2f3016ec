#!/usr/bin/env node
// Restores the bundled examples (core/data/examples/<task>/) with every task into out/demo/<task>/.
const { spawnSync } = require('node:child_process');
const { mkdirSync } = require('node:fs');
const { join } = require('node:path');
const root = join(__dirname, '..', '..');
const examples = join(root, 'core', 'data', 'examples');
const cli = join(__dirname, '..', 'dist', 'cli', 'main.js');
const tasks = require('../builtin-plugins.json');
let failed = 0;
for (const task of tasks) {
  const output = join(root, 'out', 'demo', task);
  mkdirSync(output, { recursive: true }); // an existing folder: outputs keep their input's name
  const args = [cli, 'restore', join(examples, task), '--task', task, '-o', output];
  if (task === 'inpaint') args.push('--mask', join(examples, 'inpaint-masks'));
  const run = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (run.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
