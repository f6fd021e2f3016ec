import { h, uid } from './dom';

/**
 * A brush to paint the inpaint mask over the image: white where the plugin should fill. The mask
 * is kept at the image's own size and exported as a black-and-white PNG. Painting needs a
 * pointer; "Mask everything" and "Clear" are the keyboard's way.
 */
export class MaskBrush {
  readonly controls: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly sizeInput: HTMLInputElement;
  private readonly status: HTMLElement;
  private painted = false;
  private active = false;

  constructor(private readonly frame: HTMLElement) {
    this.canvas = h('canvas', { class: 'mask', 'aria-hidden': 'true' });
    const sizeId = uid('brush');
    this.sizeInput = h('input', { type: 'range', id: sizeId, min: 1, max: 25, value: 6 });
    const fill = h('button', { type: 'button', class: 'secondary' }, 'Mask everything');
    const clear = h('button', { type: 'button', class: 'secondary' }, 'Clear mask');
    this.status = h('p', { class: 'hint', 'aria-live': 'polite' }, 'Paint over the part to fill.');
    fill.addEventListener('click', () => this.fillAll());
    clear.addEventListener('click', () => this.clear());
    this.controls = h(
      'fieldset',
      { class: 'brush' },
      h('legend', {}, 'Mask'),
      h('div', { class: 'field' }, h('label', { for: sizeId }, 'Brush size (% of the image)'), this.sizeInput),
      h('div', { class: 'row' }, fill, clear),
      this.status,
    );
    this.listen();
  }

  /** Shows the brush for an image of this size (or hides it). */
  enable(width: number, height: number): void {
    this.active = true;
    this.canvas.width = width;
    this.canvas.height = height;
    this.clear();
    if (!this.canvas.isConnected) this.frame.append(this.canvas);
    this.frame.classList.add('painting');
    this.controls.hidden = false;
  }

  disable(): void {
    this.active = false;
    this.canvas.remove();
    this.frame.classList.remove('painting');
    this.controls.hidden = true;
  }

  /** While a job runs the mask it was given stays as it is. */
  setDisabled(disabled: boolean): void {
    for (const control of this.controls.querySelectorAll<HTMLButtonElement | HTMLInputElement>('button, input')) control.disabled = disabled;
    this.canvas.classList.toggle('locked', disabled);
  }

  get hasMask(): boolean {
    return this.active && this.painted;
  }

  /** Black (keep) and white (fill) at the image's size. */
  async toPng(): Promise<Blob> {
    const out = document.createElement('canvas');
    out.width = this.canvas.width;
    out.height = this.canvas.height;
    const context = out.getContext('2d');
    if (!context) throw new Error('this browser cannot draw on a canvas');
    context.fillStyle = '#000';
    context.fillRect(0, 0, out.width, out.height);
    context.drawImage(this.canvas, 0, 0);
    return new Promise((resolve, reject) => out.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the mask could not be encoded'))), 'image/png'));
  }

  private clear(): void {
    this.canvas.getContext('2d')?.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.painted = false;
    this.status.textContent = 'Paint over the part to fill.';
  }

  private fillAll(): void {
    const context = this.canvas.getContext('2d');
    if (!context) return;
    context.fillStyle = '#fff';
    context.fillRect(0, 0, this.canvas.width, this.canvas.height);
    this.painted = true;
    this.status.textContent = 'The whole image is masked.';
  }

  private listen(): void {
    let last: { x: number; y: number } | undefined;
    const point = (event: PointerEvent) => {
      const box = this.canvas.getBoundingClientRect();
      return { x: ((event.clientX - box.left) / box.width) * this.canvas.width, y: ((event.clientY - box.top) / box.height) * this.canvas.height };
    };
    const paint = (event: PointerEvent) => {
      const context = this.canvas.getContext('2d');
      if (!last || !context) return;
      const next = point(event);
      context.strokeStyle = '#fff';
      context.lineCap = 'round';
      context.lineWidth = (Number(this.sizeInput.value) / 100) * Math.max(this.canvas.width, this.canvas.height);
      context.beginPath();
      context.moveTo(last.x, last.y);
      context.lineTo(next.x, next.y);
      context.stroke();
      last = next;
      if (!this.painted) this.status.textContent = 'Masked area painted.';
      this.painted = true;
    };
    this.canvas.addEventListener('pointerdown', (event) => {
      this.canvas.setPointerCapture(event.pointerId);
      last = point(event);
      paint(event);
    });
    this.canvas.addEventListener('pointermove', paint);
    const stop = () => (last = undefined);
    this.canvas.addEventListener('pointerup', stop);
    this.canvas.addEventListener('pointercancel', stop);
  }
}
