// Draws a coupling π (CouplingPreview) two ways: its heaviest entries as lines between source and
// target points, each line's opacity ∝ π_ij / max π; or π as a heat map, source i down and target
// j across, in input order, on a linear or log colour scale. The dock and the node cards share
// these. Everything here is bounded by the preview's size (≤ 20 000 lines, ≤ 256² cells), never
// by n × m.
import type { CouplingPreview } from '../engine/engine-protocol';
import { padBounds, robustBounds, toPixelX, toPixelY, type DataBounds } from './plot-view';
import type { PlotView } from './plot-view';

export const COUPLING_COLOURS = {
  source: '#8ecae6',
  target: '#ffd166',
  /** The lines' colour as r,g,b (their opacity carries the mass). */
  line: '226,230,240',
} as const;

/** Opacity steps a line can take: one stroke per step, however many lines there are. */
const OPACITY_LEVELS = 128;
/**
 * How many fully opaque lines' worth of ink the lines may lay down when they carry all of π's
 * mass: when π spreads its mass over many entries (large ε) every opacity is scaled down alike
 * (still ∝ π_ij / max π), so the picture shows where the mass goes instead of a white blot; and
 * when the lines carry only part of the mass (a near-independent plan, whose heaviest 20 000 of
 * 250 000 entries say little) the ink shrinks with that part. Never below MIN_OPACITY_SCALE.
 */
const INK_BUDGET = 2000;
const MIN_OPACITY_SCALE = 0.02;

/**
 * The common factor on every line's opacity π_ij / max π (see INK_BUDGET), for lines of these
 * masses out of a plan of total mass 1.
 */
export function opacityScale(mass: ArrayLike<number>, maxMass: number): number {
  if (!(maxMass > 0)) return 1;
  let shown = 0;
  for (let k = 0; k < mass.length; k++) shown += mass[k]!;
  const ink = shown / maxMass;
  const budget = INK_BUDGET * Math.min(1, shown);
  return Math.min(1, Math.max(MIN_OPACITY_SCALE, budget / Math.max(ink, 1)));
}

/** The data rectangle that holds both clouds' plane positions (outer 1% of each left out). */
export function couplingBounds(preview: CouplingPreview): DataBounds | undefined {
  const source = robustBounds(preview.source, 2);
  const target = robustBounds(preview.target, 2);
  const both = source && target ? [source, target] : source ? [source] : target ? [target] : [];
  if (both.length === 0) return undefined;
  return padBounds(
    {
      xMin: Math.min(...both.map((b) => b.xMin)),
      xMax: Math.max(...both.map((b) => b.xMax)),
      yMin: Math.min(...both.map((b) => b.yMin)),
      yMax: Math.max(...both.map((b) => b.yMax)),
    },
    0.08,
  );
}

/**
 * The plan's heaviest `limit` lines onto `context`, lightest first so heavy ones lie on top;
 * returns how many were visible (opacity at least half a step of 8-bit alpha).
 */
export function drawPlanLines(
  context: CanvasRenderingContext2D,
  view: PlotView,
  preview: CouplingPreview,
  lineWidth: number,
  limit = Infinity,
): number {
  const { segments, mass } = preview.lines;
  const count = Math.min(mass.length, limit);
  if (count === 0 || !(preview.maxMass > 0)) return 0;
  const scale = opacityScale(mass.subarray(0, count), preview.maxMass);
  context.strokeStyle = `rgb(${COUPLING_COLOURS.line})`;
  context.lineWidth = lineWidth;
  let drawn = 0;
  let level = -1;
  const stroke = () => {
    if (level > 0) {
      context.globalAlpha = level / OPACITY_LEVELS;
      context.stroke();
    }
  };
  // Lines come heaviest first: walking back, each opacity level is one run of lines, one stroke.
  for (let k = count - 1; k >= 0; k--) {
    const next = Math.round((scale * mass[k]! * OPACITY_LEVELS) / preview.maxMass);
    if (next === 0) continue;
    if (next !== level) {
      stroke();
      context.beginPath();
      level = next;
    }
    context.moveTo(toPixelX(view, segments[4 * k]!), toPixelY(view, segments[4 * k + 1]!));
    context.lineTo(toPixelX(view, segments[4 * k + 2]!), toPixelY(view, segments[4 * k + 3]!));
    drawn++;
  }
  stroke();
  context.globalAlpha = 1;
  return drawn;
}

/** Plane positions [rows, 2] as dots. */
export function drawPlanePoints(
  context: CanvasRenderingContext2D,
  view: PlotView,
  points: Float32Array,
  colour: string,
  size: number,
): void {
  context.fillStyle = colour;
  for (let p = 0; p + 1 < points.length; p += 2) {
    const x = toPixelX(view, points[p]!);
    const y = toPixelY(view, points[p + 1]!);
    if (x < -size || y < -size || x > view.width + size || y > view.height + size) continue;
    context.fillRect(x - size / 2, y - size / 2, size, size);
  }
}

