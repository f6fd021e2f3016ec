#!/usr/bin/env node
/**
 * Builds the editor panel: bundles host/panel/src/main.ts (with @fluxir/sdk/client and
 * socket.io-client) into host/panel/dist/assets/panel.js and the /photopea/link page's check
 * (src/link-check.ts) into assets/link-check.js, copies styles and icons beside it and
 * the page template to host/panel/dist/index.html.
 * Run by `npm run build` and by `npm ci` (prepare).
 */
const { build } = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const here = __dirname;
const dist = path.join(here, 'dist');
const assets = path.join(dist, 'assets');

async function main() {
  fs.mkdirSync(assets, { recursive: true });
  await build({
    entryPoints: { panel: path.join(here, 'src', 'main.ts'), 'link-check': path.join(here, 'src', 'link-check.ts') },
    outdir: assets,
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
  // The page is a template the host fills in (mode, limits); the rest is served as it is under /assets.
  fs.copyFileSync(path.join(here, 'index.html'), path.join(dist, 'index.html'));
  for (const file of ['panel.css', 'icon.svg', 'icon.png']) fs.copyFileSync(path.join(here, file), path.join(assets, file));
  const size = fs.statSync(path.join(assets, 'panel.js')).size;
  console.log(`panel: host/panel/dist/assets/panel.js (${(size / 1024).toFixed(0)} KB)`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
