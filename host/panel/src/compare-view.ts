import { h, uid } from './dom';
import { ViewZoom } from './view-zoom';

/**
 * The image area: the original ("before") under the restored image or the latest preview
 * ("after"), split by a divider. The divider follows a range input, so it works with arrow keys
 * and screen readers as well as by dragging on the image.
 */
export class CompareView {
  readonly element: HTMLElement;
  /** Holds the images; overlays such as the mask brush are added here. */
  readonly frame: HTMLElement;
  private readonly before: HTMLImageElement;
  private readonly after: HTMLImageElement;
  private readonly divider: HTMLElement;
  private readonly slider: HTMLInputElement;
  private readonly sliderField: HTMLElement;
  private readonly caption: HTMLElement;
  private readonly empty: HTMLElement;
  private beforeUrl: string | undefined;
  private size: { width: number; height: number } | undefined;
  private readonly afterListeners = new Set<(shown: boolean) => void>();
  private readonly beforeListeners = new Set<() => void>();
  private afterUrl: string | undefined;
  private readonly viewport: HTMLElement;
  private readonly tools: HTMLElement;
  private readonly zoom: ViewZoom;

  constructor(emptyText = '') {
    this.before = h('img', { class: 'before', alt: '' });
    this.after = h('img', { class: 'after', alt: '' });
    this.divider = h('div', { class: 'divider', 'aria-hidden': 'true' });
    this.empty = h('p', { class: 'empty' }, emptyText);
    this.frame = h('div', { class: 'frame' }, this.before, this.after, this.divider);
    this.viewport = h('div', { class: 'viewport' }, this.frame);
    this.zoom = new ViewZoom(this.viewport, this.frame, () => this.size);
    const tool = (label: string, title: string, action: () => void) => {
      const button = h('button', { type: 'button', class: 'secondary tool', title, 'aria-label': title }, label);
      button.addEventListener('click', action);
      return button;
    };
    const original = h('button', { type: 'button', class: 'secondary tool hold', title: 'Hold to see the original', 'aria-label': 'Hold to see the original' }, 'Original');
    this.listenForHold(original);
    this.tools = h(
      'div',
      { class: 'row view-tools', role: 'toolbar', 'aria-label': 'View' },
      tool('Fit', 'Fit to the panel', () => this.zoom.set(undefined)),
      tool('1:1', 'Actual pixels (1:1)', () => this.zoom.set(1)),
      tool('+', 'Zoom in', () => this.zoom.by(1.5)),
      tool('−', 'Zoom out', () => this.zoom.by(1 / 1.5)),
      this.zoom.readout,
      original,
    );
    const sliderId = uid('compare');
    this.slider = h('input', { type: 'range', id: sliderId, min: 0, max: 100, value: 50, step: 1, 'aria-valuetext': '50% after' });
    this.sliderField = h('div', { class: 'field compare-field' }, h('label', { for: sliderId }, 'Before / after'), this.slider);
    // Not live: the progress line already announces each step.
    this.caption = h('figcaption', { class: 'hint' });
    this.element = h('figure', { class: 'stage' }, this.empty, this.tools, this.viewport, this.sliderField, this.caption);
    this.slider.addEventListener('input', () => this.applySplit());
    this.listenForDrags();
    this.render();
  }

  setEmptyText(text: string): void {
    this.empty.textContent = text;
  }

  setBefore(blob: Blob | undefined, width = 0, height = 0, description = ''): void {
    this.beforeUrl = replaceUrl(this.beforeUrl, blob);
    this.before.src = this.beforeUrl ?? '';
    this.before.alt = description ? `Original: ${description}` : '';
    this.size = width > 0 && height > 0 ? { width, height } : undefined;
    if (width > 0 && height > 0) this.frame.style.aspectRatio = `${width} / ${height}`;
    this.zoom.set(undefined);
    this.setAfter(undefined, '');
    for (const listener of this.beforeListeners) listener();
  }

