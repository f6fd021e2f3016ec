import type { ImageMime } from '@fluxir/sdk/client';
import { h, uid } from './dom';

const FORMATS: ReadonlyArray<{ readonly mime: ImageMime; readonly label: string }> = [
  { mime: 'image/png', label: 'PNG (lossless)' },
  { mime: 'image/webp', label: 'WebP' },
  { mime: 'image/jpeg', label: 'JPEG' },
];

/** The options every plugin shares: the result's format and the seed of the sampler's noise. */
export class OutputOptions {
  readonly element: HTMLElement;
  private readonly format: HTMLSelectElement;
  private readonly seed: HTMLInputElement;

  constructor() {
    const formatId = uid('format');
    const seedId = uid('seed');
    const seedHint = uid('hint');
    this.format = h('select', { id: formatId, name: 'resultMime' });
    for (const { mime, label } of FORMATS) this.format.append(h('option', { value: mime }, label));
    this.seed = h('input', { type: 'number', id: seedId, name: 'seed', min: 0, max: 2 ** 31 - 1, step: 1, inputmode: 'numeric', placeholder: 'random', 'aria-describedby': seedHint });
    this.element = h(
      'div',
      { class: 'output-options' },
      h('div', { class: 'field' }, h('label', { for: formatId }, 'Result format'), this.format),
      h(
        'div',
        { class: 'field' },
        h('label', { for: seedId }, 'Seed'),
        this.seed,
        h('p', { class: 'hint', id: seedHint }, 'The same seed and settings give the same result; empty for a new one each time.'),
      ),
    );
  }

  options(): { resultMime: ImageMime; seed?: number } {
    const seed = this.seed.valueAsNumber;
    const resultMime = this.format.value as ImageMime;
    return Number.isInteger(seed) && seed >= 0 ? { resultMime, seed } : { resultMime };
  }

  setDisabled(disabled: boolean): void {
    this.format.disabled = disabled;
    this.seed.disabled = disabled;
  }
}
