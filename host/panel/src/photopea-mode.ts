import type { PluginInfo, RestoreResult } from '@fluxir/sdk/client';
import type { CompareView } from './compare-view';
import { h } from './dom';
import { formatBytes, formatMegapixels } from './format';
import { type PanelLimits, type PanelMode, type RunInput, UserError } from './panel-mode';
import { PhotopeaBridge } from './photopea-bridge';
import { type DocumentInfo, PhotopeaDocument } from './photopea-document';
import { panelMessages } from './panel-messages';

/** Photopea needs about this long per megapixel to encode or load a PNG; time-outs scale with it. */
const MS_PER_MEGAPIXEL = 4_000;

/**
 * The panel inside Photopea: Restore takes the active document (and, if asked, its selection as
 * the mask), and the result comes back as a new layer named after the plugin and its version.
 */
export class PhotopeaMode implements PanelMode {
  readonly controls: HTMLElement;
  readonly restoreLabel = 'Restore active document';
  readonly emptyText = 'The active document and its restoration appear here.';
  private readonly document: PhotopeaDocument;
  private readonly selectionHint: HTMLElement;
  private info: DocumentInfo | undefined;
  private readonly embedded: boolean;

  constructor(
    private readonly limits: PanelLimits,
    bridge = new PhotopeaBridge(),
  ) {
    this.document = new PhotopeaDocument(bridge);
    this.selectionHint = h('p', { class: 'hint', 'aria-live': 'polite' });
    this.controls = h(
      'div',
      {},
      h('p', { class: 'hint' }, `Restores the active document (up to ${formatMegapixels(limits.maxPixels)}, ${formatBytes(limits.maxUploadBytes)} as PNG) and adds the result as a new layer.`),
      this.selectionHint,
    );
    this.embedded = bridge.embedded;
    if (!this.embedded) this.selectionHint.textContent = panelMessages.notInPhotopea();
  }

  get ready(): boolean {
    return true;
  }

  onReadyChange(): void {
    // Always ready: the document is read when Restore is pressed.
  }

  pluginChanged(plugin: PluginInfo | undefined): void {
    if (!this.embedded) return;
    this.selectionHint.textContent = plugin?.requiresMask
      ? `${plugin.title} fills the current selection: select the area in Photopea first.`
      : '';
  }

  async prepare(plugin: PluginInfo, compare: CompareView): Promise<RunInput> {
    const info = await this.document.info();
    const pixels = info.width * info.height;
    if (pixels > this.limits.maxPixels) {
      throw new UserError(panelMessages.documentTooManyPixels(info.width, info.height, this.limits.maxPixels));
    }
    if (plugin.requiresMask && !info.hasSelection) throw new UserError(panelMessages.needsSelection(plugin.title));
    const timeoutMs = 30_000 + (pixels / 1e6) * MS_PER_MEGAPIXEL;
    const png = await this.document.exportPng(timeoutMs);
    if (png.byteLength > this.limits.maxUploadBytes) {
      throw new UserError(panelMessages.documentTooManyBytes(png.byteLength, this.limits.maxUploadBytes));
    }
    const mask = plugin.requiresMask ? new Blob([await this.document.exportSelectionMask(timeoutMs)], { type: 'image/png' }) : undefined;
    this.info = info;
    const image = new Blob([png], { type: 'image/png' });
    compare.setBefore(image, info.width, info.height, 'the active document');
    return { image, mask, name: 'photopea.png' };
  }

  async deliver(result: RestoreResult, plugin: PluginInfo, blob: Blob): Promise<string> {
    const layerName = `${plugin.title} ${result.version}`;
    const dataUri = await readAsDataUrl(blob);
    const pixels = result.width * result.height;
    await this.document.addLayer(dataUri, layerName, this.info?.layers ?? 0, 30_000 + (pixels / 1e6) * MS_PER_MEGAPIXEL);
    return `Added the layer “${layerName}” (${result.width}×${result.height}).`;
  }
}

/** FileReader encodes off the main thread's critical path: a large result never freezes the panel. */
function readAsDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('the result could not be read'));
    reader.readAsDataURL(blob);
  });
}
