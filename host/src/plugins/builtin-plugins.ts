import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * The built-in tasks are the host's dependencies named `@fluxir/plugin-<id>` (host/package.json): npm
 * needs that list to install them with the host, so it is the only one. Each lives in the workspace
 * folder `plugins/<id>`; the build, the tests, the command line and the demo read them from here.
 */
const HOST_PACKAGE = path.resolve(__dirname, '..', '..', 'package.json');
const PREFIX = '@fluxir/plugin-';

let cached: readonly string[] | undefined;

/** The built-in task ids, sorted (from host/src under tests, host/dist once built). */
export function builtinPluginIds(): readonly string[] {
  if (cached) return cached;
  const { dependencies = {} } = JSON.parse(readFileSync(HOST_PACKAGE, 'utf8')) as { dependencies?: Record<string, string> };
  cached = Object.freeze(
    Object.keys(dependencies)
      .filter((name) => name.startsWith(PREFIX))
      .map((name) => name.slice(PREFIX.length))
      .sort(),
  );
  return cached;
}

/** The npm package of a built-in task. */
export function builtinPackageName(id: string): string {
  return `${PREFIX}${id}`;
}

/** A plugin's example inputs: `examples/` in its package, and for masked tasks their masks in `examples/masks/`, by the same names. */
export interface PluginExamples {
  readonly dir: string;
  readonly masks?: string;
}

/** Where a built-in plugin's package keeps its example inputs. */
export function builtinExamples(id: string): PluginExamples {
  const dir = path.join(path.dirname(require.resolve(`${builtinPackageName(id)}/package.json`)), 'examples');
  const masks = path.join(dir, 'masks');
  return existsSync(masks) ? { dir, masks } : { dir };
}
