// Builds an ONNX ModelProto (onnx/onnx.proto3, IR version 8, default-domain opset 17) from named
// nodes, float32 initialisers and typed inputs/outputs (float32, float16, int64 or int32; any
// rank, scalars included). Field numbers are the ones onnx.proto assigns; only what a small
// feed-forward model needs is written. The wire format is protobufjs's `Writer` (its minimal
// runtime, what `pbjs --target static-module` code calls): schema-driven protobufjs generates its
// encoders with `Function`, which the app's Content-Security-Policy (no 'unsafe-eval') forbids.
import protobuf from 'protobufjs/minimal.js';

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

// Protobuf wire types, and a field's key as generated static code writes it: number · 8 + wire.
const VARINT = 0;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;
const key = (field: number, wire: number): number => field * 8 + wire;

// A CommonJS module: Node's ESM loader sees only its default export.
const { Writer } = protobuf;
type Writer = protobuf.Writer;

/** One message's bytes, written by `encode`. */
function message(encode: (writer: Writer) => void): Uint8Array {
  const writer = new Writer();
  encode(writer);
  return writer.finish();
}

const int64 = (w: Writer, field: number, value: number) =>
  w.uint32(key(field, VARINT)).int64(value);
const string = (w: Writer, field: number, value: string) =>
  w.uint32(key(field, LENGTH_DELIMITED)).string(value);
const bytes = (w: Writer, field: number, value: Uint8Array) =>
  w.uint32(key(field, LENGTH_DELIMITED)).bytes(value);

export class OnnxGraphBuilder {
  private readonly nodes: Uint8Array[] = [];
  private readonly initializers: Uint8Array[] = [];
  private nextName = 0;

  constructor(private readonly graphName: string) {}

  /** A fresh value name with a readable prefix. */
  fresh(prefix: string): string {
    return `${prefix}_${this.nextName++}`;
  }

  /** Adds a node (NodeProto) and returns the name of its (single) output. */
  op(
    opType: string,
    inputs: readonly string[],
    attributes: Readonly<Record<string, Attribute>> = {},
    output = this.fresh(opType.toLowerCase()),
  ): string {
    const node = message((w) => {
      for (const input of inputs) string(w, 1, input);
      string(w, 2, output);
      string(w, 3, output);
      string(w, 4, opType);
      for (const [name, attribute] of Object.entries(attributes)) {
        // AttributeProto: name, f or i, then its type.
        const proto = message((a) => {
          string(a, 1, name);
          if (attribute.kind === 'float') {
            a.uint32(key(2, FIXED32)).float(attribute.value);
            int64(a, 20, ATTRIBUTE_FLOAT);
          } else {
            int64(a, 3, attribute.value);
            int64(a, 20, ATTRIBUTE_INT);
          }
        });
        bytes(w, 5, proto);
      }
    });
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

  /** The ModelProto's bytes. */
  toModel(
    inputs: readonly OnnxValueInfo[],
    outputs: readonly OnnxValueInfo[],
    metadata: Readonly<Record<string, string>> = {},
  ): Uint8Array {
    const graph = message((w) => {
      this.nodes.forEach((node) => bytes(w, 1, node));
      string(w, 2, this.graphName);
      this.initializers.forEach((tensor) => bytes(w, 5, tensor));
      inputs.forEach((info) => bytes(w, 11, valueInfo(info)));
      outputs.forEach((info) => bytes(w, 12, valueInfo(info)));
    });
    return message((w) => {
      int64(w, 1, IR_VERSION);
      string(w, 2, 'principia');
      bytes(w, 7, graph);
      // OperatorSetIdProto: the default domain "" at OPSET.
      bytes(
        w,
        8,
        message((o) => {
          string(o, 1, '');
          int64(o, 2, OPSET);
        }),
      );
      for (const [name, value] of Object.entries(metadata)) {
        bytes(
          w,
          14,
          message((entry) => {
            string(entry, 1, name);
            string(entry, 2, value);
          }),
        );
      }
    });
  }
}

export const intAttribute = (value: number): Attribute => ({ kind: 'int', value });
export const floatAttribute = (value: number): Attribute => ({ kind: 'float', value });

/** TensorProto: dims, data_type, name, raw_data (little-endian values). */
function tensorProto(
  name: string,
  dims: readonly number[],
  elementType: number,
  raw: Uint8Array,
): Uint8Array {
  return message((w) => {
    dims.forEach((d) => int64(w, 1, d));
    int64(w, 2, elementType);
    string(w, 8, name);
    bytes(w, 9, raw);
  });
}

/** ValueInfoProto: name, then TypeProto { tensor_type { elem_type, shape { dim … } } }. */
function valueInfo({ name, shape, elementType }: OnnxValueInfo): Uint8Array {
  const tensorType = message((t) => {
    int64(t, 1, ELEMENT_CODES[elementType ?? 'float32']);
    if (shape) {
      const dims = message((s) => {
        for (const d of shape) {
          // Dimension: dim_value (a size) or dim_param (a name).
          bytes(
            s,
            1,
            message((dim) => (typeof d === 'number' ? int64(dim, 1, d) : string(dim, 2, d))),
          );
        }
      });
      bytes(t, 2, dims);
    }
  });
  return message((w) => {
    string(w, 1, name);
    bytes(
      w,
      2,
      message((type) => bytes(type, 1, tensorType)),
    );
  });
}
