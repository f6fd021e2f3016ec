import type { PluginInfo, RestoreResult } from '@fluxir/sdk/client';
import type { CompareView } from './compare-view';
import { h } from './dom';
import { type ChosenImage, ImageInput } from './image-input';
import { MaskBrush } from './mask-brush';
import { type PanelLimits, type PanelMode, type RunInput, UserError } from './panel-mode';
import { panelMessages } from './panel-messages';

/** What the stand-alone mode tells the panel, and asks it. */
export interface StandaloneEvents {
  error(message: string): void;
  /** A good image replaced the previous one: earlier errors no longer apply. */
  accepted(): void;
  /** Whether a job runs (then no other image may be opened). */
  busy(): boolean;
}

/** The panel as a web page: the user brings an image, paints a mask if needed, downloads the result. */
export class StandaloneMode implements PanelMode {
  readonly controls: HTMLElement;
  readonly keepsResult = true;
  readonly restoreLabel = 'Restore';
  readonly emptyText = 'Open, drop or paste an image to start.';
  private readonly input: ImageInput;
  private readonly brush: MaskBrush;
  private image: ChosenImage | undefined;
  private plugin: PluginInfo | undefined;
  private readonly readyListeners = new Set<() => void>();

  constructor(
    private readonly compare: CompareView,
    private readonly limits: PanelLimits,
    dropTarget: HTMLElement,
    private readonly events: StandaloneEvents,
  ) {
    const onError = events.error;
    this.input = new ImageInput(dropTarget, () => (events.busy() ? panelMessages.busyOpening() : undefined));
    this.brush = new MaskBrush(compare.frame, () => compare.setAfter(undefined, ''));
    this.brush.disable();
    compare.onAfterChange((shown) => this.brush.setResultShown(shown));
    document.addEventListener('keydown', (event) => this.brush.handleKey(event));
    this.controls = h('div', {}, this.input.element, this.brush.controls);
    this.input.onError(onError);
    this.input.onImage((image) => this.chosen(image, onError));
  }

  get ready(): boolean {
    return this.image !== undefined;
  }

  onReadyChange(listener: () => void): void {
    this.readyListeners.add(listener);
  }

  setBusy(busy: boolean): void {
    this.input.setDisabled(busy);
    this.brush.setDisabled(busy);
  }

  pluginChanged(plugin: PluginInfo | undefined): void {
    this.plugin = plugin;
    this.updateBrush();
  }

  async prepare(plugin: PluginInfo, compare: CompareView): Promise<RunInput> {
    const image = this.image;
    if (!image) throw new UserError(panelMessages.openImageFirst());
    if (plugin.requiresMask && !this.brush.hasMask) throw new UserError(panelMessages.needsMask(plugin.title));
    compare.setAfter(undefined, '');
    const mask = plugin.requiresMask ? await this.brush.toPng() : undefined;
    return { image: image.blob, mask, name: image.name };
  }

  async deliver(result: RestoreResult): Promise<string> {
    return `Done: ${result.width}×${result.height} in ${(result.ms / 1000).toFixed(1)} s. Compare, then download.`;
  }

  private chosen(image: ChosenImage, onError: (message: string) => void): void {
    const pixels = image.width * image.height;
    if (pixels > this.limits.maxPixels) {
      onError(panelMessages.imageTooManyPixels(image.name, image.width, image.height, this.limits.maxPixels));
      return;
    }
    if (image.blob.size > this.limits.maxUploadBytes) {
      onError(panelMessages.imageTooManyBytes(image.name, image.blob.size, this.limits.maxUploadBytes));
      return;
    }
    this.image = image;
    this.events.accepted();
    if (image.displayable) {
      this.compare.setEmptyText(this.emptyText);
      this.compare.setBefore(image.blob, image.width, image.height, image.name);
    } else {
      this.compare.setBefore(undefined);
      this.compare.setEmptyText(panelMessages.tiffNotShown(image.name, image.width, image.height));
    }
    this.updateBrush();
    for (const listener of this.readyListeners) listener();
  }

  private updateBrush(): void {
    if (this.plugin?.requiresMask && this.image) this.brush.enable(this.image.width, this.image.height);
    else this.brush.disable();
  }
}
