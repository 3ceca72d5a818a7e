// The data rectangle a scatter plot shows and its map to canvas pixels. Axes keep equal scale
// so circles in the data look like circles on screen.

export interface DataBounds {
  readonly xMin: number;
  readonly xMax: number;
  readonly yMin: number;
  readonly yMax: number;
}

export interface PlotView extends DataBounds {
  /** Canvas size in device pixels. */
  readonly width: number;
  readonly height: number;
}

export function padBounds(bounds: DataBounds, fraction: number): DataBounds {
  const padX = (bounds.xMax - bounds.xMin) * fraction || 1;
  const padY = (bounds.yMax - bounds.yMin) * fraction || 1;
  return {
    xMin: bounds.xMin - padX,
    xMax: bounds.xMax + padX,
    yMin: bounds.yMin - padY,
    yMax: bounds.yMax + padY,
  };
}

/** Widens the shorter side of `bounds` so one data unit is the same number of pixels on both axes. */
export function fitView(bounds: DataBounds, width: number, height: number): PlotView {
  const dataWidth = bounds.xMax - bounds.xMin;
  const dataHeight = bounds.yMax - bounds.yMin;
  const scale = Math.min(width / dataWidth, height / dataHeight);
  const halfWidth = width / scale / 2;
  const halfHeight = height / scale / 2;
  const centreX = (bounds.xMin + bounds.xMax) / 2;
  const centreY = (bounds.yMin + bounds.yMax) / 2;
  return {
    xMin: centreX - halfWidth,
    xMax: centreX + halfWidth,
    yMin: centreY - halfHeight,
    yMax: centreY + halfHeight,
    width,
    height,
  };
}

export function toPixelX(view: PlotView, x: number): number {
  return ((x - view.xMin) / (view.xMax - view.xMin)) * view.width;
}

/** Data y grows upwards, canvas y downwards. */
export function toPixelY(view: PlotView, y: number): number {
  return ((view.yMax - y) / (view.yMax - view.yMin)) * view.height;
}

/** Bounds of a flat [n, dim] array's first two coordinates, ignoring the outer 1% on each side. */
export function robustBounds(values: Float32Array, dim: number): DataBounds | undefined {
  const count = Math.floor(values.length / dim);
  if (count === 0 || dim < 2) return undefined;
  const xs = new Float32Array(count);
  const ys = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    xs[i] = values[i * dim]!;
    ys[i] = values[i * dim + 1]!;
  }
  xs.sort();
  ys.sort();
  const low = Math.floor(count * 0.01);
  const high = Math.max(low, Math.ceil(count * 0.99) - 1);
  return { xMin: xs[low]!, xMax: xs[high]!, yMin: ys[low]!, yMax: ys[high]! };
}