  /** The restored image or a preview; undefined shows the original alone. */
  setAfter(blob: Blob | undefined, caption: string): void {
    const previous = this.afterUrl;
    this.afterUrl = blob ? URL.createObjectURL(blob) : undefined;
    this.after.src = this.afterUrl ?? '';
    // The frame on screen stays until the next one has loaded: no flicker between previews.
    if (previous) {
      if (!this.afterUrl) URL.revokeObjectURL(previous);
      else {
        const revoke = () => URL.revokeObjectURL(previous);
        this.after.addEventListener('load', revoke, { once: true });
        this.after.addEventListener('error', revoke, { once: true });
      }
    }
    this.after.alt = blob ? caption : '';
    this.caption.textContent = caption;
    this.render();
    if (!previous !== !this.afterUrl) for (const listener of this.afterListeners) listener(this.afterUrl !== undefined);
  }

  /** Called when another original is shown. */
  onBeforeChange(listener: () => void): void {
    this.beforeListeners.add(listener);
  }

  /** Called when a result or preview appears over the original, or goes. */
  onAfterChange(listener: (shown: boolean) => void): void {
    this.afterListeners.add(listener);
  }

  /** The original's size, when known. */
  get imageSize(): { width: number; height: number } | undefined {
    return this.size;
  }

  get hasBefore(): boolean {
    return this.beforeUrl !== undefined;
  }

  private render(): void {
    const hasBefore = this.beforeUrl !== undefined;
    const hasAfter = this.afterUrl !== undefined;
    this.empty.hidden = hasBefore;
    this.frame.hidden = !hasBefore;
    this.viewport.hidden = !hasBefore;
    this.tools.hidden = !hasBefore;
    this.after.hidden = !hasAfter;
    this.divider.hidden = !hasAfter;
    this.sliderField.hidden = !hasAfter;
    this.applySplit();
  }

  private applySplit(): void {
    const percent = Number(this.slider.value);
    // Left of the divider: before; right of it: after.
    this.after.style.clipPath = `inset(0 0 0 ${percent}%)`;
    this.divider.style.left = `${percent}%`;
    this.slider.setAttribute('aria-valuetext', `${100 - percent}% after`);
  }

  /** While the button is held (pointer, Space or Enter), only the original shows. */
  private listenForHold(button: HTMLButtonElement): void {
    const show = (held: boolean) => {
      this.frame.classList.toggle('original', held);
      button.setAttribute('aria-pressed', String(held));
    };
    button.setAttribute('aria-pressed', 'false');
    button.addEventListener('pointerdown', (event) => {
      button.setPointerCapture(event.pointerId);
      show(true);
    });
    for (const name of ['pointerup', 'pointercancel', 'lostpointercapture', 'blur'] as const) button.addEventListener(name, () => show(false));
    button.addEventListener('keydown', (event) => {
      if (event.key === ' ' || event.key === 'Enter') {
        event.preventDefault();
        show(true);
      }
    });
    button.addEventListener('keyup', () => show(false));
  }

  private listenForDrags(): void {
    let dragging = false;
    const move = (event: PointerEvent) => {
      if (!dragging) return;
      const box = this.frame.getBoundingClientRect();
      this.slider.value = String(Math.round(((event.clientX - box.left) / box.width) * 100));
      this.applySplit();
    };
    this.frame.addEventListener('pointerdown', (event) => {
      if (this.after.hidden || this.frame.classList.contains('painting')) return;
      dragging = true;
      this.frame.setPointerCapture(event.pointerId);
      move(event);
    });
    this.frame.addEventListener('pointermove', move);
    this.frame.addEventListener('pointerup', () => (dragging = false));
    this.frame.addEventListener('pointercancel', () => (dragging = false));
  }
}

function replaceUrl(previous: string | undefined, blob: Blob | undefined): string | undefined {
  if (previous) URL.revokeObjectURL(previous);
  return blob ? URL.createObjectURL(blob) : undefined;
}
