import { h } from './dom';
import { panelMessages } from './panel-messages';
import { tiffSize } from './tiff-size';

/** What the file picker offers: what browsers decode, and TIFF (decoded by the host's fallback below). */
const ACCEPTED_TYPES = 'image/png,image/jpeg,image/webp,image/tiff,.tif,.tiff';

/** Decoded size and bytes of the image the user chose. */
export interface ChosenImage {
  readonly blob: Blob;
  readonly name: string;
  readonly width: number;
  readonly height: number;
  /** False for TIFF, which the host decodes but this browser may not show. */
  readonly displayable: boolean;
}

/**
 * Where an image comes in: an "Open image…" button, dropping a file on the panel, or pasting one.
 * The image is decoded once here so a file that is not an image is refused before any upload.
 */
export class ImageInput {
  readonly element: HTMLElement;
  private readonly fileInput: HTMLInputElement;
  private readonly listeners = new Set<(image: ChosenImage) => void>();
  private readonly errorListeners = new Set<(message: string) => void>();

  private readonly openButton: HTMLButtonElement;

  /** `refusal` says why no image may be opened now (a job runs), or undefined when one may. */
  constructor(
    private readonly dropTarget: HTMLElement,
    private readonly refusal: () => string | undefined = () => undefined,
  ) {
    this.fileInput = h('input', { type: 'file', accept: ACCEPTED_TYPES, class: 'visually-hidden', tabindex: -1, 'aria-hidden': 'true' });
    const button = h('button', { type: 'button', class: 'secondary' }, 'Open image…');
    this.openButton = button;
    button.addEventListener('click', () => this.fileInput.click());
    this.fileInput.addEventListener('change', () => {
      const file = this.fileInput.files?.[0];
      if (file) void this.accept(file, file.name);
      this.fileInput.value = '';
    });
    this.element = h(
      'div',
      { class: 'image-input' },
      button,
      this.fileInput,
      h('p', { class: 'hint' }, 'or drop an image here, or paste one (Ctrl+V).'),
    );
    this.listenForDrops();
    document.addEventListener('paste', (event) => {
      const file = [...(event.clipboardData?.files ?? [])].find((candidate) => candidate.type.startsWith('image/'));
      if (file) {
        event.preventDefault();
        void this.accept(file, file.name || 'pasted.png');
      }
    });
  }

  /** The hidden file input, for tests and for programs embedding the panel. */
  get input(): HTMLInputElement {
    return this.fileInput;
  }

  setDisabled(disabled: boolean): void {
    this.openButton.disabled = disabled;
    this.fileInput.disabled = disabled;
  }

  onImage(listener: (image: ChosenImage) => void): void {
    this.listeners.add(listener);
  }

  onError(listener: (message: string) => void): void {
    this.errorListeners.add(listener);
  }

  private listenForDrops(): void {
    const target = this.dropTarget;
    target.addEventListener('dragover', (event) => {
      if (!event.dataTransfer?.types.includes('Files')) return;
      event.preventDefault();
      target.classList.add('dragging');
    });
    target.addEventListener('dragleave', () => target.classList.remove('dragging'));
    target.addEventListener('drop', (event) => {
      target.classList.remove('dragging');
      const file = event.dataTransfer?.files[0];
      if (!file) return;
      event.preventDefault();
      void this.accept(file, file.name);
    });
  }

  private async accept(blob: Blob, name: string): Promise<void> {
    const refused = this.refusal();
    if (refused) {
      for (const listener of this.errorListeners) listener(refused);
      return;
    }
    try {
      const image = await decode(blob, name);
      for (const listener of this.listeners) listener(image);
    } catch {
      for (const listener of this.errorListeners) listener(panelMessages.notAnImage(name));
    }
  }
}

async function decode(blob: Blob, name: string): Promise<ChosenImage> {
  try {
    const bitmap = await createImageBitmap(blob);
    const image: ChosenImage = { blob, name, width: bitmap.width, height: bitmap.height, displayable: true };
    bitmap.close();
    return image;
  } catch (error) {
    const size = tiffSize(await blob.arrayBuffer());
    if (!size) throw error;
    return { blob: new Blob([blob], { type: 'image/tiff' }), name, ...size, displayable: false };
  }
}
