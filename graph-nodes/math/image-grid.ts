// Image-shaped points as one picture: the first points tiled in a grid, each drawn from its
// channels-first values ([1, H, W] gray, [3, H, W] RGB) with a value range mapped to 0…255.
// The Save image grid node writes it as a PNG; the app's previews and exports draw the same grid.

/** Gray between tiles, so tiles with a black background stay apart. */
const GAP_VALUE = 128;

/** How one point is drawn: C channels (1 gray, 3 RGB) of H × W pixels, channels first. */
export interface TileLayout {
  readonly channels: 1 | 3;
  readonly height: number;
  readonly width: number;
}

export interface GridSettings {
  /** Tiles per row; 0 makes the grid about square (⌈√count⌉ columns). */
  readonly columns: number;
  readonly layout: TileLayout;
  /** The value drawn black (0). */
  readonly rangeMin: number;
  /** The value drawn white (255). */
  readonly rangeMax: number;
  /** Each pixel drawn as a zoom × zoom block. */
  readonly zoom: number;
  /** Gray gap between and around tiles, in output pixels. */
  readonly padding: number;
}

export interface GridImage {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
  /** Row-major, `channels` bytes per pixel (RGB interleaved), top row first. */
  readonly pixels: Uint8Array;
}

/** Tiles the first `count` points of row-major `values` (each of `layout`) into one image. */
export function layoutGrid(
  values: ArrayLike<number>,
  count: number,
  settings: GridSettings,
): GridImage {
  const { layout, zoom, padding } = settings;
  const { channels, width: tileW, height: tileH } = layout;
  const columns = settings.columns > 0 ? settings.columns : Math.ceil(Math.sqrt(count));
  const rows = Math.max(1, Math.ceil(count / columns));
  const cellW = tileW * zoom + padding;
  const cellH = tileH * zoom + padding;
  const width = columns * cellW + padding;
  const height = rows * cellH + padding;
  const pixels = new Uint8Array(width * height * channels).fill(GAP_VALUE);
  const span = settings.rangeMax - settings.rangeMin;
  const plane = tileW * tileH;

  for (let k = 0; k < count; k++) {
    const left = padding + (k % columns) * cellW;
    const top = padding + Math.floor(k / columns) * cellH;
    for (let y = 0; y < tileH * zoom; y++) {
      const sourceRow = k * channels * plane + Math.floor(y / zoom) * tileW;
      const targetRow = ((top + y) * width + left) * channels;
      for (let x = 0; x < tileW * zoom; x++) {
        const source = sourceRow + Math.floor(x / zoom);
        for (let c = 0; c < channels; c++) {
          const unit = (values[source + c * plane]! - settings.rangeMin) / span;
          // NaN (a diverged sampler) is drawn black rather than failing the drawing.
          pixels[targetRow + x * channels + c] = Number.isNaN(unit)
            ? 0
            : Math.round(255 * Math.min(1, Math.max(0, unit)));
        }
      }
    }
  }
  return { width, height, channels, pixels };
}
