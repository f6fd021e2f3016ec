import { h, uid } from './dom';
import { MaskHistory } from './mask-history';
import { panelMessages } from './panel-messages';

type Tool = 'paint' | 'erase';

/**
 * A brush to paint the inpaint mask over the image: white where the plugin should fill. The mask
 * is kept at the image's own size and exported as a black-and-white PNG. Paint or erase with a
 * pointer (an outline shows the brush), undo (Ctrl+Z), invert, load a mask from a file; "Mask
 * everything" and "Clear" are the keyboard's way. While a result is shown the mask steps aside,
 * so the fill can be seen and the divider dragged; "Edit mask" brings it back.
 */
export class MaskBrush {
  readonly controls: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly outline: HTMLElement;
  private readonly sizeInput: HTMLInputElement;
  private readonly toolInputs: Record<Tool, HTMLInputElement>;
  private readonly maskFile: HTMLInputElement;
  private readonly editButton: HTMLButtonElement;
  private readonly undoButton: HTMLButtonElement;
  private readonly status: HTMLElement;
  private readonly history = new MaskHistory(20);
  private active = false;
  private resultShown = false;
  private locked = false;

  constructor(
    private readonly frame: HTMLElement,
    private readonly hideResult: () => void,
  ) {
    this.canvas = h('canvas', { class: 'mask', 'aria-hidden': 'true' });
    this.outline = h('div', { class: 'brush-outline', 'aria-hidden': 'true', hidden: true });
    const sizeId = uid('brush');
    this.sizeInput = h('input', { type: 'range', id: sizeId, min: 1, max: 25, value: 6 });
    const toolName = uid('tool');
    const tool = (value: Tool, label: string, checked: boolean) => {
      const id = uid('tool');
      const input = h('input', { type: 'radio', name: toolName, id, value, checked });
      return { input, field: h('span', { class: 'choice' }, input, h('label', { for: id }, label)) };
    };
    const paint = tool('paint', 'Paint', true);
    const erase = tool('erase', 'Erase', false);
    this.toolInputs = { paint: paint.input, erase: erase.input };
    const button = (label: string, action: () => void, shortcut?: string) => {
      const element = h('button', { type: 'button', class: 'secondary', 'aria-keyshortcuts': shortcut }, label);
      element.addEventListener('click', action);
      return element;
    };
    this.undoButton = button('Undo', () => this.undo(), 'Control+Z');
    this.editButton = button('Edit mask', () => this.hideResult());
    this.maskFile = h('input', { type: 'file', accept: 'image/*', class: 'visually-hidden', tabindex: -1, 'aria-hidden': 'true' });
    this.maskFile.addEventListener('change', () => {
      const file = this.maskFile.files?.[0];
      if (file) void this.load(file);
      this.maskFile.value = '';
    });
    this.status = h('p', { class: 'hint', 'aria-live': 'polite' }, panelMessages.maskEmpty());
    this.controls = h(
      'fieldset',
      { class: 'brush' },
      h('legend', {}, 'Mask'),
      h('div', { class: 'row tools', role: 'radiogroup', 'aria-label': 'Brush' }, paint.field, erase.field),
      h('div', { class: 'field' }, h('label', { for: sizeId }, 'Brush size (% of the image)'), this.sizeInput),
      h(
        'div',
        { class: 'row' },
        this.undoButton,
        button('Invert', () => this.edit(() => this.invert())),
        button('Mask everything', () => this.edit(() => this.fill())),
        button('Clear mask', () => this.edit(() => this.clearCanvas())),
        button('Load mask…', () => this.maskFile.click()),
        this.maskFile,
        this.editButton,
      ),
      this.status,
    );
    this.listen();
    this.update();
  }

  /** Shows the brush for an image of this size (or hides it). */
  enable(width: number, height: number): void {
    this.active = true;
    this.canvas.width = width;
    this.canvas.height = height;
    this.history.clear();
    this.clearCanvas();
    if (!this.canvas.isConnected) this.frame.append(this.canvas, this.outline);
    this.controls.hidden = false;
    this.update();
  }

  disable(): void {
    this.active = false;
    this.canvas.remove();
    this.outline.remove();
    this.controls.hidden = true;
    this.update();
  }

  /** A result (or preview) is shown over the image: the mask steps aside until "Edit mask". */
  setResultShown(shown: boolean): void {
    this.resultShown = shown;
    this.update();
  }

  /** While a job runs the mask it was given stays as it is. */
  setDisabled(disabled: boolean): void {
    this.locked = disabled;
    for (const control of this.controls.querySelectorAll<HTMLButtonElement | HTMLInputElement>('button, input')) control.disabled = disabled;
    this.update();
  }

  get hasMask(): boolean {
    return this.active && this.painted();
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

  /** Ctrl+Z while the mask is being edited. */
  handleKey(event: KeyboardEvent): void {
    if (!this.painting || event.key.toLowerCase() !== 'z' || !(event.ctrlKey || event.metaKey) || event.shiftKey) return;
    const target = event.target as HTMLElement | null;
    if (target && /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName) && (target as HTMLInputElement).type !== 'range') return;
    event.preventDefault();
    this.undo();
  }

  private get painting(): boolean {
    return this.active && !this.resultShown && !this.locked;
  }

