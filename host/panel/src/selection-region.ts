/** A rectangle in document pixels. */
export interface Region {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Context around a selection the model sees, so the edge of the selection blends with the rest. */
export function selectionRegion(bounds: Region, documentWidth: number, documentHeight: number): Region {
  const margin = Math.max(16, Math.round(0.25 * Math.max(bounds.width, bounds.height)));
  const x = Math.max(0, Math.floor(bounds.x - margin));
  const y = Math.max(0, Math.floor(bounds.y - margin));
  const right = Math.min(documentWidth, Math.ceil(bounds.x + bounds.width + margin));
  const bottom = Math.min(documentHeight, Math.ceil(bounds.y + bounds.height + margin));
  return { x, y, width: right - x, height: bottom - y };
}

/** The part of an image inside `region`, as PNG. */
export async function cropPng(image: Blob, region: Region): Promise<Blob> {
  const bitmap = await createImageBitmap(image, region.x, region.y, region.width, region.height);
  const canvas = canvasOf(region.width, region.height);
  canvas.getContext('2d')?.drawImage(bitmap, 0, 0);
  bitmap.close();
  return encodePng(canvas);
}

/**
 * A document-sized layer: the restored region at its place, visible only where the selection
 * mask (white = selected, grey = partly, as Photopea feathers) is, transparent elsewhere.
 */
export async function maskedLayer(result: Blob, region: Region, selectionMask: Blob, width: number, height: number): Promise<Blob> {
  const canvas = canvasOf(width, height);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('this browser cannot draw on a canvas');
  const mask = await createImageBitmap(selectionMask);
  context.drawImage(mask, 0, 0, width, height);
  mask.close();
  // The mask's brightness becomes the layer's alpha.
  const pixels = context.getImageData(0, 0, width, height);
  const data = pixels.data;
  for (let i = 0; i < data.length; i += 4) {
    data[i + 3] = data[i];
  }
  context.putImageData(pixels, 0, 0);
  const restored = await createImageBitmap(result);
  context.globalCompositeOperation = 'source-in';
  context.drawImage(restored, region.x, region.y, region.width, region.height);
  restored.close();
  return encodePng(canvas);
}

function canvasOf(width: number, height: number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  return canvas;
}

function encodePng(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the image could not be encoded'))), 'image/png'),
  );
}
