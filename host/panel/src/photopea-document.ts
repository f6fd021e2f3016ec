import { type PhotopeaBridge, PhotopeaError } from './photopea-bridge';
import { panelMessages } from './panel-messages';
import type { Region } from './selection-region';

/** The selection's bounds [left, top, right, bottom] as a region inside the document, or none if empty. */
function clampedRegion([left, top, right, bottom]: number[], width: number, height: number): Region | undefined {
  const x = Math.max(0, Math.floor(left));
  const y = Math.max(0, Math.floor(top));
  const x1 = Math.min(width, Math.ceil(right));
  const y1 = Math.min(height, Math.ceil(bottom));
  return x1 > x && y1 > y ? { x, y, width: x1 - x, height: y1 - y } : undefined;
}

export interface DocumentInfo {
  readonly width: number;
  readonly height: number;
  /** Top-level layers, to see when an added layer has arrived. */
  readonly layers: number;
  readonly hasSelection: boolean;
  /** The selection's bounding box, when there is one. */
  readonly selection?: Region;
  /** Open documents, to see when an opened one has arrived. */
  readonly documents: number;
}

/** Scripts are ES5: Photopea runs them as they are. */
const INFO_SCRIPT = `
var d = app.activeDocument;
if (!d) { app.echoToOE("fluxir:no-document"); } else {
  var b = null;
  try { b = d.selection != null ? d.selection.bounds : null; } catch (e) { b = null; }
  var s = b != null && b.length == 4 && b[2] > b[0] && b[3] > b[1];
  app.echoToOE("fluxir:info:" + d.width + "," + d.height + "," + d.layers.length + "," + app.documents.length + "," +
    (s ? [Number(b[0]), Number(b[1]), Number(b[2]), Number(b[3])].join(",") : "none"));
}`;

/**
 * The selection as a black-and-white image: a temporary layer, black outside the selection and
 * white inside, shown alone while the document is exported, then removed; the layers'
 * visibility is put back as it was.
 */
const SELECTION_MASK_SCRIPT = `
var d = app.activeDocument;
d.activeLayer = d.layers[0];
var l = d.artLayers.add();
var top = l; while (top.parent && top.parent != d) top = top.parent;
var shown = [];
for (var i = 0; i < d.layers.length; i++) { shown.push(d.layers[i].visible); if (d.layers[i] != top) d.layers[i].visible = false; }
var c = new SolidColor();
c.rgb.red = 0; c.rgb.green = 0; c.rgb.blue = 0;
try { d.selection.invert(); d.selection.fill(c); } catch (e) {}
d.selection.invert();
c.rgb.red = 255; c.rgb.green = 255; c.rgb.blue = 255;
d.selection.fill(c);
d.saveToOE("png");
for (var j = 0; j < d.layers.length; j++) d.layers[j].visible = shown[j];
l.remove();`;

/** The active Photopea document: what the panel reads from it and the layer it adds. */
export class PhotopeaDocument {
  constructor(private readonly bridge: PhotopeaBridge) {}

  async info(): Promise<DocumentInfo> {
    const replies = await this.bridge.run(INFO_SCRIPT, 10_000);
    const text = replies.find((reply): reply is string => typeof reply === 'string' && reply.startsWith('fluxir:'));
    if (text === 'fluxir:no-document') throw new PhotopeaError(panelMessages.noDocument());
    const match = /^fluxir:info:([\d.]+),([\d.]+),(\d+),(\d+),(none|[-\d.]+,[-\d.]+,[-\d.]+,[-\d.]+)$/.exec(text ?? '');
    if (!match) throw new PhotopeaError(panelMessages.photopeaNoDescription());
    const width = Math.round(Number(match[1]));
    const height = Math.round(Number(match[2]));
    const selection = match[5] === 'none' ? undefined : clampedRegion(match[5].split(',').map(Number), width, height);
    return { width, height, layers: Number(match[3]), documents: Number(match[4]), hasSelection: selection !== undefined, selection };
  }

  /** The whole document, flattened, as PNG. */
  async exportPng(timeoutMs: number): Promise<ArrayBuffer> {
    return this.fileFrom(await this.bridge.run('app.activeDocument.saveToOE("png");', timeoutMs), 'the document');
  }

  async exportSelectionMask(timeoutMs: number): Promise<ArrayBuffer> {
    return this.fileFrom(await this.bridge.run(SELECTION_MASK_SCRIPT, timeoutMs), 'the selection');
  }

  /**
   * Adds an image as a new layer of the active document and names it. Photopea may finish
   * loading the image after it said "done", so the name is set once the layer count went up.
   */
  async addLayer(dataUri: string, name: string, layersBefore: number, timeoutMs: number): Promise<void> {
    await this.bridge.run(`app.open(${JSON.stringify(dataUri)}, null, true);`, timeoutMs);
    const deadline = Date.now() + 10_000;
    while ((await this.layerCount()) <= layersBefore) {
      if (Date.now() > deadline) throw new PhotopeaError(panelMessages.photopeaNoLayer());
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await this.bridge.run(`app.activeDocument.activeLayer.name = ${JSON.stringify(name)};`, 10_000);
  }

  /** Opens an image as a new document (a result of another size than the document's). */
  async openDocument(dataUri: string, documentsBefore: number, timeoutMs: number): Promise<void> {
    await this.bridge.run(`app.open(${JSON.stringify(dataUri)});`, timeoutMs);
    const deadline = Date.now() + 10_000;
    while ((await this.count('app.documents.length')) <= documentsBefore) {
      if (Date.now() > deadline) throw new PhotopeaError(panelMessages.photopeaNoDocument());
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  private async layerCount(): Promise<number> {
    return this.count('app.activeDocument.layers.length');
  }

  private async count(expression: string): Promise<number> {
    const replies = await this.bridge.run(`app.echoToOE("fluxir:count:" + ${expression});`, 10_000);
    const text = replies.find((reply): reply is string => typeof reply === 'string' && reply.startsWith('fluxir:count:'));
    return text ? Number(text.slice('fluxir:count:'.length)) : 0;
  }

  private fileFrom(replies: readonly unknown[], what: string): ArrayBuffer {
    const file = replies.find((reply): reply is ArrayBuffer => reply instanceof ArrayBuffer);
    if (!file) throw new PhotopeaError(panelMessages.photopeaNoFile(what));
    return file;
  }
}
