import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PluginPackageJson {
  readonly name: string;
  readonly version: string;
}

/**
 * The package.json of the plugin whose compiled entry lives in `entryDir` (pass `__dirname` from
 * `src/` or `dist/`), so that a plugin's name and version are never retyped.
 */
export function readPluginPackage(entryDir: string): PluginPackageJson {
  return JSON.parse(readFileSync(join(entryDir, '..', 'package.json'), 'utf8')) as PluginPackageJson;
}
