// A · B for a constant B, on onnxruntime (runtime.ts): onnxruntime-web's wasm MatMul has SIMD and
// threads (and WebGPU in the app), so it multiplies a 512 × 784 by a 784 × 2000 matrix in ~24 ms
// on two cores, where tfjs's wasm matMul takes ~420 ms and scalar typed-array loops over a second
// (measured on this machine); Node hosts run it on onnxruntime-node's native kernels. The exact denoisers use it for high-dimensional data (denoisers/empirical-dense.ts).
//
// B is fed as an input rather than baked into the model as an initializer: the product is as fast
// (measured), and one small session then serves every matrix, where a model holding B would take
// ~250 ms to build and prepare for each data set.
import { OnnxGraphBuilder } from './onnx-graph';
import { onnxRuntime, type OnnxRuntime } from './runtime';
import { openOnnxModel, type OnnxModel } from './session';

export interface ConstantMatMul {
  /** `a` [rows, k] (row-major float32) times B: [rows, m]. */
  multiply(a: Float32Array, rows: number): Promise<Float32Array>;
}

let shared: Promise<OnnxModel> | undefined;
/** The runtime the shared session was made on: its tensors cannot feed another's session. */
let sharedRuntime: OnnxRuntime | undefined;

/** One session for every product: inputs a [rows, k] and b [k, m], output [rows, m]. */
function matMulModel(): Promise<OnnxModel> {
  if (!shared || sharedRuntime !== onnxRuntime()) {
    sharedRuntime = onnxRuntime();
    const graph = new OnnxGraphBuilder('matmul');
    graph.op('MatMul', ['a', 'b'], {}, 'product');
    const bytes = graph.toModel(
      [
        { name: 'a', shape: ['rows', 'k'] },
        { name: 'b', shape: ['k', 'm'] },
      ],
      [{ name: 'product', shape: ['rows', 'm'] }],
    );
    shared = openOnnxModel(bytes, 'the matrix product');
    // A failed start (no wasm, say) is tried again by the next caller rather than kept.
    shared.catch(() => (shared = undefined));
  }
  return shared;
}

/**
 * Starts onnxruntime (its wasm and threads: ~250 ms) ahead of the first product, so that a host
 * that knows it will need it can overlap the start with its own.
 */
export function prewarmMatMul(): void {
  void matMulModel().catch(() => undefined);
}

/** B [k, m], row-major; held (not copied) while the product is in use. */
export function createConstantMatMul(b: Float32Array, k: number, m: number): ConstantMatMul {
  if (b.length !== k * m) throw new Error(`a [${k}, ${m}] matrix needs ${k * m} values`);
  return {
    async multiply(a, rows) {
      if (a.length !== rows * k) throw new Error(`A [${rows}, ${k}] needs ${rows * k} values`);
      const { session } = await matMulModel();
      const { Tensor } = onnxRuntime();
      // Wrapping B is free (the tensor holds the array), and a new one is always the session's.
      const results = await session.run({
        a: new Tensor('float32', a, [rows, k]),
        b: new Tensor('float32', b, [k, m]),
      });
      return results['product']!.data as Float32Array;
    },
  };
}
