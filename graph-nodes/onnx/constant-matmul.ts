// A · B for a constant B, on onnxruntime-web: its wasm MatMul has SIMD and threads (and WebGPU in
// the app), so it multiplies a 512 × 784 by a 784 × 2000 matrix in ~24 ms on two cores, where
// tfjs's wasm matMul takes ~420 ms and scalar typed-array loops over a second (measured on this
// machine). The exact denoisers use it for high-dimensional data (denoisers/empirical-dense.ts).
import * as ort from 'onnxruntime-web';
import { OnnxGraphBuilder } from './onnx-graph';
import { openOnnxModel } from './session';

export interface ConstantMatMul {
  /** `a` [rows, k] (row-major float32) times B: [rows, m]. */
  multiply(a: Float32Array, rows: number): Promise<Float32Array>;
  release(): Promise<void>;
}

/** B [k, m], row-major, copied into the session once. */
export async function createConstantMatMul(
  b: Float32Array,
  k: number,
  m: number,
): Promise<ConstantMatMul> {
  if (b.length !== k * m) throw new Error(`a [${k}, ${m}] matrix needs ${k * m} values`);
  const graph = new OnnxGraphBuilder('constant_matmul');
  const constant = graph.constant('b', b, [k, m]);
  graph.op('MatMul', ['a', constant], {}, 'product');
  const bytes = graph.toModel(
    [{ name: 'a', shape: ['rows', k] }],
    [{ name: 'product', shape: ['rows', m] }],
  );
  const { session } = await openOnnxModel(bytes, `a constant [${k}, ${m}] matrix product`);
  return {
    async multiply(a, rows) {
      if (a.length !== rows * k) throw new Error(`A [${rows}, ${k}] needs ${rows * k} values`);
      const results = await session.run({ a: new ort.Tensor('float32', a, [rows, k]) });
      return results['product']!.data as Float32Array;
    },
    release: () => session.release(),
  };
}