/**
 * Plane positions [rows, 2] as dots coloured by a value per point (a dual potential), on the
 * colour table from the cloud's smallest value to its largest; returns that range.
 */
export function drawValuedPoints(
  context: CanvasRenderingContext2D,
  view: PlotView,
  points: Float32Array,
  values: Float32Array,
  size: number,
): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  const span = max > min ? max - min : 1;
  for (let r = 0; 2 * r + 1 < points.length && r < values.length; r++) {
    const x = toPixelX(view, points[2 * r]!);
    const y = toPixelY(view, points[2 * r + 1]!);
    if (x < -size || y < -size || x > view.width + size || y > view.height + size) continue;
    const k = 3 * Math.round((255 * (values[r]! - min)) / span);
    context.fillStyle = `rgb(${COLOUR_TABLE[k]},${COLOUR_TABLE[k + 1]},${COLOUR_TABLE[k + 2]})`;
    context.fillRect(x - size / 2, y - size / 2, size, size);
  }
  return { min, max };
}

/** Decades of mass the log colour scale spans below the largest cell. */
export const LOG_DECADES = 6;

/** Viridis at five stops, interpolated into a 256-entry lookup table. */
const VIRIDIS_STOPS: readonly (readonly [number, number, number])[] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];
const COLOUR_TABLE = (() => {
  const table = new Uint8ClampedArray(256 * 3);
  for (let k = 0; k < 256; k++) {
    const position = (k / 255) * (VIRIDIS_STOPS.length - 1);
    const low = Math.min(VIRIDIS_STOPS.length - 2, Math.floor(position));
    const fraction = position - low;
    for (let c = 0; c < 3; c++) {
      const a = VIRIDIS_STOPS[low]![c]!;
      const b = VIRIDIS_STOPS[low + 1]![c]!;
      table[3 * k + c] = Math.round(a + (b - a) * fraction);
    }
  }
  return table;
})();

/** A colour-table position in [0, 1] for a cell's mass, linear in mass or in its log. */
export function heatLevel(value: number, max: number, log: boolean): number {
  if (!(value > 0) || !(max > 0)) return 0;
  if (!log) return Math.min(1, value / max);
  return Math.min(1, Math.max(0, 1 + Math.log10(value / max) / LOG_DECADES));
}

/** The heat map as RGBA, one pixel per cell (cols wide, rows high); empty cells are background. */
export function heatMapRgba(heat: CouplingPreview['heat'], log: boolean): Uint8ClampedArray {
  const { values } = heat;
  let max = 0;
  for (let k = 0; k < values.length; k++) max = Math.max(max, values[k]!);
  const rgba = new Uint8ClampedArray(values.length * 4);
  for (let k = 0; k < values.length; k++) {
    const level = heatLevel(values[k]!, max, log);
    const entry = 3 * Math.round(level * 255);
    const empty = !(values[k]! > 0);
    rgba[4 * k] = empty ? 13 : COLOUR_TABLE[entry]!;
    rgba[4 * k + 1] = empty ? 15 : COLOUR_TABLE[entry + 1]!;
    rgba[4 * k + 2] = empty ? 20 : COLOUR_TABLE[entry + 2]!;
    rgba[4 * k + 3] = 255;
  }
  return rgba;
}

/** The CSS gradient of the colour table, for a colour bar. */
export const HEAT_GRADIENT = `linear-gradient(to right, ${VIRIDIS_STOPS.map(
  ([r, g, b]) => `rgb(${r},${g},${b})`,
).join(', ')})`;

/** Where a heat map of rows × cols cells lands inside width × height: square cells, centred. */
export function heatMapRect(
  heat: { rows: number; cols: number },
  width: number,
  height: number,
  margin: number,
): { x: number; y: number; width: number; height: number } {
  const fit = Math.max(
    0,
    Math.min((width - 2 * margin) / heat.cols, (height - 2 * margin) / heat.rows),
  );
  // Whole pixels per cell where cells are at least a pixel, so every cell is drawn the same size.
  const scale = fit >= 1 ? Math.floor(fit) : fit;
  const w = heat.cols * scale;
  const h = heat.rows * scale;
  return { x: (width - w) / 2, y: (height - h) / 2, width: w, height: h };
}

/** The heat map scaled into `rect` without smoothing (each cell a sharp block). */
export function drawHeatMap(
  context: CanvasRenderingContext2D,
  heat: CouplingPreview['heat'],
  log: boolean,
  rect: { x: number; y: number; width: number; height: number },
): void {
  if (heat.rows === 0 || heat.cols === 0) return;
  const small = new OffscreenCanvas(heat.cols, heat.rows);
  const smallContext = small.getContext('2d');
  if (!smallContext) return;
  const image = new ImageData(heat.cols, heat.rows);
  image.data.set(heatMapRgba(heat, log));
  smallContext.putImageData(image, 0, 0);
  context.save();
  context.imageSmoothingEnabled = false;
  context.drawImage(small, rect.x, rect.y, rect.width, rect.height);
  context.restore();
}
