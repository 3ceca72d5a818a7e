// An independent GIF reader for the encoder's tests: walks the blocks and decodes each frame's
// LZW data back to palette indices, following the decoder side of the GIF89a spec (Appendix F).

export interface DecodedGif {
  readonly width: number;
  readonly height: number;
  readonly palette: Uint8Array;
  readonly loops: boolean;
  readonly delaysCs: number[];
  readonly frames: Uint8Array[];
}

export function lzwDecode(data: Uint8Array, minCodeSize: number, expected: number): Uint8Array {
  const clear = 1 << minCodeSize;
  const end = clear + 1;
  const out = new Uint8Array(expected);
  let written = 0;
  let bitPos = 0;
  const read = (width: number): number => {
    let code = 0;
    for (let k = 0; k < width; k++, bitPos++) {
      const byte = data[bitPos >> 3];
      if (byte === undefined) throw new Error('LZW data ran out before the end code');
      code |= ((byte >> (bitPos & 7)) & 1) << k;
    }
    return code;
  };
  let table: number[][] = [];
  let width = minCodeSize + 1;
  let previous: number[] | undefined;
  const reset = () => {
    table = Array.from({ length: end + 1 }, (_, i) => (i < clear ? [i] : []));
    width = minCodeSize + 1;
    previous = undefined;
  };
  reset();
  for (;;) {
    const code = read(width);
    if (code === clear) {
      reset();
      continue;
    }
    if (code === end) break;
    let entry: number[];
    if (code < table.length) entry = table[code]!;
    else if (code === table.length && previous) entry = [...previous, previous[0]!];
    else throw new Error(`LZW code ${code} is not in the table (size ${table.length})`);
    for (const value of entry) {
      if (written >= expected) throw new Error('LZW data decodes to more pixels than the frame');
      out[written++] = value;
    }
    if (previous && table.length < 4096) table.push([...previous, entry[0]!]);
    if (table.length === 1 << width && width < 12) width++;
    previous = entry;
  }
  if (written !== expected) throw new Error(`LZW data decodes to ${written} of ${expected} pixels`);
  return out;
}

export function decodeGif(bytes: Uint8Array): DecodedGif {
  const text = (from: number, length: number) =>
    String.fromCharCode(...bytes.subarray(from, from + length));
  if (text(0, 6) !== 'GIF89a') throw new Error('not a GIF89a file');
  const word = (at: number) => bytes[at]! | (bytes[at + 1]! << 8);
  const width = word(6);
  const height = word(8);
  const packed = bytes[10]!;
  if (!(packed & 0x80)) throw new Error('no global colour table');
  const tableSize = 3 * 2 ** ((packed & 7) + 1);
  const palette = bytes.slice(13, 13 + tableSize);
  let at = 13 + tableSize;
  let loops = false;
  const delaysCs: number[] = [];
  const frames: Uint8Array[] = [];
  const subBlocks = (): Uint8Array => {
    const parts: number[] = [];
    while (bytes[at] !== 0) {
      const length = bytes[at]!;
      parts.push(...bytes.subarray(at + 1, at + 1 + length));
      at += 1 + length;
    }
    at++;
    return Uint8Array.from(parts);
  };
  for (;;) {
    const introducer = bytes[at];
    if (introducer === 0x3b) break;
    if (introducer === 0x21) {
      const label = bytes[at + 1];
      if (label === 0xff && text(at + 3, 11) === 'NETSCAPE2.0') loops = true;
      if (label === 0xf9) delaysCs.push(word(at + 4));
      at += 2;
      subBlocks();
    } else if (introducer === 0x2c) {
      const frameWidth = word(at + 5);
      const frameHeight = word(at + 7);
      at += 10;
      const minCodeSize = bytes[at++]!;
      frames.push(lzwDecode(subBlocks(), minCodeSize, frameWidth * frameHeight));
    } else {
      throw new Error(`unexpected block 0x${introducer?.toString(16)} at byte ${at}`);
    }
  }
  return { width, height, palette, loops, delaysCs, frames };
}
