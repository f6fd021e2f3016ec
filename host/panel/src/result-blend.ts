import { h, uid } from './dom';

/** The strength control: how much of the restoration goes into the result (the rest is the original). */
export class StrengthControl {
  readonly element: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly listeners = new Set<() => void>();

  constructor() {
    const id = uid('strength');
    const hint = uid('hint');
    this.input = h('input', { type: 'range', id, min: 0, max: 100, step: 5, value: 100, 'aria-describedby': hint, 'aria-valuetext': '100%' });
    const output = h('output', { for: id }, '100%');
    this.input.addEventListener('input', () => {
      output.textContent = `${this.input.value}%`;
      this.input.setAttribute('aria-valuetext', `${this.input.value}%`);
      for (const listener of this.listeners) listener();
    });
    this.element = h(
      'div',
      { class: 'field' },
      h('label', { for: id }, 'Strength ', output),
      this.input,
      h('p', { class: 'hint', id: hint }, 'Below 100%, the result is blended with the original.'),
    );
  }

  /** 0 to 1. */
  get value(): number {
    return Number(this.input.value) / 100;
  }

  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }
}

/**
 * `result` over `original` at `strength` (0 to 1), at the result's size (an original of another
 * size, as for super-resolution, is scaled to it), as an image of the result's type.
 */
export async function blendWithOriginal(original: Blob, result: Blob, strength: number): Promise<Blob> {
  if (strength >= 1) return result;
  const [before, after] = await Promise.all([createImageBitmap(original), createImageBitmap(result)]);
  const canvas = document.createElement('canvas');
  canvas.width = after.width;
  canvas.height = after.height;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('this browser cannot draw on a canvas');
  context.drawImage(before, 0, 0, after.width, after.height);
  context.globalAlpha = strength;
  context.drawImage(after, 0, 0);
  before.close();
  after.close();
  const type = result.type === 'image/jpeg' || result.type === 'image/webp' ? result.type : 'image/png';
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the blend could not be encoded'))), type, 0.95),
  );
}
