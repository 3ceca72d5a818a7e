// A minimal PNG encoder (8-bit grayscale or RGB), so sample grids can be written without a
// dependency. The image data goes into zlib "stored" (uncompressed) deflate blocks: larger files,
// but no compressor to get wrong, and every PNG reader accepts them.
// PNG: https://www.w3.org/TR/png/ ; zlib: RFC 1950 ; deflate stored blocks: RFC 1951 §3.2.4.

export interface PngImage {
  readonly width: number;
  readonly height: number;
  /** 1 = grayscale, 3 = RGB. */
  readonly channels: 1 | 3;
  /** Row-major, `channels` bytes per pixel, top row first. */
  readonly pixels: Uint8Array;
  /** Text to embed, by keyword (1–79 Latin-1 characters), as uncompressed UTF-8 iTXt chunks. */
  readonly text?: Readonly<Record<string, string>>;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Largest payload of one stored deflate block (its length field is 16 bits). */
const MAX_STORED_BLOCK = 0xffff;

export function encodePng(image: PngImage): Uint8Array {
  const { width, height, channels, pixels } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`encodePng: width and height must be whole numbers ≥ 1 (${width} × ${height})`);
  }
  if (pixels.length !== width * height * channels) {
    throw new Error(
      `encodePng: ${width} × ${height} × ${channels} needs ${width * height * channels} bytes, got ${pixels.length}`,
    );
  }

  const header = new Uint8Array(13);
  const headerView = new DataView(header.buffer);
  headerView.setUint32(0, width);
  headerView.setUint32(4, height);
  header[8] = 8; // bits per channel
  header[9] = channels === 1 ? 0 : 2; // colour type: grayscale or truecolour
  // [10..12]: compression 0 (deflate), filter method 0, no interlace.

  // Every scanline starts with its filter type; 0 (none) keeps the bytes as they are.
  const rowBytes = width * channels;
  const scanlines = new Uint8Array(height * (rowBytes + 1));
  for (let y = 0; y < height; y++) {
    scanlines.set(pixels.subarray(y * rowBytes, (y + 1) * rowBytes), y * (rowBytes + 1) + 1);
  }

  return concat([
    Uint8Array.from(SIGNATURE),
    chunk('IHDR', header),
    ...Object.entries(image.text ?? {}).map(([keyword, text]) =>
      chunk('iTXt', itxt(keyword, text)),
    ),
    chunk('IDAT', zlibStored(scanlines)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** A zlib stream of stored blocks: header, blocks of ≤ 65535 bytes, Adler-32 of the data. */
export function zlibStored(data: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(data.length / MAX_STORED_BLOCK));
  const out = new Uint8Array(2 + blocks * 5 + data.length + 4);
  // CMF 0x78: deflate, 32 KiB window; FLG 0x01 makes (CMF·256 + FLG) a multiple of 31.
  out[0] = 0x78;
  out[1] = 0x01;
  let at = 2;
  for (let block = 0; block < blocks; block++) {
    const start = block * MAX_STORED_BLOCK;
    const length = Math.min(MAX_STORED_BLOCK, data.length - start);
    out[at] = block === blocks - 1 ? 1 : 0; // BFINAL on the last block; BTYPE 00 = stored
    out[at + 1] = length & 0xff;
    out[at + 2] = length >>> 8;
    out[at + 3] = ~length & 0xff;
    out[at + 4] = (~length >>> 8) & 0xff;
    out.set(data.subarray(start, start + length), at + 5);
    at += 5 + length;
  }
  new DataView(out.buffer).setUint32(at, adler32(data));
  return out;
}

export function adler32(data: Uint8Array): number {
  const MOD = 65521;
  let a = 1;
  let b = 0;
  // Reduce every 5552 bytes (zlib's NMAX) so the sums stay small exact integers at any length.
  for (let start = 0; start < data.length; start += 5552) {
    const end = Math.min(start + 5552, data.length);
    for (let i = start; i < end; i++) {
      a += data[i]!;
      b += a;
    }
    a %= MOD;
    b %= MOD;
  }
  return ((b << 16) | a) >>> 0;
}

let crcTable: Uint32Array | undefined;

/** CRC-32 (ISO-HDLC, reflected polynomial 0xEDB88320), as PNG chunks use. */
export function crc32(data: Uint8Array, crc = 0): number {
  crcTable ??= makeCrcTable();
  let c = ~crc >>> 0;
  for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

function makeCrcTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/**
 * iTXt data: keyword, NUL, compression flag 0, method 0, empty language tag and NUL, empty
 * translated keyword and NUL, then the UTF-8 text (PNG §11.3.4.5).
 */
function itxt(keyword: string, text: string): Uint8Array {
  if (!/^[\x20-\x7e\xa1-\xff]{1,79}$/.test(keyword) || /^ | $| {2}/.test(keyword)) {
    throw new Error(`encodePng: "${keyword}" is not a valid PNG text keyword`);
  }
  const keywordBytes = Uint8Array.from(keyword, (c) => c.charCodeAt(0));
  return concat([keywordBytes, Uint8Array.of(0, 0, 0, 0, 0), new TextEncoder().encode(text)]);
}

/**
 * The text chunks of a PNG file (tEXt, and iTXt without compression), by keyword. Throws when the
 * bytes are not a PNG or a chunk is cut short or fails its CRC.
 */
export function readPngText(bytes: Uint8Array): Record<string, string> {
  if (bytes.length < 8 || SIGNATURE.some((value, i) => bytes[i] !== value)) {
    throw new Error('not a PNG file (the signature is missing)');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const texts: Record<string, string> = {};
  let at = 8;
  while (at + 12 <= bytes.length) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    const end = at + 12 + length;
    if (end > bytes.length) throw new Error(`PNG chunk ${type} at byte ${at} is cut short`);
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (crc32(bytes.subarray(at + 4, at + 8 + length)) !== view.getUint32(at + 8 + length)) {
      throw new Error(`PNG chunk ${type} at byte ${at} fails its CRC check`);
    }
    if (type === 'tEXt' || type === 'iTXt') {
      const nul = data.indexOf(0);
      const keyword = String.fromCharCode(...data.subarray(0, nul));
      if (type === 'tEXt') {
        texts[keyword] = new TextDecoder('latin1').decode(data.subarray(nul + 1));
      } else if (data[nul + 1] === 0) {
        // Skip the compression fields, then the language tag and translated keyword.
        const languageEnd = data.indexOf(0, nul + 3);
        const translatedEnd = data.indexOf(0, languageEnd + 1);
        texts[keyword] = new TextDecoder().decode(data.subarray(translatedEnd + 1));
      }
    }
    if (type === 'IEND') break;
    at = end;
  }
  return texts;
}

/** length (4, big-endian) · type (4) · data · CRC-32 of type and data. */
function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
