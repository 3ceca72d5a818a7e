// Builds an ONNX ModelProto (onnx/onnx.proto3, IR version 8, default-domain opset 17) from named
// nodes, float32 initialisers and typed inputs/outputs (float32, float16, int64 or int32; any
// rank, scalars included). Field numbers are the ones onnx.proto assigns; only what a small
// feed-forward model needs is written.
import { ProtoMessage } from './protobuf';

const IR_VERSION = 8;
const OPSET = 17;
const ELEMENT_FLOAT = 1;
const ELEMENT_INT32 = 6;
const ELEMENT_INT64 = 7;
const ELEMENT_FLOAT16 = 10;
const ATTRIBUTE_FLOAT = 1;
const ATTRIBUTE_INT = 2;

/** A dimension: a fixed size, or a symbolic name such as "batch". */
export type Dimension = number | string;

export type OnnxElementType = 'float32' | 'float16' | 'int64' | 'int32';

const ELEMENT_CODES: Readonly<Record<OnnxElementType, number>> = {
  float32: ELEMENT_FLOAT,
  float16: ELEMENT_FLOAT16,
  int64: ELEMENT_INT64,
  int32: ELEMENT_INT32,
};

/** The TensorProto.DataType number of an element type (for Cast's `to`). */
export function elementTypeCode(type: OnnxElementType): number {
  return ELEMENT_CODES[type];
}

export interface OnnxValueInfo {
  readonly name: string;
  /** [] declares a scalar; absent, the shape is not declared. */
  readonly shape?: readonly Dimension[];
  /** float32 when absent. */
  readonly elementType?: OnnxElementType;
}

type Attribute = { readonly kind: 'int' | 'float'; readonly value: number };

export class OnnxGraphBuilder {
  private readonly nodes: ProtoMessage[] = [];
  private readonly initializers: ProtoMessage[] = [];
  private nextName = 0;

  constructor(private readonly graphName: string) {}

  /** A fresh value name with a readable prefix. */
  fresh(prefix: string): string {
    return `${prefix}_${this.nextName++}`;
  }

  /** Adds a node and returns the name of its (single) output. */
  op(
    opType: string,
    inputs: readonly string[],
    attributes: Readonly<Record<string, Attribute>> = {},
    output = this.fresh(opType.toLowerCase()),
  ): string {
    const node = new ProtoMessage();
    for (const input of inputs) node.string(1, input);
    node.string(2, output);
    node.string(3, output);
    node.string(4, opType);
    for (const [name, attribute] of Object.entries(attributes)) {
      const proto = new ProtoMessage().string(1, name);
      if (attribute.kind === 'float') proto.float(2, attribute.value).int(20, ATTRIBUTE_FLOAT);
      else proto.int(3, attribute.value).int(20, ATTRIBUTE_INT);
      node.message(5, proto);
    }
    this.nodes.push(node);
    return output;
  }

  /** A float32 constant tensor; returns its name. */
  constant(prefix: string, values: ArrayLike<number>, dims: readonly number[]): string {
    const name = this.fresh(prefix);
    const raw = new Uint8Array(values.length * 4);
    const view = new DataView(raw.buffer);
    for (let k = 0; k < values.length; k++) view.setFloat32(k * 4, values[k]!, true);
    this.initializers.push(tensorProto(name, dims, ELEMENT_FLOAT, raw));
    return name;
  }

  /** An int64 constant tensor (shapes for Reshape); returns its name. */
  int64Constant(prefix: string, values: readonly number[]): string {
    const name = this.fresh(prefix);
    const raw = new Uint8Array(values.length * 8);
    const view = new DataView(raw.buffer);
    values.forEach((v, k) => view.setBigInt64(k * 8, BigInt(v), true));
    this.initializers.push(tensorProto(name, [values.length], ELEMENT_INT64, raw));
    return name;
  }

  toModel(
    inputs: readonly OnnxValueInfo[],
    outputs: readonly OnnxValueInfo[],
    metadata: Readonly<Record<string, string>> = {},
  ): Uint8Array {
    const graph = new ProtoMessage();
    this.nodes.forEach((node) => graph.message(1, node));
    graph.string(2, this.graphName);
    this.initializers.forEach((tensor) => graph.message(5, tensor));
    inputs.forEach((info) => graph.message(11, valueInfo(info)));
    outputs.forEach((info) => graph.message(12, valueInfo(info)));
    const model = new ProtoMessage()
      .int(1, IR_VERSION)
      .string(2, 'principia')
      .message(7, graph)
      .message(8, new ProtoMessage().string(1, '').int(2, OPSET));
    for (const [key, value] of Object.entries(metadata)) {
      model.message(14, new ProtoMessage().string(1, key).string(2, value));
    }
    return model.toBytes();
  }
}

export const intAttribute = (value: number): Attribute => ({ kind: 'int', value });
export const floatAttribute = (value: number): Attribute => ({ kind: 'float', value });

function tensorProto(
  name: string,
  dims: readonly number[],
  elementType: number,
  raw: Uint8Array,
): ProtoMessage {
  const tensor = new ProtoMessage();
  dims.forEach((d) => tensor.int(1, d));
  return tensor.int(2, elementType).string(8, name).bytes(9, raw);
}

function valueInfo({ name, shape, elementType }: OnnxValueInfo): ProtoMessage {
  const tensorType = new ProtoMessage().int(1, ELEMENT_CODES[elementType ?? 'float32']);
  if (shape) {
    const dims = new ProtoMessage();
    for (const d of shape) {
      dims.message(
        1,
        typeof d === 'number' ? new ProtoMessage().int(1, d) : new ProtoMessage().string(2, d),
      );
    }
    tensorType.message(2, dims);
  }
  return new ProtoMessage().string(1, name).message(2, new ProtoMessage().message(1, tensorType));
}
