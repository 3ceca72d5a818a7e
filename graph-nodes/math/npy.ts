// Reading and writing NumPy's .npy format (numpy.lib.format), the common currency for point
// clouds: reference data, k-diffusion outputs, user data sets. Only what those need:
// little-endian float32 / float64 / int32 (and int64 narrowed to int32), C order; unsigned bytes
// (uint8 images) through their own reader, parseNpyUint8. Everything else is refused with a
// message that names the file.

export type NpyDtype = 'float32' | 'float64' | 'int32';
export type NpyData = Float32Array | Float64Array | Int32Array;

export interface NpyArray {
  readonly dtype: NpyDtype;
  readonly shape: number[];
  readonly data: NpyData;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
const PREAMBLE_BYTES = 10; // magic (6) + version (2) + header length (2) in format 1.0
const DATA_ALIGNMENT = 64;

/** How each descr we accept is stored, and what it becomes. */
const SUPPORTED_DESCRS: Readonly<Record<string, { itemBytes: number; dtype: NpyDtype }>> = {
  '<f4': { itemBytes: 4, dtype: 'float32' },
  '<f8': { itemBytes: 8, dtype: 'float64' },
  '<i4': { itemBytes: 4, dtype: 'int32' },
  '<i8': { itemBytes: 8, dtype: 'int32' },
};

const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Parses a whole .npy file. `name` (usually the path) is used in error messages. */
export function parseNpy(bytes: Uint8Array, name = 'array'): NpyArray {
  const { header, dataStart, view } = readHeader(bytes, name);

  const layout = SUPPORTED_DESCRS[header.descr];
  if (!layout) throw npyError(name, describeUnsupportedDescr(header.descr));
  const { itemBytes, dtype } = layout;
  const count = checkDataFits(header, itemBytes, bytes.length - dataStart, name);

  const data =
    header.descr === '<i8'
      ? narrowInt64(view, dataStart, count, name)
      : readLittleEndian(bytes, dataStart, count, dtype);
  return { dtype, shape: header.shape, data };
}

/**
 * Parses a .npy file of unsigned bytes (dtype '|u1'), such as 8-bit images. Kept apart from
 * parseNpy so that point-cloud readers never receive bytes they would take for coordinates.
 */
export function parseNpyUint8(
  bytes: Uint8Array,
  name = 'array',
): { readonly shape: number[]; readonly data: Uint8Array } {
  const { header, dataStart } = readHeader(bytes, name);
  if (header.descr !== '|u1' && header.descr !== '<u1') {
    throw npyError(name, `expected unsigned bytes (dtype '|u1') but found '${header.descr}'`);
  }
  const count = checkDataFits(header, 1, bytes.length - dataStart, name);
  // A copy: on a Node Buffer slice() is a view, which would alias the caller's buffer.
  return {
    shape: header.shape,
    data: new Uint8Array(bytes.subarray(dataStart, dataStart + count)),
  };
}

/** What a .npy file declares in its header (dtype descr such as '<f4', shape, order), unchecked. */
export function readNpyHeader(bytes: Uint8Array, name = 'array'): NpyHeader {
  return readHeader(bytes, name).header;
}

/** Reads the preamble and the header dict; the data starts at `dataStart`. */
function readHeader(
  bytes: Uint8Array,
  name: string,
): { header: NpyHeader; dataStart: number; view: DataView } {
  if (bytes.length < PREAMBLE_BYTES || MAGIC.some((byte, i) => bytes[i] !== byte)) {
    throw npyError(name, 'not a .npy file (it does not start with the "\\x93NUMPY" magic string)');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = view.getUint8(6);
  const minor = view.getUint8(7);
  let headerStart: number;
  let headerLength: number;
  if (major === 1) {
    headerStart = PREAMBLE_BYTES;
    headerLength = view.getUint16(8, true);
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw npyError(name, 'the file is truncated inside its header');
    headerStart = 12;
    headerLength = view.getUint32(8, true);
  } else {
    throw npyError(
      name,
      `unsupported .npy format version ${major}.${minor} (supported: 1.0, 2.0, 3.0)`,
    );
  }
  const dataStart = headerStart + headerLength;
  if (dataStart > bytes.length) throw npyError(name, 'the file is truncated inside its header');

  // Format 3.0 only differs from 2.0 by allowing UTF-8 in the header (field names we never read).
  const headerText = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(
    bytes.subarray(headerStart, dataStart),
  );
  return { header: parseHeader(headerText, name), dataStart, view };
}

/** Refuses Fortran order and short files; returns the number of items. */
function checkDataFits(
  header: NpyHeader,
  itemBytes: number,
  available: number,
  name: string,
): number {
  if (header.fortranOrder) {
    throw npyError(
      name,
      'Fortran-order arrays are not supported; save it in C order (np.ascontiguousarray)',
    );
  }

  const count = header.shape.reduce((product, size) => product * size, 1);
  const dataBytes = count * itemBytes;
  if (available < dataBytes) {
    throw npyError(
      name,
      `the file is truncated: shape (${header.shape.join(', ')}) of ${header.descr} needs ` +
        `${dataBytes} data bytes but only ${available} are present`,
    );
  }
  return count;
}

/**
 * Encodes `data` as a version 1.0 .npy file with the given C-order shape. The dtype follows the
 * array type. The header is padded so that the data starts at a multiple of 64 bytes, as NumPy
 * does, which lets readers map the data in place.
 */
export function encodeNpy(data: NpyData | Uint8Array, shape: readonly number[]): Uint8Array {
  for (const size of shape) {
    if (!Number.isInteger(size) || size < 0) {
      throw new Error(
        `encodeNpy: shape (${shape.join(', ')}) has a size that is not a whole number ≥ 0`,
      );
    }
  }
  const count = shape.reduce((product, size) => product * size, 1);
  if (count !== data.length) {
    throw new Error(
      `encodeNpy: shape (${shape.join(', ')}) holds ${count} values but the data has ${data.length}`,
    );
  }

  const descr =
    data instanceof Uint8Array
      ? '|u1'
      : data instanceof Float32Array
        ? '<f4'
        : data instanceof Float64Array
          ? '<f8'
          : '<i4';
  // A 1-tuple needs its trailing comma in Python syntax: (5,).
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const unpadded = PREAMBLE_BYTES + dict.length + 1; // + the final newline
  const padding = (DATA_ALIGNMENT - (unpadded % DATA_ALIGNMENT)) % DATA_ALIGNMENT;
  const headerText = dict + ' '.repeat(padding) + '\n';
  if (headerText.length > 0xffff) {
    throw new Error('encodeNpy: the header is too long for format 1.0 (too many dimensions)');
  }

  const headerStart = PREAMBLE_BYTES;
  const dataStart = headerStart + headerText.length;
  const out = new Uint8Array(dataStart + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  const view = new DataView(out.buffer);
  view.setUint16(8, headerText.length, true);
  for (let i = 0; i < headerText.length; i++) out[headerStart + i] = headerText.charCodeAt(i);
  writeLittleEndian(view, dataStart, data);
  return out;
}

export interface NpyHeader {
  readonly descr: string;
  readonly fortranOrder: boolean;
  readonly shape: number[];
}

/**
 * Reads the three keys of the header, a Python dict literal such as
 * `{'descr': '<f8', 'fortran_order': False, 'shape': (256, 2), }`.
 */
function parseHeader(text: string, name: string): NpyHeader {
  // A structured dtype has a list as its descr; it does not match and is reported as such.
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(text)?.[1];
  if (descr === undefined) {
    if (/['"]descr['"]\s*:\s*\[/.test(text)) {
      throw npyError(
        name,
        'structured (record) arrays are not supported; save a plain numeric array',
      );
    }
    throw npyError(name, `the header has no readable 'descr' entry: ${text.trim()}`);
  }
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text)?.[1];
  if (fortran === undefined)
    throw npyError(name, `the header has no readable 'fortran_order' entry: ${text.trim()}`);
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (shapeText === undefined)
    throw npyError(name, `the header has no readable 'shape' entry: ${text.trim()}`);

  const shape = shapeText
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    // Python 2 wrote long integers with an "L" suffix: (256L, 2L).
    .map((part) => {
      const digits = part.replace(/L$/, '');
      if (!/^\d+$/.test(digits))
        throw npyError(name, `the shape (${shapeText}) is not a tuple of whole numbers`);
      return Number(digits);
    });
  return { descr, fortranOrder: fortran === 'True', shape };
}

function describeUnsupportedDescr(descr: string): string {
  const supported = 'supported: float32 <f4, float64 <f8, int32 <i4, int64 <i8';
  if (descr.startsWith('>')) {
    return `big-endian arrays (dtype '${descr}') are not supported; save with .astype('<${descr.slice(1)}') (${supported})`;
  }
  return `unsupported dtype '${descr}' (${supported})`;
}

/**
 * Copies the data into a fresh buffer: the file's bytes may sit at an offset that is not a multiple
 * of the item size (typed arrays cannot view those), and the result must not alias a buffer the
 * caller may reuse.
 */
function readLittleEndian(
  bytes: Uint8Array,
  dataStart: number,
  count: number,
  dtype: NpyDtype,
): NpyData {
  const Constructor =
    dtype === 'float32' ? Float32Array : dtype === 'float64' ? Float64Array : Int32Array;
  const byteLength = count * Constructor.BYTES_PER_ELEMENT;
  if (HOST_IS_LITTLE_ENDIAN) {
    // Not bytes.slice(): on a Node Buffer (what readFile gives) slice() is a view, not a copy.
    const copy = new Uint8Array(byteLength);
    copy.set(bytes.subarray(dataStart, dataStart + byteLength));
    return new Constructor(copy.buffer, 0, count);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + dataStart, byteLength);
  const out = new Constructor(count);
  for (let i = 0; i < count; i++) {
    out[i] =
      dtype === 'float32'
        ? view.getFloat32(4 * i, true)
        : dtype === 'float64'
          ? view.getFloat64(8 * i, true)
          : view.getInt32(4 * i, true);
  }
  return out;
}

/** int64 values are narrowed to int32 (JavaScript has no int64 typed array tensors use). */
function narrowInt64(view: DataView, dataStart: number, count: number, name: string): Int32Array {
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const low = view.getInt32(dataStart + 8 * i, true);
    const high = view.getInt32(dataStart + 8 * i + 4, true);
    // It fits in int32 exactly when the high word is the sign extension of the low word.
    if (high !== (low < 0 ? -1 : 0)) {
      const value = view.getBigInt64(dataStart + 8 * i, true);
      throw npyError(name, `int64 value ${value} at flat index ${i} does not fit in int32`);
    }
    out[i] = low;
  }
  return out;
}

function writeLittleEndian(view: DataView, offset: number, data: NpyData | Uint8Array): void {
  if (HOST_IS_LITTLE_ENDIAN || data instanceof Uint8Array) {
    new Uint8Array(view.buffer, offset, data.byteLength).set(
      new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    );
    return;
  }
  const itemBytes = data.BYTES_PER_ELEMENT;
  for (let i = 0; i < data.length; i++) {
    const value = data[i]!;
    const at = offset + itemBytes * i;
    if (data instanceof Float32Array) view.setFloat32(at, value, true);
    else if (data instanceof Float64Array) view.setFloat64(at, value, true);
    else view.setInt32(at, value, true);
  }
}

/** Errors name the file first, so the user knows which one to fix. */
function npyError(name: string, what: string): Error {
  return new Error(`${name}: ${what}`);
}
