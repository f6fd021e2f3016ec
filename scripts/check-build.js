#!/usr/bin/env node
/**
 * Whether the built code is as new as its sources: every TypeScript project `npm run build` compiles (asked with
 * `tsc -b --dry`, which compares what tsc itself records, so a file touched without a change does not
 * count) and the editor panel's bundles (host/panel/dist/assets, against the sources in their source
 * maps and the files copied beside them). The integration tests run that built code; jest runs this
 * first for them (globalSetup) and stops with the list of what is stale. `node scripts/check-build.js`
 * prints the same and exits 1 when something is stale.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { root, tscProjects } = require('./projects');

/** The tsconfig projects `tsc -b` would rebuild (not those whose outputs only need new timestamps). */
function staleProjects() {
  const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  const output = execFileSync(process.execPath, [tsc, '-b', '--dry', ...tscProjects()], { cwd: root, encoding: 'utf8' });
  return [...output.matchAll(/would build project '([^']+)'/g)].map((m) => path.relative(root, path.dirname(m[1])) || '.');
}

const mtime = (file) => fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs;

/** The panel's bundles and copies that are missing or older than what they are made from. */
function stalePanelFiles() {
  const panel = path.join(root, 'host', 'panel');
  const assets = path.join(panel, 'dist', 'assets');
  const stale = [];
  for (const bundle of ['panel.js', 'link-check.js']) {
    const built = mtime(path.join(assets, bundle));
    const map = path.join(assets, `${bundle}.map`);
    if (built === undefined || mtime(map) === undefined) {
      stale.push(`host/panel/dist/assets/${bundle} (missing)`);
      continue;
    }
    const sources = JSON.parse(fs.readFileSync(map, 'utf8')).sources.filter((s) => !s.includes('node_modules'));
    const newer = sources.map((s) => path.resolve(assets, s)).filter((s) => (mtime(s) ?? Infinity) > built);
    if (newer.length) stale.push(`host/panel/dist/assets/${bundle} (older than ${newer.map((s) => path.relative(root, s)).join(', ')})`);
  }
  const copies = [['index.html', 'index.html'], ...['panel.css', 'icon.svg', 'icon.png'].map((f) => [f, path.join('assets', f)])];
  for (const [source, copy] of copies) {
    if ((mtime(path.join(panel, 'dist', copy)) ?? -Infinity) < (mtime(path.join(panel, source)) ?? 0)) {
      stale.push(`host/panel/dist/${copy} (older than host/panel/${source})`);
    }
  }
  return stale;
}

/** What is stale, in words; empty when the build is fresh. */
function staleBuild() {
  return [...staleProjects().map((dir) => `${dir}/ (tsc -b would rebuild it)`), ...stalePanelFiles()];
}

/** jest's globalSetup for the integration tests. */
module.exports = async function checkBuild() {
  const stale = staleBuild();
  if (stale.length) {
    throw new Error(
      `The integration tests run the built code (dist/, host/panel/dist/), and it is older than its sources:\n` +
        stale.map((s) => `  - ${s}`).join('\n') +
        '\nRun `npm run build` first (or `npm run test:all`, which builds before it tests).',
    );
  }
};
module.exports.staleBuild = staleBuild;

if (require.main === module) {
  const stale = staleBuild();
  for (const s of stale) console.log(`stale: ${s}`);
  if (!stale.length) console.log('the build is fresh');
  process.exitCode = stale.length ? 1 : 0;
}
