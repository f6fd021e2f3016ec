import * as fs from 'node:fs';
import * as path from 'node:path';
import { errors, hasImageExtension, IMAGE_EXTENSIONS } from '@fluxir/core';

/** The little of a file system the expansion rules need, so they can be tested without one. */
export interface FileSystemView {
  /** `other`: a FIFO, socket or device, which reading could block on forever. */
  kind(file: string): 'file' | 'dir' | 'missing' | 'other';
  /** The path with symbolic links resolved, for a file that may not exist yet (its folder's real path then). */
  realPath(file: string): string;
  /** Entry names of a folder. */
  list(dir: string): string[];
}

export interface RestoreTarget {
  readonly input: string;
  readonly output: string;
  readonly mask?: string;
}

export interface TargetRequest {
  /** Files and folders as given on the command line. */
  readonly inputs: readonly string[];
  /** `-o`: a file for one input, else a folder. */
  readonly output: string;
  /** `--mask`: one file for every input, or a folder of masks matched by base name. */
  readonly mask?: string;
}

export interface TargetPlan {
  readonly targets: readonly RestoreTarget[];
  /** The output folder, when outputs go into one (it may not exist yet). */
  readonly outputFolder?: string;
}

/**
 * The rules of `fluxir restore IN... -o OUT [--mask M]`:
 * - a folder input stands for its image files (png, jpg, jpeg, webp, tif, tiff; not hidden, not
 *   recursive), sorted by name; a file is taken as given, whatever its extension (a missing or corrupt
 *   one then fails on its own, and the batch goes on); a file named twice is done once;
 * - `-o` is a folder when it is an existing folder, ends with a path separator, or there are several
 *   inputs; each output then keeps its input's file name. Otherwise it is the output file;
 * - `--mask` naming a folder gives each input the mask with the same base name and any image
 *   extension (none when there is no such file); naming a file gives every input that mask.
 * Errors (E_PARAMS) for requests that cannot be right: no images at all, two inputs writing the same
 * output, an output that would overwrite its input, a --mask that does not exist.
 */
export function planTargets(request: TargetRequest, files: FileSystemView): TargetPlan {
  if (!request.inputs.length) throw errors.invalidParameter('inputs', 'at least one image file or folder', request.inputs);
  const inputs = expandInputs(request.inputs, files);
  if (!inputs.length) throw errors.invalidParameter('inputs', 'image files or folders holding some', request.inputs.join(', '));
  const folderOutput =
    inputs.length > 1 || files.kind(request.output) === 'dir' || /[\\/]$/.test(request.output);
  const maskFor = maskMatcher(request.mask, files);
  const taken = new Map<string, string>();
  const targets = inputs.map((input): RestoreTarget => {
    const output = folderOutput ? path.join(request.output, path.basename(input)) : request.output;
    // Real paths: an output reached through a symbolic link to the input's folder is still the input.
    const key = files.realPath(output);
    if (key === files.realPath(input)) {
      throw errors.invalidParameter('-o', 'an output that does not overwrite its input', output);
    }
    const other = taken.get(key);
    if (other !== undefined) {
      throw errors.invalidParameter('-o', `one output per input, but ${other} and ${input} would both write`, output);
    }
    taken.set(key, input);
    const mask = maskFor(input);
    return mask === undefined ? { input, output } : { input, output, mask };
  });
  return folderOutput ? { targets, outputFolder: request.output } : { targets };
}

/** Folders become their sorted image files; everything else stays as given. Duplicates dropped. */
export function expandInputs(inputs: readonly string[], files: FileSystemView): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const input of inputs) {
    const expanded = files.kind(input) === 'dir' ? imageFilesIn(input, files) : [input];
    for (const file of expanded) {
      const key = path.resolve(file);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(file);
    }
  }
  return out;
}

function imageFilesIn(dir: string, files: FileSystemView): string[] {
  return files
    .list(dir)
    .filter((name) => !name.startsWith('.') && hasImageExtension(name))
    .sort(byName)
    .map((name) => path.join(dir, name))
    .filter((file) => files.kind(file) === 'file');
}

function maskMatcher(mask: string | undefined, files: FileSystemView): (input: string) => string | undefined {
  if (mask === undefined) return () => undefined;
  const kind = files.kind(mask);
  if (kind === 'missing') throw errors.invalidParameter('--mask', 'an existing mask file or folder of masks', mask);
  if (kind === 'file') return () => mask;
  const byStem = new Map<string, string[]>();
  for (const file of imageFilesIn(mask, files)) {
    const stem = stemOf(file);
    byStem.set(stem, [...(byStem.get(stem) ?? []), file]);
  }
  // When masks and images share a folder, an image must not be its own mask.
  return (input) => (byStem.get(stemOf(input)) ?? []).filter((file) => path.resolve(file) !== path.resolve(input)).sort(byExtension)[0];
}

function stemOf(file: string): string {
  const base = path.basename(file);
  return base.slice(0, base.length - path.extname(base).length);
}

/** When several masks share a name, the order of IMAGE_EXTENSIONS decides (PNG first). */
function byExtension(a: string, b: string): number {
  return IMAGE_EXTENSIONS.indexOf(path.extname(a).toLowerCase()) - IMAGE_EXTENSIONS.indexOf(path.extname(b).toLowerCase()) || byName(a, b);
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export const nodeFileSystem: FileSystemView = {
  kind(file) {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(file, { throwIfNoEntry: false });
    } catch {
      // ENOTDIR (a file used as a folder, as in -o photo.png/out.png), ELOOP, EACCES: nothing usable there.
      return 'missing';
    }
    if (stat === undefined) return 'missing';
    return stat.isDirectory() ? 'dir' : stat.isFile() ? 'file' : 'other';
  },
  realPath(file) {
    const resolved = path.resolve(file);
    try {
      return fs.realpathSync(resolved);
    } catch {
      const parent = path.dirname(resolved);
      return parent === resolved ? resolved : path.join(nodeFileSystem.realPath(parent), path.basename(resolved));
    }
  },
  list(dir) {
    return fs.readdirSync(dir);
  },
};
