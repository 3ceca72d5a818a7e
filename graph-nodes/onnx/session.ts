// onnxruntime sessions for the engine. The host picks the runtime (runtime.ts: onnxruntime-node in
// Node, onnxruntime-web in the app) and, for the web one, the execution providers: WebGPU first in
// the app where an adapter exists (the worker sets it).
import type * as ort from 'onnxruntime-web';
import { toFloat16Bits } from './float16';
import { readModelInfo, type OnnxModelInfo, type OnnxTensorInfo } from './model-info';
import { isNativeOnnxRuntime, nativeSessionOptions, onnxRuntime } from './runtime';

export type { OnnxTensorInfo } from './model-info';
export { setOnnxThreads } from './runtime';

let executionProviders: string[] = ['wasm'];

/** Which execution providers new onnxruntime-web sessions try, in order (the app's worker calls this). */
export function setOnnxExecutionProviders(providers: readonly string[]): void {
  if (providers.length === 0) throw new Error('name at least one ONNX execution provider');
  executionProviders = [...providers];
}

export interface OnnxModel {
  readonly session: ort.InferenceSession;
  /** The inputs the session takes, with what the file declares of them (model-info.ts). */
  readonly inputs: readonly OnnxTensorInfo[];
  readonly outputs: readonly OnnxTensorInfo[];
}

export async function openOnnxModel(bytes: Uint8Array, path: string): Promise<OnnxModel> {
  let session: ort.InferenceSession;
  try {
    session = await onnxRuntime().InferenceSession.create(
      bytes,
      isNativeOnnxRuntime()
        ? nativeSessionOptions()
        : {
            executionProviders:
              executionProviders as ort.InferenceSession.ExecutionProviderConfig[],
          },
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`"${path}" is not an ONNX model onnxruntime can load: ${reason}`, {
      cause: error,
    });
  }
  // The file's own declarations where they can be read (they tell a scalar, [], from an unknown
  // shape, which onnxruntime's metadata reports alike); onnxruntime's metadata otherwise.
  let declared: OnnxModelInfo | undefined;
  try {
    declared = readModelInfo(bytes);
  } catch {
    declared = undefined;
  }
  const describe = (
    names: readonly string[],
    fromFile: readonly OnnxTensorInfo[] | undefined,
    metadata: readonly ort.InferenceSession.ValueMetadata[] | undefined,
  ): OnnxTensorInfo[] =>
    names.map((name) => {
      const info = fromFile?.find((i) => i.name === name);
      if (info) return info;
      const meta = metadata?.find((m) => m.name === name);
      if (!meta?.isTensor) return { name };
      return { name, type: meta.type, ...(meta.shape.length ? { shape: meta.shape } : {}) };
    });
  return {
    session,
    inputs: describe(session.inputNames, declared?.inputs, session.inputMetadata),
    outputs: describe(session.outputNames, declared?.outputs, session.outputMetadata),
  };
}

export function float32Tensor(data: Float32Array, dims: readonly number[]): ort.Tensor {
  return new (onnxRuntime().Tensor)('float32', data, dims);
}

/** Element types a floating-point input can take; the engine's float32 values are converted. */
export const FLOAT_TYPES = ['float32', 'float16'] as const;

/** float32 values as a tensor of a floating-point element type (float16: IEEE half bits). */
export function floatTensor(
  type: (typeof FLOAT_TYPES)[number],
  data: Float32Array,
  dims: readonly number[],
): ort.Tensor {
  return type === 'float16'
    ? new (onnxRuntime().Tensor)('float16', toFloat16Bits(data), dims)
    : new (onnxRuntime().Tensor)('float32', data, dims);
}

/**
 * A tensor of one repeated value in the element type the input declares (float32 when it does
 * not say). Integer types take the value rounded to the nearest integer.
 */
export function filledTensor(type: string | undefined, value: number, dims: readonly number[]) {
  const size = dims.reduce((a, b) => a * b, 1);
  const whole = Math.round(value);
  switch (type) {
    case 'int64':
      return new (onnxRuntime().Tensor)('int64', new BigInt64Array(size).fill(BigInt(whole)), dims);
    case 'int32':
      return new (onnxRuntime().Tensor)('int32', new Int32Array(size).fill(whole), dims);
    case 'float16':
      return floatTensor('float16', new Float32Array(size).fill(value), dims);
    case 'float64':
      return new (onnxRuntime().Tensor)('float64', new Float64Array(size).fill(value), dims);
    default:
      return new (onnxRuntime().Tensor)('float32', new Float32Array(size).fill(value), dims);
  }
}
