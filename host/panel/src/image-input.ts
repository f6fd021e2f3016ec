import { h } from './dom';
import { panelMessages } from './panel-messages';

/** Decoded size and bytes of the image the user chose. */
export interface ChosenImage {
  readonly blob: Blob;
  readonly name: string;
  readonly width: number;
  readonly height: number;
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

  constructor(private readonly dropTarget: HTMLElement) {
    this.fileInput = h('input', { type: 'file', accept: 'image/png,image/jpeg,image/webp', class: 'visually-hidden', tabindex: -1, 'aria-hidden': 'true' });
    const button = h('button', { type: 'button', class: 'secondary' }, 'Open image…');
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
    try {
      const bitmap = await createImageBitmap(blob);
      const image: ChosenImage = { blob, name, width: bitmap.width, height: bitmap.height };
      bitmap.close();
      for (const listener of this.listeners) listener(image);
    } catch {
      for (const listener of this.errorListeners) listener(panelMessages.notAnImage(name));
    }
  }
}
