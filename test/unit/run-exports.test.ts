// The preview's exports: the PNG text chunk round-trips a graph, the GIF writer's output decodes
// (with an independent reader) to the frames it was given, and image runs lay out x̃ beside x̂₀.
import { describe, expect, it } from 'vitest';
import { encodePng, readPngText } from '../../graph-nodes/math/png';
import { encodeGif, paletteSampleIndices, type GifFrame } from '../../renderer/exports/gif-encoder';
import { imageExportLayout } from '../../renderer/exports/image-export-layout';
import {
  GRAPH_TEXT_KEYWORD,
  graphPngText,
  graphTextFromPng,
} from '../../graph-nodes/core/png-graph';
import { decodeGif, type DecodedGif } from './helpers/gif-decode';

describe('PNG text chunks (fast-png)', () => {
  const pixels = Uint8Array.from({ length: 4 * 3 * 3 }, (_, i) => (i * 7) % 256);

  it('carry a graph with σ̃ and x̂₀ in it back out: escaped to ASCII, parsed to the same document', () => {
    const document = {
      title: 'σ̃ from 80 → 0 · x̂₀ 🙂',
      nodes: [{ id: 'a', params: { note: 'tab\there' } }],
    };
    const json = JSON.stringify(document, null, 2);
    const text = graphPngText(json);
    expect(text).toMatch(/^[\x20-\x7e\n]*$/);
    const png = encodePng({
      width: 4,
      height: 3,
      channels: 3,
      pixels,
      text: { [GRAPH_TEXT_KEYWORD]: text, Software: 'Principia' },
    });
    expect(readPngText(png)).toEqual({ [GRAPH_TEXT_KEYWORD]: text, Software: 'Principia' });
    expect(JSON.parse(graphTextFromPng(png, 'view.png'))).toEqual(document);
  });

  it('leave an image without text with no text', () => {
    const png = encodePng({ width: 4, height: 3, channels: 3, pixels });
    expect(readPngText(png)).toEqual({});
    expect(() => graphTextFromPng(png, 'photo.png')).toThrow(
      /photo\.png is a PNG without a Principia graph in it/,
    );
  });

  it('refuse bad keywords and non-Latin-1 text, non-PNG bytes, damaged and cut-short files', () => {
    expect(() =>
      encodePng({ width: 4, height: 3, channels: 3, pixels, text: { '': 'x' } }),
    ).toThrow(/encodePng: keyword length must be between 1 and 79/);
    expect(() => encodePng({ width: 4, height: 3, channels: 3, pixels, text: { k: 'σ' } })).toThrow(
      /encodePng: invalid latin1 text/,
    );
    expect(() => readPngText(new TextEncoder().encode('{"format":1}'))).toThrow(
      /not a readable PNG file \(wrong PNG signature\)/,
    );
    const png = encodePng({ width: 4, height: 3, channels: 3, pixels, text: { k: 'value' } });
    const damaged = png.slice();
    // A byte of the tEXt chunk's text.
    const inside = Buffer.from(png).indexOf('tEXt', 0, 'latin1') + 6;
    damaged[inside] = damaged[inside]! ^ 0xff;
    expect(() => readPngText(damaged)).toThrow(
      /not a readable PNG file \(CRC mismatch for chunk tEXt/,
    );
    expect(() => graphTextFromPng(damaged, 'view.png')).toThrow(/^view\.png: not a readable PNG/);
    for (const length of [8, 20, 40, png.length - 20]) {
      expect(() => readPngText(png.slice(0, length))).toThrow(/not a readable PNG file/);
    }
    // Damaged image data: the reason names the decompressor's complaint.
    const idat = Buffer.from(png).indexOf('IDAT', 0, 'latin1') + 4;
    const badData = png.slice();
    badData.fill(0xff, idat, idat + 4);
    expect(() => readPngText(badData)).toThrow(
      /not a readable PNG file \(Error while decompressing the data: invalid zlib data\)/,
    );
  });
});

/** A frame of RGBA pixels, each (r, g, b) from `colour(p)`. */
function rgbaFrame(
  width: number,
  height: number,
  colour: (p: number) => readonly [number, number, number],
): GifFrame {
  const data = new Uint8ClampedArray(4 * width * height);
  for (let p = 0; p < width * height; p++) data.set([...colour(p), 255], 4 * p);
  return { width, height, data };
}

/** The decoded frame's colours, RGB per pixel, looked up in the GIF's palette. */
function coloursOf(gif: DecodedGif, frame: number): number[] {
  return [...gif.frames[frame]!].flatMap((index) => [
    ...gif.palette.subarray(3 * index, 3 * index + 3),
  ]);
}

function rgbOf(frame: GifFrame): number[] {
  return [...frame.data].filter((_, k) => k % 4 !== 3);
}

describe('GIF animation (gifenc)', () => {
  it('holds every frame, exactly when it has few colours, with the delay and the loop', () => {
    const width = 31;
    const height = 17;
    // 4 × 4 × 4 colours, each in its own 4-bit bin: the palette holds them exactly.
    const level = (k: number) => (k % 4) * 85;
    const frames = [0, 1, 2].map((k) =>
      rgbaFrame(width, height, (p) => {
        const c = (p * (k + 3) + k) % 64;
        return [level(c), level(c >> 2), level(c >> 4)];
      }),
    );
    const gif = decodeGif(encodeGif({ frameCount: 3, frame: (k) => frames[k]!, delayMs: 200 }));
    expect(gif).toMatchObject({ width, height, loops: true, delaysCs: [20, 20, 20] });
    expect(gif.frames).toHaveLength(3);
    for (const [k, frame] of frames.entries()) expect(coloursOf(gif, k)).toEqual(rgbOf(frame));
  });

  // 4096 colours in 256: some error is unavoidable; a 6-level colour cube would give about 200.
  it('keeps smooth colours close: a gradient over many colours', () => {
    const width = 128;
    const height = 64;
    const frames = [0, 1].map((k) =>
      rgbaFrame(width, height, (p) => [
        (p % width) * 2,
        (Math.floor(p / width) * 4) % 256,
        40 + 80 * k,
      ]),
    );
    const gif = decodeGif(encodeGif({ frameCount: 2, frame: (k) => frames[k]!, delayMs: 100 }));
    for (const [k, frame] of frames.entries()) {
      const decoded = coloursOf(gif, k);
      const source = rgbOf(frame);
      const meanSquare =
        source.reduce((sum, v, i) => sum + (v - decoded[i]!) ** 2, 0) / source.length;
      expect(meanSquare).toBeLessThan(50);
    }
  });

  it('draws each frame once, chooses the palette from a spread of them, and keeps delays ≥ 2 cs', () => {
    expect(paletteSampleIndices(1)).toEqual([0]);
    expect(paletteSampleIndices(3)).toEqual([0, 1, 2]);
    expect(paletteSampleIndices(60)).toEqual([0, 8, 17, 25, 34, 42, 51, 59]);
    const drawn: number[] = [];
    const gif = decodeGif(
      encodeGif({
        frameCount: 60,
        frame: (k) => {
          drawn.push(k);
          return rgbaFrame(8, 8, (p) => [k * 4, p * 4, 0]);
        },
        delayMs: 1000 / 120,
      }),
    );
    expect([...drawn].sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, k) => k));
    expect(gif.frames).toHaveLength(60);
    expect(new Set(gif.delaysCs)).toEqual(new Set([2]));
  });

  it('refuses frames of the wrong size and an empty animation', () => {
    const frames = [rgbaFrame(4, 4, () => [0, 0, 0]), rgbaFrame(4, 5, () => [0, 0, 0])];
    expect(() => encodeGif({ frameCount: 2, frame: (k) => frames[k]!, delayMs: 100 })).toThrow(
      /frame 1 has 20 pixels, not 4 × 4/,
    );
    expect(() => encodeGif({ frameCount: 0, frame: () => frames[0]!, delayMs: 100 })).toThrow(
      /no frames/,
    );
  });
});

describe('image run exports', () => {
  it('put two grids side by side at the largest whole zoom within the width', () => {
    const fashion = { channels: 1, height: 28, width: 28 } as const;
    const png = imageExportLayout(16, fashion, 1000);
    // 4 × 4 tiles of 28 px at zoom 4 with 4 px gaps: 468 px a grid.
    expect(png.fit).toEqual({ columns: 4, zoom: 4, padding: 4 });
    expect(png.grid).toEqual({ width: 468, height: 468 });
    expect(png.width).toBeLessThanOrEqual(1000);
    expect(png.width).toBeGreaterThan(2 * png.grid.width);
    expect(png.height).toBeGreaterThan(png.top + png.grid.height);
    const gif = imageExportLayout(16, fashion, 640);
    expect(gif.fit.zoom).toBe(2);
    expect(gif.width).toBeLessThanOrEqual(640);
    // RGB 32 × 32 tiles fit the same way.
    const rgb = imageExportLayout(16, { channels: 3, height: 32, width: 32 }, 1000);
    expect(rgb.fit).toMatchObject({ columns: 4, zoom: 3 });
    expect(rgb.width).toBeLessThanOrEqual(1000);
  });
});
