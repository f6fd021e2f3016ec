import { formatBytes, formatMegapixels } from './format';

/**
 * Every message the panel shows about a problem, in one place (the browser tests assert with
 * these same factories). Messages say what is wrong and what to do.
 */
export const panelMessages = {
  openImageFirst: () => 'Open an image first.',
  notAnImage: (name: string) => `${name} is not an image this browser can read (PNG, JPEG or WebP).`,
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
  needsToken: () => 'This host needs a token: open the panel with ?token=YOUR_TOKEN in the address.',
  hostStopping: () => 'The host is shutting down.',
} as const;
