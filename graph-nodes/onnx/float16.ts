// IEEE 754 half precision (binary16) ↔ float32, for models whose inputs and outputs are float16.
// onnxruntime-web takes and gives 'float16' tensor data as the raw 16-bit patterns (a Uint16Array;
// a Float16Array view of the same bits where the platform has one), so the engine converts here
// and the rest of it only ever sees float32.

const scratch = new Float32Array(1);
const scratchBits = new Uint32Array(scratch.buffer);

/** The binary16 bits nearest to `value` (round to nearest, ties to even; overflow gives ±∞). */
export function float16Bits(value: number): number {
  scratch[0] = value;
  const bits = scratchBits[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0); // ∞ or NaN (quiet)
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7c00;
  if (halfExponent <= 0) {
    // Subnormal half (or zero): value = m · 2⁻²⁴ with m < 1024.
    if (halfExponent < -10) return sign;
    const full = mantissa | 0x800000;
    const shift = 14 - halfExponent;
    let half = full >>> shift;
    const rest = full & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rest > halfway || (rest === halfway && half & 1)) half++;
    return sign | half;
  }
  let half = (halfExponent << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  // A carry out of the mantissa bumps the exponent, which is the right answer (up to ∞).
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half++;
  return sign | half;
}

let decodeTable: Float32Array | undefined;

/** Every binary16 pattern's value, built once (256 KiB). */
function table(): Float32Array {
  if (decodeTable) return decodeTable;
  decodeTable = new Float32Array(0x10000);
  for (let bits = 0; bits < 0x10000; bits++) {
    const sign = bits & 0x8000 ? -1 : 1;
    const exponent = (bits >>> 10) & 0x1f;
    const mantissa = bits & 0x3ff;
    decodeTable[bits] =
      exponent === 0
        ? sign * mantissa * 2 ** -24
        : exponent === 0x1f
          ? mantissa
            ? NaN
            : sign * Infinity
          : sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
  }
  return decodeTable;
}

/** The value of binary16 bits. */
export function float16Value(bits: number): number {
  return table()[bits & 0xffff]!;
}

export function toFloat16Bits(values: ArrayLike<number>): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let k = 0; k < values.length; k++) out[k] = float16Bits(values[k]!);
  return out;
}

export function fromFloat16Bits(bits: Uint16Array, out = new Float32Array(bits.length)) {
  const values = table();
  for (let k = 0; k < bits.length; k++) out[k] = values[bits[k]!]!;
  return out;
}

/**
 * The 16-bit patterns of a 'float16' tensor's data, whichever array onnxruntime gave: a
 * Uint16Array of bits, or a Float16Array (same bytes) where the platform has one.
 */
export function float16DataBits(data: unknown): Uint16Array {
  if (data instanceof Uint16Array) return data;
  if (
    ArrayBuffer.isView(data) &&
    (data as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT === 2
  ) {
    return new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2);
  }
  throw new Error('float16 tensor data is neither a Uint16Array nor a Float16Array');
}
