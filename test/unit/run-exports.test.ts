// The preview's exports: the PNG text chunk round-trips a graph, the GIF writer's output decodes
// (with an independent reader) to the frames it was given, and image runs lay out x̃ beside x̂₀.
import { describe, expect, it } from 'vitest';
import { encodePng, readPngText } from '../../graph-nodes/math/png';
import { createRng } from '../../graph-nodes/math/rng';
import { encodeGif, fixedPalette, lzwEncode, quantize } from '../../renderer/exports/gif-encoder';
import { imageExportLayout } from '../../renderer/exports/image-export-layout';
import { decodeGif, lzwDecode } from './helpers/gif-decode';

describe('PNG text chunks', () => {
  const pixels = Uint8Array.from({ length: 4 * 3 * 3 }, (_, i) => (i * 7) % 256);

  it('carry UTF-8 text (a graph with σ̃ and x̂₀ in it) back out unchanged', () => {
    const graph = JSON.stringify({ title: 'σ̃ from 80 → 0 · x̂₀', nodes: [{ id: 'a' }] });
    const png = encodePng({
      width: 4,
      height: 3,
      channels: 3,
      pixels,
      text: { 'principia.graph': graph, Software: 'Principia' },
    });
    expect(readPngText(png)).toEqual({ 'principia.graph': graph, Software: 'Principia' });
  });

  it('leave an image without text with no text', () => {
    expect(readPngText(encodePng({ width: 4, height: 3, channels: 3, pixels }))).toEqual({});
  });

  it('refuse bad keywords, non-PNG bytes and damaged chunks', () => {
    expect(() =>
      encodePng({ width: 4, height: 3, channels: 3, pixels, text: { '': 'x' } }),
    ).toThrow(/not a valid PNG text keyword/);
    expect(() => readPngText(new TextEncoder().encode('{"format":1}'))).toThrow(/not a PNG/);
    const png = encodePng({ width: 4, height: 3, channels: 3, pixels, text: { k: 'value' } });
    const damaged = png.slice();
    const inside = 8 + 25 + 12; // a byte inside the iTXt chunk (after the signature and IHDR)
    damaged[inside] = damaged[inside]! ^ 0xff;
    expect(() => readPngText(damaged)).toThrow(/iTXt at byte 33 fails its CRC/);
  });
});

describe('GIF LZW', () => {
  it.each([
    ['empty', new Uint8Array(0)],
    ['one pixel', Uint8Array.of(200)],
    ['a flat run', new Uint8Array(70_000).fill(17)],
    ['a repeating pattern', Uint8Array.from({ length: 50_000 }, (_, i) => (i * i) % 7)],
    // Random bytes fill the 4096-code table many times over, so clear codes are exercised.
    [
      'noise',
      Uint8Array.from(createRng(5).fillNormal(new Float32Array(60_000)), (z) => (z * 90) & 255),
    ],
  ])('round-trips %s', (_, indices) => {
    expect(lzwDecode(lzwEncode(indices, 8), 8, indices.length)).toEqual(indices);
  });

  it('compresses flat frames well', () => {
    expect(lzwEncode(new Uint8Array(100_000).fill(3)).length).toBeLessThan(1000);
  });
});

describe('GIF animation', () => {
  it('holds every frame, the palette, the delay and the loop', () => {
    const palette = fixedPalette();
    const width = 31;
    const height = 17;
    const frames = [0, 1, 2].map((k) =>
      Uint8Array.from({ length: width * height }, (_, p) => (p * (k + 3) + k) % 256),
    );
    const gif = decodeGif(encodeGif({ width, height, frames, palette, delayMs: 200 }));
    expect(gif).toMatchObject({ width, height, loops: true, delaysCs: [20, 20, 20] });
    expect(gif.palette).toEqual(palette);
    expect(gif.frames).toEqual(frames);
  });

  it('maps colours to the nearest palette entry', () => {
    const palette = fixedPalette();
    const rgba = Uint8Array.of(255, 0, 0, 255, 128, 128, 128, 255, 13, 15, 20, 255);
    const [red, gray, dark] = quantize(rgba, palette);
    expect([...palette.subarray(3 * red!, 3 * red! + 3)]).toEqual([255, 0, 0]);
    // Mid gray: the nearest of 40 gray levels, within half a level step (255 / 39 / 2).
    for (const value of palette.subarray(3 * gray!, 3 * gray! + 3))
      expect(Math.abs(value - 128)).toBeLessThanOrEqual(255 / 39 / 2);
    // The app's dark background lands on a near-black gray rather than on the cube's black.
    expect(Math.max(...palette.subarray(3 * dark!, 3 * dark! + 3))).toBeLessThan(25);
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
