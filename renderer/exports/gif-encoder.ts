// The run's animated GIF, written by gifenc: one palette of up to 256 colours chosen (gifenc's
// PnnQuant) from a sample of the frames, every frame mapped to it, full size, looping forever.
// The palette is the global colour table, so each frame is just its LZW-compressed indices.
// Frames are drawn on demand and dropped once encoded: a long run never holds all its RGBA.
import { applyPalette, GIFEncoder, quantize, type Palette } from 'gifenc';

/** Frames the palette is chosen from: evenly spaced, the first and the last among them. */
const PALETTE_SAMPLE_FRAMES = 8;
/**
 * Colours are binned to 4 bits a channel while the palette is chosen and pixels are mapped.
 * Measured on the dock's frames (docs/ARCHITECTURE.md): files 12 % smaller than with 5 bits
 * (rgb565), and still six times closer to the frames than the fixed colour cube this replaced.
 */
const FORMAT = 'rgb444';
/** Browsers show delays under 2 hundredths of a second as 1/10 s, so none is shorter. */
const MIN_DELAY_MS = 20;

/** One frame's pixels: RGBA, row-major (alpha is ignored). An ImageData is one. */
export interface GifFrame {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray | Uint8Array;
}

export interface GifAnimation {
  readonly frameCount: number;
  /** Draws frame `index` (0 ≤ index < frameCount); every frame has the first one's size. */
  frame(index: number): GifFrame;
  /** Time each frame shows, in milliseconds (GIF counts hundredths of a second). */
  readonly delayMs: number;
}

/** The frames the palette is chosen from, by index. */
export function paletteSampleIndices(frameCount: number): number[] {
  const picks = Math.min(frameCount, PALETTE_SAMPLE_FRAMES);
  if (picks <= 1) return picks === 1 ? [0] : [];
  return Array.from({ length: picks }, (_, k) => Math.round((k * (frameCount - 1)) / (picks - 1)));
}

/** gifenc reads pixels as 32-bit words of the whole buffer: a view into a larger one is copied. */
function ownBuffer(rgba: Uint8ClampedArray | Uint8Array): Uint8ClampedArray | Uint8Array {
  return rgba.byteOffset === 0 && rgba.byteLength === rgba.buffer.byteLength ? rgba : rgba.slice();
}

function checkedFrame(animation: GifAnimation, index: number, size?: GifFrame): GifFrame {
  const frame = animation.frame(index);
  const { width, height } = size ?? frame;
  if (!(width >= 1 && height >= 1 && width < 65536 && height < 65536)) {
    throw new Error(`encodeGif: ${width} × ${height} is not a GIF size`);
  }
  if (
    frame.width !== width ||
    frame.height !== height ||
    frame.data.length !== 4 * width * height
  ) {
    throw new Error(
      `encodeGif: frame ${index} has ${frame.data.length / 4} pixels, not ${width} × ${height}`,
    );
  }
  return frame;
}

export function encodeGif(animation: GifAnimation): Uint8Array {
  const { frameCount } = animation;
  if (frameCount < 1) throw new Error('encodeGif: there are no frames');
  const first = checkedFrame(animation, 0);
  // The sampled frames are kept until they are encoded, so none is drawn twice.
  const drawn = new Map<number, GifFrame>([[0, first]]);
  for (const index of paletteSampleIndices(frameCount))
    if (!drawn.has(index)) drawn.set(index, checkedFrame(animation, index, first));
  const frameBytes = first.data.length;
  const sample = new Uint8ClampedArray(drawn.size * frameBytes);
  [...drawn.values()].forEach((frame, k) => sample.set(frame.data, k * frameBytes));
  const palette: Palette = quantize(sample, 256, { format: FORMAT });

  const delay = Math.max(MIN_DELAY_MS, animation.delayMs);
  const encoder = GIFEncoder();
  for (let index = 0; index < frameCount; index++) {
    const frame = drawn.get(index) ?? checkedFrame(animation, index, first);
    drawn.delete(index);
    const indices = applyPalette(ownBuffer(frame.data), palette, FORMAT);
    // The first frame's palette becomes the global colour table; later frames use it.
    encoder.writeFrame(
      indices,
      first.width,
      first.height,
      index === 0 ? { palette, delay } : { delay },
    );
  }
  encoder.finish();
  return encoder.bytes();
}
