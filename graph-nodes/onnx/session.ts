// onnxruntime-web sessions for the engine. The host picks the execution providers: wasm in Node
// (the only one there), WebGPU first in the app where an adapter exists (the worker sets it).
import * as ort from 'onnxruntime-web';

let executionProviders: string[] = ['wasm'];

/** Which execution providers new sessions try, in order (the app's worker calls this). */
export function setOnnxExecutionProviders(providers: readonly string[]): void {
  if (providers.length === 0) throw new Error('name at least one ONNX execution provider');
  executionProviders = [...providers];
}

export interface OnnxTensorInfo {
  readonly name: string;
  readonly type?: string;
  /** Sizes, or symbolic names such as "batch"; undefined when the model does not say. */
  readonly shape?: readonly (number | string)[];
}

export interface OnnxModel {
  readonly session: ort.InferenceSession;
  readonly inputs: readonly OnnxTensorInfo[];
  readonly outputs: readonly OnnxTensorInfo[];
}

export async function openOnnxModel(bytes: Uint8Array, path: string): Promise<OnnxModel> {
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, {
      executionProviders: executionProviders as ort.InferenceSession.ExecutionProviderConfig[],
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`"${path}" is not an ONNX model onnxruntime can load: ${reason}`, {
      cause: error,
    });
  }
  const describe = (
    names: readonly string[],
    metadata: readonly ort.InferenceSession.ValueMetadata[] | undefined,
  ): OnnxTensorInfo[] =>
    names.map((name) => {
      const meta = metadata?.find((m) => m.name === name);
      return meta && meta.isTensor ? { name, type: meta.type, shape: meta.shape } : { name };
    });
  return {
    session,
    inputs: describe(session.inputNames, session.inputMetadata),
    outputs: describe(session.outputNames, session.outputMetadata),
  };
}

export function float32Tensor(data: Float32Array, dims: readonly number[]): ort.Tensor {
  return new ort.Tensor('float32', data, dims);
}

/** A tensor of one repeated integer/float value in the element type the input declares. */
export function filledTensor(type: string | undefined, value: number, dims: readonly number[]) {
  const size = dims.reduce((a, b) => a * b, 1);
  if (type === 'int64')
    return new ort.Tensor('int64', new BigInt64Array(size).fill(BigInt(value)), dims);
  if (type === 'int32') return new ort.Tensor('int32', new Int32Array(size).fill(value), dims);
  return new ort.Tensor('float32', new Float32Array(size).fill(value), dims);
}
