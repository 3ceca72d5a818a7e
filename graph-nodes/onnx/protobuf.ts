// The few protobuf wire-format pieces an ONNX file needs (developers.google.com/protocol-buffers,
// "Encoding"): varints, length-delimited fields and fixed 32-bit floats. A message is built as a
// list of byte chunks and measured once when its parent embeds it.

const WIRE_VARINT = 0;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;

export class ProtoMessage {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;

  private push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.size += bytes.length;
  }

  private tag(field: number, wire: number): void {
    this.push(varint(field * 8 + wire));
  }

  /** int32, int64 and enum fields (non-negative values only: all this writer needs). */
  int(field: number, value: number): this {
    this.tag(field, WIRE_VARINT);
    this.push(varint(value));
    return this;
  }

  float(field: number, value: number): this {
    this.tag(field, WIRE_FIXED32);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    this.push(bytes);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.push(varint(value.length));
    this.push(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, value: ProtoMessage): this {
    return this.bytes(field, value.toBytes());
  }

  toBytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }
}

/** Base-128 varint of a non-negative integer below 2⁵³. */
export function varint(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new Error(`protobuf: cannot encode ${value} as an unsigned varint`);
  }
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Uint8Array.from(bytes);
}

// Reading: the fields of one message, in order. Unknown fields are skipped by their wire type, so
// a reader picks out the fields it knows and never looks inside the rest (an initializer's bytes
// are never copied). Every length is checked against the buffer: a truncated or malformed file
// throws a ProtoError instead of reading past its end.

const WIRE_FIXED64 = 1;

export class ProtoError extends Error {
  constructor(message: string) {
    super(`malformed protobuf: ${message}`);
    this.name = 'ProtoError';
  }
}

/** One field of a message: a varint (as a signed 64-bit value) or the bytes of a length field. */
export type ProtoField =
  | { readonly field: number; readonly wire: 'varint'; readonly value: number }
  | { readonly field: number; readonly wire: 'bytes'; readonly bytes: Uint8Array }
  | { readonly field: number; readonly wire: 'fixed' };

/** The fields of a message in wire order; length-delimited values are views, not copies. */
export function* readFields(message: Uint8Array): Generator<ProtoField> {
  let offset = 0;
  const readVarint = (): number => {
    // Seven bits per byte, at most ten bytes; beyond 49 bits the value is assembled as a BigInt
    // and read as a signed 64-bit integer (ONNX writes -1 dims that way).
    let value = 0;
    let big: bigint | undefined;
    for (let k = 0; k < 10; k++) {
      if (offset >= message.length) throw new ProtoError('a varint runs past the end');
      const byte = message[offset++]!;
      const bits = byte & 0x7f;
      if (k < 7) value += bits * 2 ** (7 * k);
      else big = (big ?? BigInt(value)) + (BigInt(bits) << BigInt(7 * k));
      if ((byte & 0x80) === 0) {
        return big === undefined ? value : Number(BigInt.asIntN(64, big));
      }
    }
    throw new ProtoError('a varint is longer than ten bytes');
  };
  const skip = (count: number) => {
    if (count > message.length - offset) throw new ProtoError('a field runs past the end');
    offset += count;
  };
  while (offset < message.length) {
    const key = readVarint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (field < 1) throw new ProtoError(`field number ${field}`);
    switch (wire) {
      case WIRE_VARINT:
        yield { field, wire: 'varint', value: readVarint() };
        break;
      case WIRE_LENGTH_DELIMITED: {
        const length = readVarint();
        if (length < 0) throw new ProtoError('a negative length');
        const start = offset;
        skip(length);
        yield { field, wire: 'bytes', bytes: message.subarray(start, offset) };
        break;
      }
      case WIRE_FIXED32:
        skip(4);
        yield { field, wire: 'fixed' };
        break;
      case WIRE_FIXED64:
        skip(8);
        yield { field, wire: 'fixed' };
        break;
      default:
        throw new ProtoError(`wire type ${wire} (field ${field})`);
    }
  }
}

export function decodeString(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}
