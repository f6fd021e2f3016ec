#!/usr/bin/env node
/** `npm run build`: every TypeScript project (scripts/projects.js) with `tsc -b`, then the editor panel's bundles. */
const { execFileSync } = require('node:child_process');
const { root, tscProjects } = require('./projects');

const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
execFileSync(process.execPath, [tsc, '-b', ...tscProjects()], { cwd: root, stdio: 'inherit' });
execFileSync(process.execPath, ['host/panel/build.js'], { cwd: root, stdio: 'inherit' });
