// A small animated-GIF (89a) writer: one fixed 256-colour palette (a 6×6×6 colour cube and 40
// grays), every frame full size, looping forever. Pixels are compressed with GIF's variable-width
// LZW. GIF89a: https://www.w3.org/Graphics/GIF/spec-gif89a.txt

const CUBE_LEVELS = 6;
const CUBE_STEP = 255 / (CUBE_LEVELS - 1);
const GRAYS = 40;
const MAX_CODES = 4096;

/** The palette as 256 RGB triples: the colour cube first, then the grays from black to white. */
export function fixedPalette(): Uint8Array {
  const palette = new Uint8Array(256 * 3);
  let at = 0;
  for (let r = 0; r < CUBE_LEVELS; r++)
    for (let g = 0; g < CUBE_LEVELS; g++)
      for (let b = 0; b < CUBE_LEVELS; b++) {
        palette[at++] = Math.round(r * CUBE_STEP);
        palette[at++] = Math.round(g * CUBE_STEP);
        palette[at++] = Math.round(b * CUBE_STEP);
      }
  for (let k = 0; k < GRAYS; k++) {
    const level = Math.round((k * 255) / (GRAYS - 1));
    palette[at++] = level;
    palette[at++] = level;
    palette[at++] = level;
  }
  return palette;
}

/** RGBA pixels → palette indices: the nearer of the closest cube colour and the closest gray. */
export function quantize(rgba: Uint8ClampedArray | Uint8Array, palette: Uint8Array): Uint8Array {
  const out = new Uint8Array(rgba.length / 4);
  const grayBase = CUBE_LEVELS ** 3;
  for (let p = 0; p < out.length; p++) {
    const r = rgba[4 * p]!;
    const g = rgba[4 * p + 1]!;
    const b = rgba[4 * p + 2]!;
    const cube =
      Math.round(r / CUBE_STEP) * 36 + Math.round(g / CUBE_STEP) * 6 + Math.round(b / CUBE_STEP);
    const gray = grayBase + Math.round((((r + g + b) / 3) * (GRAYS - 1)) / 255);
    out[p] = error(palette, cube, r, g, b) <= error(palette, gray, r, g, b) ? cube : gray;
  }
  return out;
}

function error(palette: Uint8Array, index: number, r: number, g: number, b: number): number {
  return (
    (palette[3 * index]! - r) ** 2 +
    (palette[3 * index + 1]! - g) ** 2 +
    (palette[3 * index + 2]! - b) ** 2
  );
}

/** Packs codes of varying width into bytes, least significant bit first (as GIF reads them). */
class BitWriter {
  private readonly bytes: number[] = [];
  private buffer = 0;
  private bits = 0;

  write(code: number, width: number): void {
    this.buffer |= code << this.bits;
    this.bits += width;
    while (this.bits >= 8) {
      this.bytes.push(this.buffer & 0xff);
      this.buffer >>>= 8;
      this.bits -= 8;
    }
  }

  finish(): Uint8Array {
    if (this.bits > 0) this.bytes.push(this.buffer & 0xff);
    return Uint8Array.from(this.bytes);
  }
}

/**
 * GIF LZW: codes start one bit wider than `minCodeSize`, with a clear code (2^min) first and an
 * end code (2^min + 1) last. The code width grows once the table holds a code that no longer
 * fits, and the table starts over with a clear code when it is full (4096 codes).
 */
export function lzwEncode(indices: Uint8Array, minCodeSize = 8): Uint8Array {
  const clear = 1 << minCodeSize;
  const end = clear + 1;
  const writer = new BitWriter();
  let table = new Map<number, number>();
  let next = end + 1;
  let width = minCodeSize + 1;
  writer.write(clear, width);
  if (indices.length === 0) {
    writer.write(end, width);
    return writer.finish();
  }
  let prefix = indices[0]!;
  for (let i = 1; i < indices.length; i++) {
    const symbol = indices[i]!;
    const key = prefix * 256 + symbol;
    const known = table.get(key);
    if (known !== undefined) {
      prefix = known;
      continue;
    }
    writer.write(prefix, width);
    if (next < MAX_CODES) {
      table.set(key, next++);
      if (next > 1 << width && width < 12) width++;
    } else {
      writer.write(clear, width);
      table = new Map();
      next = end + 1;
      width = minCodeSize + 1;
    }
    prefix = symbol;
  }
  writer.write(prefix, width);
  writer.write(end, width);
  return writer.finish();
}

export interface GifAnimation {
  readonly width: number;
  readonly height: number;
  /** Each frame's palette indices, row-major, width × height. */
  readonly frames: readonly Uint8Array[];
  readonly palette: Uint8Array;
  /** Time each frame shows, in milliseconds (GIF counts hundredths of a second). */
  readonly delayMs: number;
}

export function encodeGif(animation: GifAnimation): Uint8Array {
  const { width, height, frames, palette, delayMs } = animation;
  if (palette.length !== 256 * 3) throw new Error('encodeGif: the palette needs 256 RGB colours');
  if (!(width >= 1 && height >= 1 && width < 65536 && height < 65536)) {
    throw new Error(`encodeGif: ${width} × ${height} is not a GIF size`);
  }
  const out: number[] = [];
  const bytes = (...values: number[]) => out.push(...values);
  const word = (value: number) => bytes(value & 0xff, (value >> 8) & 0xff);
  const ascii = (text: string) => bytes(...Array.from(text, (c) => c.charCodeAt(0)));

  ascii('GIF89a');
  word(width);
  word(height);
  // Global colour table present, 8-bit colour resolution, 2^(7+1) = 256 entries.
  bytes(0xf7, 0, 0);
  for (const value of palette) out.push(value);
  // NETSCAPE2.0 application extension: loop forever.
  bytes(0x21, 0xff, 11);
  ascii('NETSCAPE2.0');
  bytes(3, 1, 0, 0, 0);

  const delay = Math.max(2, Math.round(delayMs / 10));
  for (const [index, frame] of frames.entries()) {
    if (frame.length !== width * height) {
      throw new Error(
        `encodeGif: frame ${index} has ${frame.length} pixels, not ${width * height}`,
      );
    }
    // Graphic control extension: no disposal or transparency, then the frame's delay.
    bytes(0x21, 0xf9, 4, 0);
    word(delay);
    bytes(0, 0);
    // Image descriptor at (0, 0), full size, no local colour table, not interlaced.
    bytes(0x2c);
    word(0);
    word(0);
    word(width);
    word(height);
    bytes(0);
    bytes(8);
    const data = lzwEncode(frame, 8);
    for (let at = 0; at < data.length; at += 255) {
      const block = data.subarray(at, at + 255);
      out.push(block.length);
      for (const value of block) out.push(value);
    }
    bytes(0);
  }
  bytes(0x3b);
  return Uint8Array.from(out);
}
