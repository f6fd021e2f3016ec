import * as tf from '@tensorflow/tfjs-core';
// The cpu backend for these tests' tensors.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerGradients } from './gradients';
import { registerWasmGradients } from './wasm-gradients';

async function gradients(backend: string, x: number[], w: number[], xShape: number[], wShape: number[], pad: 'same' | 'valid') {
  registerGradients();
  await tf.setBackend(backend);
  if (backend === 'wasm') registerWasmGradients();
  return tf.tidy(() => {
    const xt = tf.tensor4d(x, xShape as [number, number, number, number]);
    const wt = tf.tensor4d(w, wShape as [number, number, number, number]);
    const f = (...[a, b]: tf.Tensor[]) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, pad))) as tf.Scalar;
    const [dx, dw] = tf.grads(f)([xt, wt]);
    return [dx.arraySync(), dw.arraySync()];
  });
}

describe('wasm convolution gradients', () => {
  afterAll(() => tf.setBackend('cpu'));
  for (const [k, pad] of [
    [3, 'same'],
    [1, 'same'],
    [3, 'valid'],
  ] as const) {
    it(`match the cpu backend for a ${k}x${k} ${pad} convolution`, async () => {
      const xShape = [2, 9, 7, 3];
      const wShape = [k, k, 3, 5];
      const rand = (n: number) => Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898) * 0.5);
      const x = rand(xShape.reduce((a, b) => a * b));
      const w = rand(wShape.reduce((a, b) => a * b)).map((v) => v * 0.7);
      const cpu = await gradients('cpu', x, w, xShape, wShape, pad);
      const wasm = await gradients('wasm', x, w, xShape, wShape, pad);
      const flat = (v: unknown) => (v as number[]).flat(4) as number[];
      for (let g = 0; g < 2; g++) {
        const a = flat(cpu[g]);
        const b = flat(wasm[g]);
        expect(b.length).toBe(a.length);
        const maxDiff = Math.max(...a.map((v, i) => Math.abs(v - b[i])));
        const scale = Math.max(...a.map(Math.abs));
        expect(maxDiff / scale).toBeLessThan(1e-4);
      }
    });
  }
});
