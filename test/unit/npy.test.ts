import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeNpy, parseNpy, type NpyData } from '../../graph-nodes/math/npy';

import { REFERENCE_DIR } from './helpers/reference';

/** Builds a .npy file by hand, so tests can write headers that encodeNpy never produces. */
function buildNpy(options: {
  header: string;
  data?: Uint8Array;
  version?: 1 | 2 | 3 | 4;
  magic?: number[];
}): Uint8Array {
  const { header, data = new Uint8Array(0), version = 1 } = options;
  const magic = options.magic ?? [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  const headerBytes = new TextEncoder().encode(header + '\n');
  const lengthBytes = version === 1 ? 2 : 4;
  const out = new Uint8Array(8 + lengthBytes + headerBytes.length + data.length);
  out.set(magic, 0);
  out[6] = version;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (lengthBytes === 2) view.setUint16(8, headerBytes.length, true);
  else view.setUint32(8, headerBytes.length, true);
  out.set(headerBytes, 8 + lengthBytes);
  out.set(data, 8 + lengthBytes + headerBytes.length);
  return out;
}

function bytesOf(array: NpyData): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

function int64Bytes(values: bigint[]): Uint8Array {
  const out = new Uint8Array(8 * values.length);
  const view = new DataView(out.buffer);
  values.forEach((value, i) => view.setBigInt64(8 * i, value, true));
  return out;
}

describe('parseNpy on real NumPy files', () => {
  it('reads x_T.npy (float64, [256, 2]) with its exact values', () => {
    const array = parseNpy(readFileSync(`${REFERENCE_DIR}/x_T.npy`), 'x_T.npy');
    expect(array.dtype).toBe('float64');
    expect(array.shape).toEqual([256, 2]);
    expect(array.data).toBeInstanceOf(Float64Array);
    expect(array.data.length).toBe(512);
    expect(array.data[0]).toBe(-128.30694443170412);
    expect(array.data[1]).toBe(5.127993120301129);
    expect(array.data[511]).toBe(165.695417615152);
  });

  it('reads sigmas_10.npy (float64, [11]) from 80 down to 0', () => {
    const array = parseNpy(readFileSync(`${REFERENCE_DIR}/sigmas_10.npy`), 'sigmas_10.npy');
    expect(array.dtype).toBe('float64');
    expect(array.shape).toEqual([11]);
    expect(array.data[0]).toBe(80);
    expect(array.data[9]).toBeCloseTo(0.002, 12);
    expect(array.data[10]).toBe(0);
  });
});

describe('encodeNpy / parseNpy round trip', () => {
  const shapes = [[], [5], [3, 2], [2, 3, 4]];
  const makers: [string, (n: number) => NpyData][] = [
    ['float32', (n) => Float32Array.from({ length: n }, (_, i) => i * 0.25 - 1.5)],
    ['float64', (n) => Float64Array.from({ length: n }, (_, i) => Math.PI * (i - 2) + 1e-300)],
    ['int32', (n) => Int32Array.from({ length: n }, (_, i) => (i % 2 ? -1 : 1) * i * 123_456_789)],
  ];
  for (const [dtype, make] of makers) {
    for (const shape of shapes) {
      it(`${dtype} with shape [${shape.join(', ')}]`, () => {
        const count = shape.reduce((a, b) => a * b, 1);
        const data = make(count);
        const bytes = encodeNpy(data, shape);
        const parsed = parseNpy(bytes);
        expect(parsed.dtype).toBe(dtype);
        expect(parsed.shape).toEqual(shape);
        expect(parsed.data.constructor).toBe(data.constructor);
        expect(Array.from(parsed.data)).toEqual(Array.from(data));
      });
    }
  }

  it('writes a version 1.0 header padded with spaces to a 64-byte boundary, ending in a newline', () => {
    const bytes = encodeNpy(new Float32Array(6), [3, 2]);
    expect(bytes[6]).toBe(1);
    expect(bytes[7]).toBe(0);
    const headerLength = new DataView(bytes.buffer).getUint16(8, true);
    const dataStart = 10 + headerLength;
    expect(dataStart % 64).toBe(0);
    expect(bytes.length).toBe(dataStart + 6 * 4);
    const header = new TextDecoder().decode(bytes.subarray(10, dataStart));
    expect(header).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(3, 2\), \} *\n$/);
  });

  it('writes a 1-D shape as a Python 1-tuple and a scalar as ()', () => {
    const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes.subarray(0, 64));
    expect(text(encodeNpy(new Float64Array(5), [5]))).toContain("'shape': (5,)");
    expect(text(encodeNpy(new Int32Array(1), []))).toContain("'shape': ()");
  });

  it('refuses data that does not match the shape', () => {
    expect(() => encodeNpy(new Float32Array(5), [3, 2])).toThrow(
      /holds 6 values but the data has 5/,
    );
    expect(() => encodeNpy(new Float32Array(0), [-1])).toThrow(/whole number/);
  });
});

