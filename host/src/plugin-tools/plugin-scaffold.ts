import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { errors } from '@fluxir/core';
import { ID_PATTERN } from '@fluxir/sdk';
import { scaffoldFiles } from './scaffold-templates';

export interface ScaffoldResult {
  readonly dir: string;
  readonly packageName: string;
  readonly id: string;
  readonly files: readonly string[];
}

/**
 * Creates a plugin package in `dir` (which must be missing or empty): package.json with the fluxir
 * manifest, src/index.ts made with definePlugin, a jest contract test, tsconfig and README. The
 * package name is the folder's last part; the task id is that name without a `fluxir-plugin-` prefix.
 */
export function scaffoldPlugin(dir: string, sdkVersion: string): ScaffoldResult {
  const target = path.resolve(dir);
  const packageName = path.basename(target);
  const id = packageName.replace(/^fluxir-plugin-/, '');
  if (!ID_PATTERN.test(id)) {
    throw errors.invalidParameter('plugin folder name', `lower-case letters, digits and dashes matching ${ID_PATTERN} (it becomes the task id)`, packageName);
  }
  if (existsSync(target) && readdirSync(target).length > 0) throw errors.write(target, 'the folder exists and is not empty');
  const files = scaffoldFiles(packageName, id, sdkVersion);
  try {
    for (const [name, text] of Object.entries(files)) {
      const file = path.join(target, name);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
  } catch (error) {
    throw errors.write(target, error instanceof Error ? error.message : String(error));
  }
  return { dir: target, packageName, id, files: Object.keys(files) };
}
