import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * host/builtin-plugins.json: the task ids of the plugins that ship with fluxir, in the order they are
 * presented. Each is the package `@fluxir/plugin-<id>` in the workspace folder `plugins/<id>`. The test
 * configuration, the tests and the command line read this list; host/package.json's dependencies and
 * the root tsconfig.json's references are checked against it (builtin-plugins.test.ts).
 */
const LIST_FILE = path.resolve(__dirname, '..', '..', 'builtin-plugins.json');

let cached: readonly string[] | undefined;

/** The built-in task ids (from host/src/common under tests, host/dist/common once built). */
export function builtinPluginIds(): readonly string[] {
  if (cached) return cached;
  const list: unknown = JSON.parse(readFileSync(LIST_FILE, 'utf8'));
  if (!Array.isArray(list) || !list.every((id): id is string => typeof id === 'string')) {
    throw new Error(`${LIST_FILE} must be a JSON array of task ids`);
  }
  cached = Object.freeze([...list]);
  return cached;
}

/** The npm package of a built-in task. */
export function builtinPackageName(id: string): string {
  return `@fluxir/plugin-${id}`;
}
