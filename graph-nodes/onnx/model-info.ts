// What an ONNX file declares about its graph's inputs and outputs — names, element types, and
// dims (fixed sizes or symbolic names such as "batch") — read straight from the ModelProto
// (onnx/onnx.proto field numbers) without starting onnxruntime. The compiler's probe uses it to
// know a model's per-point shape before anything runs; the denoiser uses it because
// onnxruntime's own metadata cannot tell a scalar input ([]) from one whose shape is unknown.
import { decodeString, readFields } from './protobuf';

/** A dimension: a fixed size, or a symbolic name ("?" when the file gives it none). */
export type OnnxDim = number | string;

export interface OnnxTensorInfo {
  readonly name: string;
  /** onnxruntime's name of the element type ("float32", "float16", "int64", …), when known. */
  readonly type?: string;
  /** The declared dims, [] for a scalar; undefined when the model does not say. */
  readonly shape?: readonly OnnxDim[];
}

export interface OnnxModelInfo {
  /** The graph's inputs, without those that are initializers (weights) too. */
  readonly inputs: readonly OnnxTensorInfo[];
  readonly outputs: readonly OnnxTensorInfo[];
  /** metadata_props (key → value). */
  readonly metadata: Readonly<Record<string, string>>;
}

/** TensorProto.DataType → onnxruntime's type names. */
const ELEMENT_TYPES: Readonly<Record<number, string>> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
  14: 'complex64',
  15: 'complex128',
  16: 'bfloat16',
  17: 'float8e4m3fn',
  18: 'float8e4m3fnuz',
  19: 'float8e5m2',
  20: 'float8e5m2fnuz',
  21: 'uint4',
  22: 'int4',
  23: 'float4e2m1',
};

/** The name of an ONNX element type number ("float32" for 1); "type N" for one it does not know. */
export function elementTypeName(code: number): string {
  return ELEMENT_TYPES[code] ?? `type ${code}`;
}

// ModelProto, GraphProto, ValueInfoProto, TypeProto, TensorShapeProto field numbers.
const MODEL_GRAPH = 7;
const MODEL_METADATA = 14;
const GRAPH_INITIALIZER = 5;
const GRAPH_INPUT = 11;
const GRAPH_OUTPUT = 12;
const GRAPH_SPARSE_INITIALIZER = 15;
const TENSOR_NAME = 8;
const SPARSE_VALUES = 1;
const VALUE_NAME = 1;
const VALUE_TYPE = 2;
const TYPE_TENSOR = 1;
const TYPE_SPARSE_TENSOR = 8;
const TENSOR_TYPE_ELEMENT = 1;
const TENSOR_TYPE_SHAPE = 2;
const SHAPE_DIM = 1;
const DIM_VALUE = 1;
const DIM_PARAM = 2;

/** Reads a ModelProto's inputs, outputs and metadata; throws on a file that is not one. */
export function readModelInfo(bytes: Uint8Array): OnnxModelInfo {
  let graph: Uint8Array | undefined;
  const metadata: Record<string, string> = {};
  for (const field of readFields(bytes)) {
    if (field.field === MODEL_GRAPH && field.wire === 'bytes') graph = field.bytes;
    if (field.field === MODEL_METADATA && field.wire === 'bytes') {
      const entry = stringFields(field.bytes);
      const key = entry.get(1);
      if (key !== undefined && !Object.hasOwn(metadata, key)) {
        Object.defineProperty(metadata, key, {
          value: entry.get(2) ?? '',
          enumerable: true,
          writable: true,
        });
      }
    }
  }
  if (!graph) throw new Error('the file has no ONNX graph (is it an .onnx model?)');

  const inputs: OnnxTensorInfo[] = [];
  const outputs: OnnxTensorInfo[] = [];
  const initializers = new Set<string>();
  for (const field of readFields(graph)) {
    if (field.wire !== 'bytes') continue;
    if (field.field === GRAPH_INPUT) inputs.push(valueInfo(field.bytes));
    else if (field.field === GRAPH_OUTPUT) outputs.push(valueInfo(field.bytes));
    else if (field.field === GRAPH_INITIALIZER) {
      const name = stringFields(field.bytes, TENSOR_NAME).get(TENSOR_NAME);
      if (name !== undefined) initializers.add(name);
    } else if (field.field === GRAPH_SPARSE_INITIALIZER) {
      const values = bytesField(field.bytes, SPARSE_VALUES);
      const name = values && stringFields(values, TENSOR_NAME).get(TENSOR_NAME);
      if (name !== undefined) initializers.add(name);
    }
  }
  return {
    // Before IR version 4 every initializer was also listed as an input; those are weights.
    inputs: inputs.filter((input) => !initializers.has(input.name)),
    outputs,
    metadata,
  };
}

function valueInfo(bytes: Uint8Array): OnnxTensorInfo {
  let name = '';
  let type: Uint8Array | undefined;
  for (const field of readFields(bytes)) {
    if (field.wire !== 'bytes') continue;
    if (field.field === VALUE_NAME) name = decodeString(field.bytes);
    if (field.field === VALUE_TYPE) type = field.bytes;
  }
  const tensor = type && (bytesField(type, TYPE_TENSOR) ?? bytesField(type, TYPE_SPARSE_TENSOR));
  if (!tensor) return { name };
  let elementType: string | undefined;
  let shape: OnnxDim[] | undefined;
  for (const field of readFields(tensor)) {
    if (field.field === TENSOR_TYPE_ELEMENT && field.wire === 'varint') {
      elementType = field.value === 0 ? undefined : elementTypeName(field.value);
    }
    if (field.field === TENSOR_TYPE_SHAPE && field.wire === 'bytes') shape = dims(field.bytes);
  }
  return {
    name,
    ...(elementType !== undefined ? { type: elementType } : {}),
    ...(shape ? { shape } : {}),
  };
}

function dims(shape: Uint8Array): OnnxDim[] {
  const out: OnnxDim[] = [];
  for (const field of readFields(shape)) {
    if (field.field !== SHAPE_DIM || field.wire !== 'bytes') continue;
    let dim: OnnxDim = '?';
    for (const part of readFields(field.bytes)) {
      if (part.field === DIM_VALUE && part.wire === 'varint') dim = part.value;
      if (part.field === DIM_PARAM && part.wire === 'bytes') dim = decodeString(part.bytes) || '?';
    }
    out.push(dim);
  }
  return out;
}

/** The last value of each length-delimited field (or only of `only`), decoded as UTF-8. */
function stringFields(bytes: Uint8Array, only?: number): Map<number, string> {
  const out = new Map<number, string>();
  for (const field of readFields(bytes)) {
    if (field.wire === 'bytes' && (only === undefined || field.field === only)) {
      out.set(field.field, decodeString(field.bytes));
    }
  }
  return out;
}

function bytesField(bytes: Uint8Array, number: number): Uint8Array | undefined {
  let found: Uint8Array | undefined;
  for (const field of readFields(bytes)) {
    if (field.field === number && field.wire === 'bytes') found = field.bytes;
  }
  return found;
}
