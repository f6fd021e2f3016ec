#!/usr/bin/env node
/**
 * Builds the editor panel: bundles host/panel/src/main.ts (with @fluxir/sdk/client and
 * socket.io-client) into host/panel/dist/panel.js and copies the page, styles and icon beside it.
 * Run by `npm run build` and by `npm ci` (prepare).
 */
const { build } = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const here = __dirname;
const dist = path.join(here, 'dist');

async function main() {
  fs.mkdirSync(dist, { recursive: true });
  await build({
    entryPoints: [path.join(here, 'src', 'main.ts')],
    outfile: path.join(dist, 'panel.js'),
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2020',
    minify: true,
    sourcemap: true,
    legalComments: 'linked',
    // The SDK is bundled from its sources, so the panel builds before (or without) `tsc -b`.
    alias: { '@fluxir/sdk/client': path.join(here, '..', '..', 'sdk', 'src', 'client', 'index.ts') },
    logLevel: 'warning',
  });
  for (const file of ['index.html', 'panel.css', 'icon.svg']) fs.copyFileSync(path.join(here, file), path.join(dist, file));
  const size = fs.statSync(path.join(dist, 'panel.js')).size;
  console.log(`panel: host/panel/dist/panel.js (${(size / 1024).toFixed(0)} KB)`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