describe('parseNpy header variants', () => {
  const twoFloats = bytesOf(new Float32Array([1.5, -2.5]));

  it('reads format 2.0 and 3.0 headers (4-byte header length)', () => {
    for (const version of [2, 3] as const) {
      const bytes = buildNpy({
        version,
        header: "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }",
        data: twoFloats,
      });
      const parsed = parseNpy(bytes);
      expect(parsed.shape).toEqual([2]);
      expect(Array.from(parsed.data)).toEqual([1.5, -2.5]);
    }
  });

  it('reads Python 2 long-integer shapes such as (2L,)', () => {
    const bytes = buildNpy({
      header: "{'descr': '<f4', 'fortran_order': False, 'shape': (2L,), }",
      data: twoFloats,
    });
    expect(parseNpy(bytes).shape).toEqual([2]);
  });

  it('reads data that starts at an unaligned byte offset', () => {
    // An odd header length puts the float64 data at an odd offset.
    const bytes = buildNpy({
      header: "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), } ",
      data: bytesOf(new Float64Array([0.1, 0.2, 0.3])),
    });
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    const parsed = parseNpy(shifted.subarray(3));
    expect(Array.from(parsed.data)).toEqual([0.1, 0.2, 0.3]);
  });

  it('returns data that does not alias the input bytes', () => {
    const bytes = encodeNpy(new Float32Array([1, 2]), [2]);
    const parsed = parseNpy(bytes);
    bytes.fill(0);
    expect(Array.from(parsed.data)).toEqual([1, 2]);
  });

  it('narrows <i8 to int32 when every value fits', () => {
    const bytes = buildNpy({
      header: "{'descr': '<i8', 'fortran_order': False, 'shape': (2, 2), }",
      data: int64Bytes([0n, -1n, 2147483647n, -2147483648n]),
    });
    const parsed = parseNpy(bytes);
    expect(parsed.dtype).toBe('int32');
    expect(parsed.data).toBeInstanceOf(Int32Array);
    expect(parsed.shape).toEqual([2, 2]);
    expect(Array.from(parsed.data)).toEqual([0, -1, 2147483647, -2147483648]);
  });
});

describe('parseNpy errors name the file and the problem', () => {
  const header = (descr: string, extra = "'fortran_order': False, 'shape': (2,)") =>
    `{'descr': '${descr}', ${extra}, }`;

  it('bad magic', () => {
    const bytes = buildNpy({ header: header('<f4'), magic: [0x50, 0x4b, 3, 4, 0, 0] });
    expect(() => parseNpy(bytes, 'data/points.npy')).toThrow(
      /^data\/points\.npy: not a \.npy file/,
    );
    expect(() => parseNpy(new Uint8Array(3), 'tiny.npy')).toThrow(/^tiny\.npy: not a \.npy file/);
  });

  it('unsupported format version', () => {
    const bytes = buildNpy({ header: header('<f4'), version: 4 });
    expect(() => parseNpy(bytes, 'v4.npy')).toThrow(
      /^v4\.npy: unsupported \.npy format version 4\.0/,
    );
  });

  it('unsupported dtype', () => {
    const bytes = buildNpy({ header: header('|u1'), data: new Uint8Array(2) });
    expect(() => parseNpy(bytes, 'bytes.npy')).toThrow(/^bytes\.npy: unsupported dtype '\|u1'/);
  });

  it('big-endian data', () => {
    const bytes = buildNpy({ header: header('>f8'), data: new Uint8Array(16) });
    expect(() => parseNpy(bytes, 'be.npy')).toThrow(
      /^be\.npy: big-endian arrays .*astype\('<f8'\)/,
    );
  });

  it('structured arrays', () => {
    const bytes = buildNpy({
      header: "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }",
    });
    expect(() => parseNpy(bytes, 'rec.npy')).toThrow(/^rec\.npy: structured \(record\) arrays/);
  });

  it('Fortran order', () => {
    const bytes = buildNpy({
      header: header('<f4', "'fortran_order': True, 'shape': (2,)"),
      data: new Uint8Array(8),
    });
    expect(() => parseNpy(bytes, 'f.npy')).toThrow(
      /^f\.npy: Fortran-order arrays are not supported/,
    );
  });

  it('truncated data', () => {
    const full = encodeNpy(new Float64Array(6), [3, 2]);
    expect(() => parseNpy(full.subarray(0, full.length - 1), 'cut.npy')).toThrow(
      /^cut\.npy: the file is truncated: shape \(3, 2\) of <f8 needs 48 data bytes but only 47/,
    );
  });

  it('truncated header', () => {
    const full = encodeNpy(new Float64Array(6), [3, 2]);
    expect(() => parseNpy(full.subarray(0, 40), 'cut.npy')).toThrow(
      /^cut\.npy: the file is truncated inside its header/,
    );
  });

  it('a header without a shape', () => {
    const bytes = buildNpy({ header: "{'descr': '<f4', 'fortran_order': False, }" });
    expect(() => parseNpy(bytes, 'odd.npy')).toThrow(
      /^odd\.npy: the header has no readable 'shape'/,
    );
  });

  it('int64 values that do not fit in int32', () => {
    const bytes = buildNpy({
      header: header('<i8'),
      data: int64Bytes([1n, 2147483648n]),
    });
    expect(() => parseNpy(bytes, 'big.npy')).toThrow(
      /^big\.npy: int64 value 2147483648 at flat index 1 does not fit in int32/,
    );
  });

  it('uses "array" when no name is given', () => {
    expect(() => parseNpy(new Uint8Array(0))).toThrow(/^array: /);
  });
});
