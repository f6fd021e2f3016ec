import type { PluginInfo, RestoreResult } from '@fluxir/sdk/client';
import type { CompareView } from './compare-view';
import { h } from './dom';
import { formatBytes, formatMegapixels } from './format';
import { type PanelLimits, type PanelMode, type RunInput, UserError } from './panel-mode';
import { PhotopeaBridge } from './photopea-bridge';
import { type DocumentInfo, PhotopeaDocument } from './photopea-document';
import { readAsDataUrl } from './data-url';
import { panelMessages } from './panel-messages';
import { cropPng, maskedLayer, type Region, selectionRegion } from './selection-region';

/** Photopea needs about this long per megapixel to encode or load a PNG; time-outs scale with it. */
const MS_PER_MEGAPIXEL = 4_000;

/**
 * The panel inside Photopea: Restore takes the active document. With a selection, inpaint fills
 * it (the selection is the mask) and other tasks restore the selection with a margin around it,
 * coming back as a layer masked to the selection. The result comes back as a new layer named
 * after the plugin and its version, or as a new document when its size differs (super-resolution).
 */
export class PhotopeaMode implements PanelMode {
  readonly controls: HTMLElement;
  readonly keepsResult = false;
  readonly restoreLabel = 'Restore active document';
  readonly emptyText = 'The active document and its restoration appear here.';
  private readonly document: PhotopeaDocument;
  private readonly selectionHint: HTMLElement;
  /** What the current run sent: the document, the part of it restored, the selection as a mask. */
  private run: { info: DocumentInfo; region?: Region; selectionMask?: Blob; sent: Region } | undefined;
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
      : panelMessages.selectionHint();
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
    const selectionMask = info.selection ? new Blob([await this.document.exportSelectionMask(timeoutMs)], { type: 'image/png' }) : undefined;
    const whole = new Blob([png], { type: 'image/png' });
    // Inpaint fills the selection in the whole picture; other tasks restore around the selection only.
    const region = info.selection && !plugin.requiresMask ? selectionRegion(info.selection, info.width, info.height) : undefined;
    const image = region ? await cropPng(whole, region) : whole;
    this.run = { info, region, selectionMask, sent: region ?? { x: 0, y: 0, width: info.width, height: info.height } };
    compare.setBefore(image, this.run.sent.width, this.run.sent.height, region ? 'the selection' : 'the active document');
    return { image, mask: plugin.requiresMask ? selectionMask : undefined, name: 'photopea.png' };
  }

  async deliver(result: RestoreResult, plugin: PluginInfo, blob: Blob): Promise<string> {
    const run = this.run;
    if (!run) throw new UserError(panelMessages.noDocument());
    const layerName = `${plugin.title} ${result.version}`;
    const pixels = result.width * result.height;
    const timeoutMs = 30_000 + (pixels / 1e6) * MS_PER_MEGAPIXEL;
    // Super-resolution changes the size: the result is a picture of its own, not a layer.
    if (result.width !== run.sent.width || result.height !== run.sent.height) {
      await this.document.openDocument(await readAsDataUrl(blob), run.info.documents, timeoutMs);
      return panelMessages.openedAsDocument(result.width, result.height);
    }
    const layer =
      run.region && run.selectionMask ? await maskedLayer(blob, run.region, run.selectionMask, run.info.width, run.info.height) : blob;
    await this.document.addLayer(await readAsDataUrl(layer), layerName, run.info.layers, timeoutMs);
    return run.region ? panelMessages.addedSelectionLayer(layerName) : panelMessages.addedLayer(layerName, result.width, result.height);
  }
}
