import { describe, expect, it } from 'vitest';
import { encodeNpy, parseNpy, parseNpyUint8 } from '../../graph-nodes/math/npy';

describe('uint8 .npy files', () => {
  it('round-trips bytes with the |u1 dtype NumPy writes', () => {
    const data = Uint8Array.from([0, 1, 127, 128, 254, 255]);
    const bytes = encodeNpy(data, [2, 3]);
    const header = new TextDecoder('latin1').decode(bytes.subarray(10, bytes.length - 6));
    expect(header).toContain("'descr': '|u1'");
    expect(header).toContain("'shape': (2, 3)");
    expect(bytes.length % 64).toBe(6); // data aligned to 64 bytes, one byte per value
    const parsed = parseNpyUint8(bytes, 'img.npy');
    expect(parsed.shape).toEqual([2, 3]);
    expect([...parsed.data]).toEqual([...data]);
  });

  it('returns a copy, not a view of the file bytes', () => {
    const bytes = encodeNpy(Uint8Array.from([7, 8]), [2]);
    const parsed = parseNpyUint8(bytes);
    bytes[bytes.length - 1] = 0;
    expect([...parsed.data]).toEqual([7, 8]);
  });

  it('refuses other dtypes and short files, naming the file', () => {
    expect(() => parseNpyUint8(encodeNpy(new Float32Array(2), [2]), 'f.npy')).toThrow(
      /^f\.npy: expected unsigned bytes \(dtype '\|u1'\) but found '<f4'/,
    );
    const full = encodeNpy(new Uint8Array(10), [10]);
    expect(() => parseNpyUint8(full.subarray(0, full.length - 1), 'cut.npy')).toThrow(
      /^cut\.npy: the file is truncated/,
    );
  });

  it('leaves parseNpy (point clouds) refusing bytes', () => {
    expect(() => parseNpy(encodeNpy(new Uint8Array(4), [2, 2]), 'b.npy')).toThrow(
      /^b\.npy: unsupported dtype '\|u1'/,
    );
  });
});
