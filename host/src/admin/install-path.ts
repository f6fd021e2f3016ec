import * as fs from 'node:fs';
import * as path from 'node:path';
import { adminErrors } from './admin-errors';

/**
 * The real path of a folder an administrator asks to install from, when it lies inside one of `roots`
 * both as written (so `..` cannot climb out) and once symbolic links are followed (so a link cannot
 * lead out either). E_BAD_REQUEST or E_FORBIDDEN otherwise.
 */
export function checkInstallPath(requested: unknown, roots: readonly string[]): string {
  if (typeof requested !== 'string' || !requested.trim() || requested.includes('\0')) throw adminErrors.badInstallBody();
  if (!roots.length) throw adminErrors.noInstallRoots();
  const lexicalRoots = roots.map((root) => path.resolve(root));
  const realRoots = lexicalRoots.map(realOrResolved);
  const lexical = path.resolve(requested);
  const allowed = [...lexicalRoots, ...realRoots];
  if (!allowed.some((root) => inside(lexical, root))) throw adminErrors.outsideRoots(requested, lexicalRoots);
  if (!fs.statSync(lexical, { throwIfNoEntry: false })?.isDirectory()) throw adminErrors.notAFolder(requested);
  const real = fs.realpathSync(lexical);
  if (!realRoots.some((root) => inside(real, root))) throw adminErrors.linkOutside(requested, real);
  return real;
}

function inside(file: string, root: string): boolean {
  return file === root || file.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

function realOrResolved(dir: string): string {
  try {
    return fs.realpathSync(dir);
  } catch {
    return dir;
  }
}

/**
 * Before a reload: the package folder must still be the real folder it was when loaded (not since
 * replaced by a symbolic link), and a folder installed through the admin API must still lie inside
 * the install roots. E_FORBIDDEN otherwise.
 */
export function checkReloadPath(dir: string, roots: readonly string[] | undefined): void {
  let real: string;
  try {
    real = fs.realpathSync(dir);
  } catch {
    throw adminErrors.notAFolder(dir);
  }
  if (real !== dir) throw adminErrors.linkOutside(dir, real);
  if (roots) checkInstallPath(dir, roots);
}
