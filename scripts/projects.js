/**
 * The TypeScript projects `npm run build` compiles, in build order, made from the workspace folders of
 * the root package.json: core, the SDK, every folder under plugins/ and examples/ that has a
 * tsconfig.json, then the host and its panel. A new plugin folder is built without being listed anywhere.
 */
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

/** Sub-folders of `dir` (relative to the root) that hold a tsconfig.json, sorted. */
function projectsUnder(dir) {
  return fs
    .readdirSync(path.join(root, dir), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(root, dir, entry.name, 'tsconfig.json')))
    .map((entry) => `${dir}/${entry.name}`)
    .sort();
}

/** Project folders relative to the repository root. */
function tscProjects() {
  return ['core', 'sdk', ...projectsUnder('plugins'), ...projectsUnder('examples'), 'host', 'host/panel'];
}

module.exports = { root, tscProjects };
