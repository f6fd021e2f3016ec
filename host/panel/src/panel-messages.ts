import { formatBytes, formatMegapixels } from './format';

/**
 * Every message the panel shows about a problem, in one place (the browser tests assert with
 * these same factories). Messages say what is wrong and what to do.
 */
export const panelMessages = {
  openImageFirst: () => 'Open an image first.',
  notAnImage: (name: string) => `${name} is not an image this browser can read (PNG, JPEG, WebP or TIFF).`,
  imageTooManyPixels: (name: string, width: number, height: number, maxPixels: number) =>
    `${name} is ${width}×${height} (${formatMegapixels(width * height)}); this host takes up to ${formatMegapixels(maxPixels)}.`,
  imageTooManyBytes: (name: string, bytes: number, maxBytes: number) =>
    `${name} is ${formatBytes(bytes)}; this host takes files up to ${formatBytes(maxBytes)}.`,
  needsMask: (title: string) => `${title} needs a mask: paint over the part to fill.`,
  needsSelection: (title: string) => `${title} needs a selection: select the area to fill.`,
  documentTooManyPixels: (width: number, height: number, maxPixels: number) =>
    `The document is ${width}×${height} (${formatMegapixels(width * height)}); this host takes up to ${formatMegapixels(maxPixels)}. Reduce it with Image › Image Size, or crop.`,
  documentTooManyBytes: (bytes: number, maxBytes: number) =>
    `The document is ${formatBytes(bytes)} as PNG; this host takes up to ${formatBytes(maxBytes)}.`,
  noDocument: () => 'Open an image in Photopea first.',
  notInPhotopea: () => 'Open this panel from Photopea (see the README) to use it.',
  photopeaSilent: (ms: number) => `Photopea did not answer within ${Math.round(ms / 1000)} s.`,
  photopeaNoDescription: () => 'Photopea did not describe the active document.',
  photopeaNoFile: (what: string) => `Photopea did not send ${what}.`,
  photopeaNoLayer: () => 'Photopea did not add the layer.',
  addedLayer: (name: string, width: number, height: number) => `Added the layer “${name}” (${width}×${height}).`,
  addedSelectionLayer: (name: string) => `Added the layer “${name}”, masked to the selection.`,
  openedAsDocument: (width: number, height: number) => `Opened the result as a new document (${width}×${height}).`,
  selectionHint: () => 'With a selection, only the selected area is restored; without one, the whole document.',
  photopeaNoDocument: () => 'Photopea did not open the result as a new document.',
  needsToken: () => 'This host needs a token: open the panel with #token=YOUR_TOKEN at the end of the address.',
  tiffNotShown: (name: string, width: number, height: number) =>
    `${name} (TIFF, ${width}×${height}) is ready. This browser cannot show TIFF: the comparison appears with the first preview.`,
  panelCheckPassed: (plugins: number) =>
    `The panel loads and reaches this host (${plugins} ${plugins === 1 ? 'plugin' : 'plugins'}). In Photopea, allow local network access when Chrome asks.`,
  panelCheckFailed: (ms: number) =>
    `The panel did not load within ${Math.round(ms / 1000)} s. Build it (npm run build) and check the host's log; in Photopea the same failure leaves a blank panel.`,
  panelCheckHostError: (message: string) => `The panel loads but cannot reach this host: ${message}`,
  maskEmpty: () => 'Paint over the part to fill.',
  maskPainted: () => 'Masked area painted.',
  maskUnreadable: () => 'That mask is not an image this browser can read.',
  previewCaption: ({ step, steps, tile, tiles }: { step: number; steps: number; tile?: number; tiles?: number }) =>
    tile !== undefined && tiles !== undefined
      ? `Preview: ${tile} of ${tiles} tiles of step ${step} of ${steps} restored`
      : `Preview after step ${step} of ${steps}`,
  busyOpening: () => 'A restoration is running: wait for it, or press Cancel, before opening another image.',
  jobGone: () => 'The host no longer has this restoration (it was restarted, or the result expired). Press Restore to run it again.',
  reattached: () => 'Following the restoration started before the reload…',
  reattachedDone: (result: { width: number; height: number }) => `Done: ${result.width}×${result.height}. Compare, then download.`,
  waiting: (ahead: number, running: number) =>
    `Waiting: ${ahead} ${ahead === 1 ? 'job' : 'jobs'} ahead (${running} running, ${ahead - running} queued).`,
  hostStopping: () => 'The host is shutting down.',
} as const;
