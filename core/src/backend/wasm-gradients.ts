import * as tf from '@tensorflow/tfjs-core';

/**
 * The wasm backend has no Conv2DBackpropFilter and a Conv2DBackpropInput about ten times slower than
 * a forward convolution. Both are registered here as forward convolutions, which run on XNNPACK:
 * - input gradient: the output gradient convolved with the spatially flipped filter whose in and out
 *   channels are swapped;
 * - filter gradient: the input transposed so that its channels act as the batch, convolved with the
 *   output gradient transposed to act as the filter.
 * Only stride-1, dilation-1 convolutions with odd filters and 'same' or 'valid' padding are needed by
 * the model; anything else is refused loudly rather than computed wrongly.
 */
type KernelFunc = tf.KernelConfig['kernelFunc'];
type Attrs = Record<string, unknown>;
type Backend = tf.KernelBackend;

const BACKEND = 'wasm';

function kernel(name: string): KernelFunc {
  const config = tf.getKernel(name, BACKEND);
  if (!config) throw new Error(`the wasm backend has no ${name} kernel`);
  return config.kernelFunc;
}

function call(name: string, inputs: Record<string, tf.TensorInfo>, backend: Backend, attrs: Attrs): tf.TensorInfo {
  return kernel(name)({ inputs, backend, attrs: attrs as tf.NamedAttrMap }) as tf.TensorInfo;
}

function release(backend: Backend, ...infos: tf.TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

function checkSupported(name: string, attrs: Attrs, kh: number, kw: number): void {
  const strides = attrs.strides as number | [number, number];
  const dilations = (attrs.dilations ?? 1) as number | [number, number];
  const flat = (v: number | [number, number]) => (Array.isArray(v) ? v : [v, v]);
  const ok =
    flat(strides).every((s) => s === 1) &&
    flat(dilations).every((d) => d === 1) &&
    (attrs.pad === 'same' || attrs.pad === 'valid') &&
    kh % 2 === 1 &&
    kw % 2 === 1 &&
    (attrs.dataFormat ?? 'NHWC') === 'NHWC';
  if (!ok) throw new Error(`${name} on wasm supports stride 1, dilation 1, odd filters, same/valid padding only`);
}

function padding(attrs: Attrs, kh: number, kw: number): [number, number] {
  return attrs.pad === 'same' ? [(kh - 1) / 2, (kw - 1) / 2] : [0, 0];
}

const backpropInput: KernelFunc = ({ inputs, backend: anyBackend, attrs }) => {
  const backend = anyBackend as Backend;
  const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const [kh, kw] = filter.shape;
  checkSupported('Conv2DBackpropInput', attrs as Attrs, kh, kw);
  const [ph, pw] = padding(attrs as Attrs, kh, kw);
  const flipped = call('Reverse', { x: filter }, backend, { dims: [0, 1] });
  const swapped = call('Transpose', { x: flipped }, backend, { perm: [0, 1, 3, 2] });
  // dx has the input's size: pad the output gradient by (k - 1 - p) on each side, then a valid conv.
  const padH = kh - 1 - ph;
  const padW = kw - 1 - pw;
  const out = call('Conv2D', { x: dy, filter: swapped }, backend, {
    strides: [1, 1],
    pad: [
      [0, 0],
      [padH, padH],
      [padW, padW],
      [0, 0],
    ],
    dataFormat: 'NHWC',
    dilations: [1, 1],
  });
  release(backend, flipped, swapped);
  return out;
};

const backpropFilter: KernelFunc = ({ inputs, backend: anyBackend, attrs }) => {
  const backend = anyBackend as Backend;
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const [kh, kw] = (attrs as Attrs).filterShape as [number, number, number, number];
  checkSupported('Conv2DBackpropFilter', attrs as Attrs, kh, kw);
  const [ph, pw] = padding(attrs as Attrs, kh, kw);
  // x: [B,H,W,Cin] -> [Cin,H,W,B]; dy: [B,Ho,Wo,Cout] -> [Ho,Wo,B,Cout]; conv -> [Cin,kh,kw,Cout].
  const xT = call('Transpose', { x }, backend, { perm: [3, 1, 2, 0] });
  const dyT = call('Transpose', { x: dy }, backend, { perm: [1, 2, 0, 3] });
  const conv = call('Conv2D', { x: xT, filter: dyT }, backend, {
    strides: [1, 1],
    pad: [
      [0, 0],
      [ph, ph],
      [pw, pw],
      [0, 0],
    ],
    dataFormat: 'NHWC',
    dilations: [1, 1],
  });
  const out = call('Transpose', { x: conv }, backend, { perm: [1, 2, 0, 3] });
  release(backend, xT, dyT, conv);
  return out;
};

let registered = false;

/** Registers the convolution gradient kernels on the wasm backend (idempotent). */
export function registerWasmGradients(): void {
  if (registered) return;
  registered = true;
  for (const [kernelName, kernelFunc] of [
    ['Conv2DBackpropInput', backpropInput],
    ['Conv2DBackpropFilter', backpropFilter],
  ] as const) {
    if (tf.getKernel(kernelName, BACKEND)) tf.unregisterKernel(kernelName, BACKEND);
    tf.registerKernel({ kernelName, backendName: BACKEND, kernelFunc });
  }
}
