// PNG files through fast-png: 8-bit grayscale or RGB images, deflate-compressed, with text in
// tEXt chunks (Latin-1, as PNG defines them). PNG: https://www.w3.org/TR/png/
import { decode, encode } from 'fast-png';

export interface PngImage {
  readonly width: number;
  readonly height: number;
  /** 1 = grayscale, 3 = RGB. */
  readonly channels: 1 | 3;
  /** Row-major, `channels` bytes per pixel, top row first. */
  readonly pixels: Uint8Array;
  /** Text to embed, by keyword (1–79 Latin-1 characters), as tEXt chunks of Latin-1 text. */
  readonly text?: Readonly<Record<string, string>>;
}

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
  try {
    return encode({
      width,
      height,
      data: pixels,
      depth: 8,
      channels,
      ...(image.text ? { text: { ...image.text } } : {}),
    });
  } catch (error) {
    throw new Error(`encodePng: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}

/**
 * The tEXt chunks of a PNG file, by keyword. Every chunk's CRC is checked and the image itself
 * decoded, so damaged or cut-short files are refused with the reason.
 */
export function readPngText(bytes: Uint8Array): Record<string, string> {
  let text: Record<string, string>;
  try {
    text = decode(bytes, { checkCrc: true }).text;
  } catch (error) {
    throw new Error(`not a readable PNG file (${reason(error)})`, { cause: error });
  }
  // Principia wrote uncompressed UTF-8 iTXt chunks until 2026-12-05; their PNGs still open.
  const texts: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [keyword, value] of uncompressedItxt(bytes)) texts[keyword] = value;
  for (const keyword of Object.keys(text)) texts[keyword] = text[keyword]!;
  return texts;
}

/**
 * Uncompressed iTXt chunks (keyword, NUL, compression flag 0, method, language tag, NUL,
 * translated keyword, NUL, UTF-8 text), which fast-png does not read. The file's chunk CRCs
 * were checked by the decode before this walks it; compressed iTXt is skipped.
 */
function uncompressedItxt(bytes: Uint8Array): Map<string, string> {
  const found = new Map<string, string>();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const utf8 = new TextDecoder('utf-8', { fatal: false });
  for (let at = 8; at + 12 <= bytes.length;) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    const start = at + 8;
    const end = start + length;
    if (end + 4 > bytes.length || type === 'IEND') break;
    if (type === 'iTXt') {
      const data = bytes.subarray(start, end);
      const keywordEnd = data.indexOf(0);
      const languageEnd = keywordEnd > 0 ? data.indexOf(0, keywordEnd + 3) : -1;
      const translatedEnd = languageEnd >= 0 ? data.indexOf(0, languageEnd + 1) : -1;
      if (translatedEnd >= 0 && data[keywordEnd + 1] === 0) {
        const keyword = String.fromCharCode(...data.subarray(0, keywordEnd));
        found.set(keyword, utf8.decode(data.subarray(translatedEnd + 1)));
      }
    }
    at = end + 4;
  }
  return found;
}

/** An error's message, with its cause's after it ("Error while decompressing the data: …"). */
function reason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const message = error.message.replace(/:$/, '');
  return error.cause === undefined ? message : `${message}: ${reason(error.cause)}`;
}
