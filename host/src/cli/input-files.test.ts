import * as path from 'node:path';
import { errors } from '@fluxir/core';
import { expandInputs, planTargets, type FileSystemView } from './input-files';

/** An in-memory tree: paths ending in '/' are folders, the rest files. */
function tree(...paths: string[]): FileSystemView {
  const entries = new Set<string>();
  for (const p of paths) {
    const parts = p.replace(/\/$/, '').split('/');
    for (let i = 1; i <= parts.length; i++) {
      const isLast = i === parts.length;
      entries.add(parts.slice(0, i).join('/') + (isLast && !p.endsWith('/') ? '' : '/'));
    }
  }
  const norm = (p: string) => path.normalize(p).replace(/\/$/, '');
  return {
    kind: (p) => (entries.has(`${norm(p)}/`) ? 'dir' : entries.has(norm(p)) ? 'file' : 'missing'),
    realPath: (p) => path.resolve(p),
    list: (dir) =>
      [...entries]
        .filter((e) => e.startsWith(`${norm(dir)}/`) && e !== `${norm(dir)}/`)
        .map((e) => e.slice(norm(dir).length + 1).replace(/\/$/, ''))
        .filter((name) => !name.includes('/')),
  };
}

describe('expandInputs', () => {
  const files = tree('in/b.png', 'in/a.JPG', 'in/c.tiff', 'in/notes.txt', 'in/.hidden.png', 'in/sub/d.png', 'in/e.webp', 'x.png');

  it('expands a folder to its image files, sorted, not recursive, no hidden files', () => {
    expect(expandInputs(['in'], files)).toEqual(['in/a.JPG', 'in/b.png', 'in/c.tiff', 'in/e.webp']);
  });

  it('keeps files as given (even missing or oddly named ones) and drops repeats', () => {
    expect(expandInputs(['x.png', 'missing.png', 'in/notes.txt', './x.png', 'in'], files)).toEqual([
      'x.png',
      'missing.png',
      'in/notes.txt',
      'in/a.JPG',
      'in/b.png',
      'in/c.tiff',
      'in/e.webp',
    ]);
  });
});

describe('planTargets', () => {
  it('writes one input to the file -o names', () => {
    const files = tree('photo.jpg');
    expect(planTargets({ inputs: ['photo.jpg'], output: 'restored.png' }, files)).toEqual({
      targets: [{ input: 'photo.jpg', output: 'restored.png' }],
    });
  });

  it('writes into -o as a folder when it exists, ends with a slash, or there are several inputs', () => {
    const files = tree('a.png', 'b.jpg', 'out/');
    expect(planTargets({ inputs: ['a.png'], output: 'out' }, files)).toEqual({
      targets: [{ input: 'a.png', output: 'out/a.png' }],
      outputFolder: 'out',
    });
    expect(planTargets({ inputs: ['a.png'], output: 'new/' }, files).targets[0].output).toBe('new/a.png');
    expect(planTargets({ inputs: ['a.png', 'b.jpg'], output: 'fresh' }, files)).toEqual({
      targets: [
        { input: 'a.png', output: 'fresh/a.png' },
        { input: 'b.jpg', output: 'fresh/b.jpg' },
      ],
      outputFolder: 'fresh',
    });
  });

  it('treats a folder holding several images as several inputs', () => {
    const files = tree('in/1.png', 'in/2.png');
    expect(planTargets({ inputs: ['in'], output: 'out' }, files).targets.map((t) => t.output)).toEqual(['out/1.png', 'out/2.png']);
  });

  it('matches masks in a folder by base name, any image extension, PNG first', () => {
    const files = tree('in/a.jpg', 'in/b.jpg', 'in/c.jpg', 'masks/a.png', 'masks/b.webp', 'masks/b.png', 'masks/other.png');
    const { targets } = planTargets({ inputs: ['in'], output: 'out', mask: 'masks' }, files);
    expect(targets).toEqual([
      { input: 'in/a.jpg', output: 'out/a.jpg', mask: 'masks/a.png' },
      { input: 'in/b.jpg', output: 'out/b.jpg', mask: 'masks/b.png' },
      { input: 'in/c.jpg', output: 'out/c.jpg' },
    ]);
  });

  it('never takes an image as its own mask when masks share its folder', () => {
    const files = tree('in/a.jpg', 'in/a.png');
    expect(planTargets({ inputs: ['in/a.jpg'], output: 'o.jpg', mask: 'in' }, files).targets[0].mask).toBe('in/a.png');
    expect(planTargets({ inputs: ['in/a.png'], output: 'o.png', mask: 'in' }, files).targets[0].mask).toBe('in/a.jpg');
  });

  it('gives every input the same mask file', () => {
    const files = tree('a.png', 'b.png', 'hole.png');
    const { targets } = planTargets({ inputs: ['a.png', 'b.png'], output: 'out', mask: 'hole.png' }, files);
    expect(targets.map((t) => t.mask)).toEqual(['hole.png', 'hole.png']);
  });

  it('refuses requests that cannot be right', () => {
    const files = tree('x/a.png', 'y/a.png', 'empty/', 'a.png');
    expect(() => planTargets({ inputs: ['x', 'y'], output: 'out' }, files)).toThrow(
      errors.invalidParameter('-o', 'one output per input, but x/a.png and y/a.png would both write', 'out/a.png'),
    );
    expect(() => planTargets({ inputs: ['x/a.png'], output: 'x' }, files)).toThrow(
      errors.invalidParameter('-o', 'an output that does not overwrite its input', 'x/a.png'),
    );
    expect(() => planTargets({ inputs: ['empty'], output: 'out' }, files)).toThrow(
      errors.invalidParameter('inputs', 'image files or folders holding some', 'empty'),
    );
    expect(() => planTargets({ inputs: ['a.png'], output: 'o.png', mask: 'nope.png' }, files)).toThrow(
      errors.invalidParameter('--mask', 'an existing mask file or folder of masks', 'nope.png'),
    );
  });
});