  private get context(): CanvasRenderingContext2D {
    const context = this.canvas.getContext('2d', { willReadFrequently: true });
    if (!context) throw new Error('this browser cannot draw on a canvas');
    return context;
  }

  private update(): void {
    const editing = this.active && !this.resultShown;
    this.canvas.hidden = !editing;
    this.frame.classList.toggle('painting', editing);
    this.editButton.hidden = !(this.active && this.resultShown);
    this.undoButton.disabled = this.locked || !this.history.canUndo;
    if (!editing) this.outline.hidden = true;
  }

  /** Every change goes through here, so it can be undone. */
  private edit(change: () => void): void {
    if (!this.active) return;
    this.history.push(this.context.getImageData(0, 0, this.canvas.width, this.canvas.height));
    change();
    this.changed();
  }

  private undo(): void {
    const previous = this.history.pop();
    if (!previous) return;
    this.context.putImageData(previous, 0, 0);
    this.changed();
  }

  private changed(): void {
    this.status.textContent = this.painted() ? panelMessages.maskPainted() : panelMessages.maskEmpty();
    this.update();
  }

  private painted(): boolean {
    if (this.canvas.width === 0) return false;
    const { data } = this.context.getImageData(0, 0, this.canvas.width, this.canvas.height);
    for (let i = 3; i < data.length; i += 4) if (data[i] > 127) return true;
    return false;
  }

  private clearCanvas(): void {
    this.context.clearRect(0, 0, this.canvas.width, this.canvas.height);
  }

  private fill(): void {
    this.context.fillStyle = '#fff';
    this.context.fillRect(0, 0, this.canvas.width, this.canvas.height);
  }

  private invert(): void {
    const pixels = this.context.getImageData(0, 0, this.canvas.width, this.canvas.height);
    const { data } = pixels;
    for (let i = 0; i < data.length; i += 4) {
      data[i] = data[i + 1] = data[i + 2] = 255;
      data[i + 3] = 255 - data[i + 3];
    }
    this.context.putImageData(pixels, 0, 0);
  }

  /** A mask image (white = fill), scaled to the image: its brightness, thresholded, becomes the mask. */
  private async load(file: Blob): Promise<void> {
    let bitmap: ImageBitmap;
    try {
      bitmap = await createImageBitmap(file);
    } catch {
      this.status.textContent = panelMessages.maskUnreadable();
      return;
    }
    this.edit(() => {
      const context = this.context;
      context.clearRect(0, 0, this.canvas.width, this.canvas.height);
      context.drawImage(bitmap, 0, 0, this.canvas.width, this.canvas.height);
      const pixels = context.getImageData(0, 0, this.canvas.width, this.canvas.height);
      const { data } = pixels;
      for (let i = 0; i < data.length; i += 4) {
        const on = (data[i] + data[i + 1] + data[i + 2]) / 3 >= 128 && data[i + 3] >= 128;
        data[i] = data[i + 1] = data[i + 2] = 255;
        data[i + 3] = on ? 255 : 0;
      }
      context.putImageData(pixels, 0, 0);
    });
    bitmap.close();
  }

  private brushWidth(): number {
    return (Number(this.sizeInput.value) / 100) * Math.max(this.canvas.width, this.canvas.height);
  }

  private listen(): void {
    let last: { x: number; y: number } | undefined;
    const point = (event: PointerEvent) => {
      const box = this.canvas.getBoundingClientRect();
      return { x: ((event.clientX - box.left) / box.width) * this.canvas.width, y: ((event.clientY - box.top) / box.height) * this.canvas.height };
    };
    const stroke = (event: PointerEvent) => {
      if (!last) return;
      const context = this.context;
      const next = point(event);
      context.save();
      context.globalCompositeOperation = this.toolInputs.erase.checked ? 'destination-out' : 'source-over';
      context.strokeStyle = '#fff';
      context.lineCap = 'round';
      context.lineWidth = this.brushWidth();
      context.beginPath();
      context.moveTo(last.x, last.y);
      context.lineTo(next.x, next.y);
      context.stroke();
      context.restore();
      last = next;
    };
    const moveOutline = (event: PointerEvent) => {
      const box = this.canvas.getBoundingClientRect();
      const frameBox = this.frame.getBoundingClientRect();
      const diameter = (this.brushWidth() / this.canvas.width) * box.width;
      this.outline.hidden = !this.painting;
      this.outline.style.width = this.outline.style.height = `${diameter}px`;
      this.outline.style.left = `${event.clientX - frameBox.left - diameter / 2}px`;
      this.outline.style.top = `${event.clientY - frameBox.top - diameter / 2}px`;
    };
    this.canvas.addEventListener('pointerdown', (event) => {
      if (!this.painting) return;
      this.canvas.setPointerCapture(event.pointerId);
      this.history.push(this.context.getImageData(0, 0, this.canvas.width, this.canvas.height));
      last = point(event);
      stroke(event);
    });
    this.canvas.addEventListener('pointermove', (event) => {
      moveOutline(event);
      stroke(event);
    });
    this.canvas.addEventListener('pointerleave', () => (this.outline.hidden = true));
    const stop = () => {
      if (!last) return;
      last = undefined;
      this.changed();
    };
    this.canvas.addEventListener('pointerup', stop);
    this.canvas.addEventListener('pointercancel', stop);
  }
}
