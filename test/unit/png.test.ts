import { crc32, inflateSync } from 'node:zlib';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { samplesFromArray } from '../../graph-nodes/core/samples';
import type { Trajectory } from '../../graph-nodes/core/values';
import { GRAPH_TEXT_KEYWORD, graphTextFromPng } from '../../graph-nodes/core/png-graph';
import { encodePng } from '../../graph-nodes/math/png';
import saveImageGrid from '../../graph-nodes/nodes/io/save-image-grid';
import { makeTestContext, memoryFiles } from './helpers/run-context';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** PNG chunks in order, with their CRCs checked (by Node's zlib, independently of fast-png). */
function readChunks(png: Uint8Array): { type: string; data: Uint8Array }[] {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunks: { type: string; data: Uint8Array }[] = [];
  for (let at = 8; at < png.length;) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    const data = png.subarray(at + 8, at + 8 + length);
    expect(view.getUint32(at + 8 + length)).toBe(crc32(png.subarray(at + 4, at + 8 + length)));
    chunks.push({ type, data });
    at += 12 + length;
  }
  return chunks;
}

/** An independent reader: chunks, zlib by Node, then unfiltered scanlines (fast-png writes filter 0). */
function decode(png: Uint8Array) {
  const chunks = readChunks(png);
  expect(chunks.map((chunk) => chunk.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
  const header = new DataView(chunks[0]!.data.buffer, chunks[0]!.data.byteOffset, 13);
  const width = header.getUint32(0);
  const height = header.getUint32(4);
  const colourType = header.getUint8(9);
  expect(header.getUint8(8)).toBe(8);
  const raw = inflateSync(chunks[1]!.data);
  const channels = colourType === 0 ? 1 : 3;
  const rowBytes = width * channels;
  expect(raw.length).toBe(height * (rowBytes + 1));
  const pixels = new Uint8Array(height * rowBytes);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (rowBytes + 1)]).toBe(0); // filter: none
    pixels.set(raw.subarray(y * (rowBytes + 1) + 1, (y + 1) * (rowBytes + 1)), y * rowBytes);
  }
  return { width, height, colourType, pixels, bytes: png.length };
}

describe('encodePng', () => {
  it('writes a grayscale image whose pixels decode back exactly', () => {
    const pixels = Uint8Array.from({ length: 5 * 3 }, (_, i) => (i * 17) % 256);
    const png = decode(encodePng({ width: 5, height: 3, channels: 1, pixels }));
    expect(png).toMatchObject({ width: 5, height: 3, colourType: 0 });
    expect([...png.pixels]).toEqual([...pixels]);
  });

  it('writes RGB', () => {
    const pixels = Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9]);
    const png = decode(encodePng({ width: 2, height: 2, channels: 3, pixels }));
    expect(png.colourType).toBe(2);
    expect([...png.pixels]).toEqual([...pixels]);
  });

  it('keeps large images exact and compresses them', () => {
    const width = 300;
    const height = 300;
    const pixels = Uint8Array.from({ length: width * height }, (_, i) => (i * 7) % 251);
    const png = decode(encodePng({ width, height, channels: 1, pixels }));
    expect(Buffer.from(png.pixels).equals(Buffer.from(pixels))).toBe(true);
    const flat = decode(
      encodePng({
        width,
        height,
        channels: 3,
        pixels: new Uint8Array(3 * width * height).fill(21),
      }),
    );
    expect(flat.bytes).toBeLessThan((3 * width * height) / 50);
  });

  it('refuses a pixel buffer of the wrong size', () => {
    expect(() =>
      encodePng({ width: 2, height: 2, channels: 1, pixels: new Uint8Array(3) }),
    ).toThrow(/needs 4 bytes, got 3/);
  });
});

