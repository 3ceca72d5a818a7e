// Reading an ONNX file's protobuf (what model-info.ts needs) with protobufjs's `Reader`, from its
// minimal runtime (no generated code, so nothing the Content-Security-Policy forbids). Writing is
// protobufjs's `Writer` (onnx-graph.ts).
import protobuf from 'protobufjs/minimal.js';

// A CommonJS module: Node's ESM loader sees only its default export.
const { Reader, util } = protobuf;

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;

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

/** protobufjs's reading errors as a ProtoError (a RangeError: the message ends too early). */
function checked<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof RangeError) throw new ProtoError(`it ends early (${error.message})`);
    throw new ProtoError(error instanceof Error ? error.message : String(error));
  }
}

/**
 * The fields of a message in wire order. Unknown fields are skipped by their wire type, so a
 * reader picks out the fields it knows and never looks inside the rest; length-delimited values
 * are views, not copies (an initializer's bytes are never copied). Varints are read as signed
 * 64-bit integers (ONNX writes -1 dims as ten bytes). A truncated or malformed message throws a
 * ProtoError instead of reading past its end.
 */
export function* readFields(message: Uint8Array): Generator<ProtoField> {
  const reader = new Reader(message);
  while (reader.pos < reader.len) {
    const key = checked(() => reader.uint32());
    const field = key >>> 3;
    const wire = key & 7;
    if (field < 1) throw new ProtoError(`field number ${field}`);
    switch (wire) {
      case WIRE_VARINT: {
        const value = checked(() => reader.int64());
        yield { field, wire: 'varint', value: util.LongBits.from(value).toNumber() };
        break;
      }
      case WIRE_LENGTH_DELIMITED:
        yield { field, wire: 'bytes', bytes: checked(() => reader.bytes()) };
        break;
      case WIRE_FIXED32:
      case WIRE_FIXED64:
        checked(() => reader.skipType(wire));
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
