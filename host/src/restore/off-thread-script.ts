/**
 * The worker thread's code, as plain CommonJS run with `eval`: it must run the same from sources under
 * a test runner and from dist. It decodes uploads and encodes results with @fluxir/core (resolved
 * from the host package, `workerData.resolveFrom`), and runs plugins' `prepare`, each plugin loaded
 * from its entry file (its own dependencies resolve from its folder) and kept while the host's load of
 * it is the same (`token`). Every answer carries its buffers transferred, or the error's code and message.
 */
export const OFF_THREAD_SCRIPT = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { createRequire } = require('node:module');
const path = require('node:path');
const loaded = new Map();
let core;

function coreModule() {
  core = core || createRequire(workerData.resolveFrom)('@fluxir/core');
  return core;
}

function definitionOf(entry, dir, token) {
  const known = loaded.get(entry);
  if (known && known.token === token) return known.definition;
  for (const key of Object.keys(require.cache)) if (key.startsWith(dir + path.sep)) delete require.cache[key];
  const exported = require(entry);
  const definition = exported.default || exported.plugin;
  loaded.set(entry, { token, definition });
  return definition;
}

const ops = {
  preload({ plugins }) {
    coreModule();
    for (const plugin of plugins) {
      try {
        definitionOf(plugin.entry, plugin.dir, plugin.token);
      } catch {
        // Reported when a job needs it; a preload only saves the first job the loading time.
      }
    }
    return null;
  },
  prepare({ entry, dir, token, input, params, mask }) {
    return definitionOf(entry, dir, token).prepare(input, params, mask);
  },
  async decode({ image, mask, maxPixels }) {
    const { decodeImage, decodeMask } = coreModule();
    const decoded = (await decodeImage(image, 'the image', { maxPixels })).image;
    const options = { maxPixels, imageName: 'the image' };
    return { image: decoded, mask: mask ? await decodeMask(mask, 'the mask', decoded.width, decoded.height, options) : undefined };
  },
  encode({ image, format, options }) {
    return coreModule().encodeImage(image, format, options);
  },
};

/** Buffers a result owns whole can move to the main thread without a copy. */
function transferables(value) {
  const found = new Set();
  const visit = (item) => {
    if (!item || typeof item !== 'object') return;
    if (ArrayBuffer.isView(item)) {
      if (item.byteLength === item.buffer.byteLength) found.add(item.buffer);
      return;
    }
    for (const key of Object.keys(item)) visit(item[key]);
  };
  visit(value);
  return [...found];
}

parentPort.on('message', async ({ id, op, payload }) => {
  try {
    const result = await ops[op](payload);
    parentPort.postMessage({ id, result }, transferables(result));
  } catch (error) {
    const failure = error instanceof Error ? { message: error.message, code: error.code } : { message: String(error) };
    parentPort.postMessage({ id, failure });
  }
});
`;