describe('save-image-grid', () => {
  async function saveGrid(value: Parameters<typeof saveImageGrid.run>[0]['value'], params: object) {
    const files = memoryFiles();
    const ctx = makeTestContext(saveImageGrid.params.parse({ path: 'grid.png', ...params }), {
      files,
    });
    await saveImageGrid.run({ value }, ctx);
    return decode(files.files.get('grid.png')!);
  }

  // Three 2 × 2 images; values −1 → black, 1 → white, 0 → mid gray, beyond the range clamped.
  const images = Float32Array.from([-1, 1, 0, 2, 1, 1, 1, 1, -3, -1, 0.5, NaN]);
  const settings = { image_width: 2, image_height: 2, columns: 2, padding: 1 };

  it('tiles the images row by row with gray gaps and maps the value range to 0…255', async () => {
    const samples = samplesFromArray(images, 3, [4]);
    const png = await saveGrid(samples, settings);
    samples.dispose();
    // 2 columns × (2 + 1) + 1 = 7 wide; 2 rows × (2 + 1) + 1 = 7 high.
    expect([png.width, png.height, png.colourType]).toEqual([7, 7, 0]);
    const at = (x: number, y: number) => png.pixels[y * 7 + x];
    expect([at(1, 1), at(2, 1), at(1, 2), at(2, 2)]).toEqual([0, 255, 128, 255]); // image 0
    expect([at(4, 1), at(5, 1), at(4, 2), at(5, 2)]).toEqual([255, 255, 255, 255]); // image 1
    expect([at(1, 4), at(2, 4), at(1, 5), at(2, 5)]).toEqual([0, 0, 191, 0]); // image 2, NaN black
    expect([at(0, 0), at(3, 2), at(6, 6), at(4, 4)]).toEqual([128, 128, 128, 128]); // gaps, empty cell
  });

  it('draws the final frame of a trajectory, zoomed by pixel replication', async () => {
    const trajectory: Trajectory = {
      n: 1,
      dim: 4,
      shape: [4],
      nfe: 1,
      frames: [
        { step: 0, t: 1, sigmaTilde: 1, alpha: 1, x: Float32Array.from([1, 1, 1, 1]) },
        { step: 1, t: 0, sigmaTilde: 0, alpha: 1, x: Float32Array.from([-1, 1, 1, -1]) },
      ],
    };
    const png = await saveGrid(trajectory, { ...settings, columns: 0, padding: 0, zoom: 2 });
    expect([png.width, png.height]).toEqual([4, 4]);
    expect([...png.pixels]).toEqual([
      0, 0, 255, 255, 0, 0, 255, 255, 255, 255, 0, 0, 255, 255, 0, 0,
    ]);
  });

  it('takes the tile size from the points’ shape, and draws [3, H, W] points in colour', async () => {
    const gray = samplesFromArray(images, 3, [1, 2, 2]);
    const grayPng = await saveGrid(gray, { columns: 3, padding: 0 });
    gray.dispose();
    expect([grayPng.width, grayPng.height, grayPng.colourType]).toEqual([6, 2, 0]);

    // One 2 × 2 point, channels first: red plane, green plane, blue plane.
    const rgb = samplesFromArray(
      Float32Array.from([1, -1, -1, 1, -1, 1, -1, 1, -1, -1, 1, 1]),
      1,
      [3, 2, 2],
    );
    const png = await saveGrid(rgb, { padding: 0 });
    rgb.dispose();
    expect([png.width, png.height, png.colourType]).toEqual([2, 2, 2]);
    const pixel = (x: number, y: number) => [
      ...png.pixels.subarray((y * 2 + x) * 3, (y * 2 + x) * 3 + 3),
    ];
    expect([pixel(0, 0), pixel(1, 0), pixel(0, 1), pixel(1, 1)]).toEqual([
      [255, 0, 0],
      [0, 255, 0],
      [0, 0, 255],
      [255, 255, 255],
    ]);
  });

  it('says which sizes to set when the points are not width × height images', async () => {
    const samples = samplesFromArray(images, 3, [4]);
    await expect(saveGrid(samples, {})).rejects.toThrow(
      /points of shape \[4\] are not images .*set image_width and image_height/,
    );
    await expect(saveGrid(samples, { image_width: 3, image_height: 3 })).rejects.toThrow(
      /shape \[4\] \(4 values\) but image_width × image_height = 3 × 3 = 9/,
    );
    samples.dispose();
  });
});

describe('graphs in PNGs written before the tEXt change', () => {
  /** A chunk as PNG lays it out: length, type, data, CRC of type and data. */
  function chunk(type: string, data: Uint8Array): Uint8Array {
    const body = new Uint8Array([...Buffer.from(type, 'latin1'), ...data]);
    const out = new Uint8Array(12 + data.length);
    const view = new DataView(out.buffer);
    view.setUint32(0, data.length);
    out.set(body, 4);
    view.setUint32(8 + data.length, crc32(body));
    return out;
  }

  it('still reads the graph from an uncompressed UTF-8 iTXt chunk', () => {
    const png = encodePng({ width: 2, height: 1, channels: 1, pixels: Uint8Array.of(0, 255) });
    const json = JSON.stringify({ title: 'σ̃ and x̂₀', nodes: [] });
    const itxt = new Uint8Array([
      ...Buffer.from(GRAPH_TEXT_KEYWORD, 'latin1'),
      0, // keyword end
      0, // uncompressed
      0, // method
      0, // empty language tag
      0, // empty translated keyword
      ...Buffer.from(json, 'utf8'),
    ]);
    const iend = png.length - 12;
    const legacy = new Uint8Array([
      ...png.subarray(0, iend),
      ...chunk('iTXt', itxt),
      ...png.subarray(iend),
    ]);
    expect(graphTextFromPng(legacy, 'old.png')).toBe(json);
    // And a damaged one is refused with the reason, not read.
    legacy[iend + 20] = legacy[iend + 20]! ^ 0xff;
    expect(() => graphTextFromPng(legacy, 'old.png')).toThrow(/old\.png: not a readable PNG/);
  });
});
