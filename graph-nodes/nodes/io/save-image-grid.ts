// Shows image-shaped samples as images: a grid PNG of the first points, one tile per point.
import { z } from 'zod';
import { defineNode } from '../../core/node-definition';
import { isTrajectory } from '../../core/samples';
import { encodePng } from '../../math/png';

/** Gray between tiles, so tiles with a black background stay apart. */
const GAP_VALUE = 128;

export default defineNode({
  type: 'save-image-grid',
  version: 1,
  kind: 'io',
  title: 'Save image grid (.png)',
  description:
    'Writes the first points of its input as a grid of grayscale images to a PNG file: each ' +
    'point of dimension width × height is one tile (row-major pixels), its values mapped from ' +
    '[range_min, range_max] to black…white. A trajectory contributes its final frame.',
  section: 'I/O (no monograph section: looking at samples)',
  formula: 'pixel = round(255 · clamp((x − range_min)/(range_max − range_min), 0, 1))',
  inputs: {
    value: {
      accepts: ['samples', 'dataset', 'trajectory'],
      required: true,
      description: 'The images to draw, [n, width·height]; of a trajectory, its last frame.',
    },
  },
  outputs: {},
  params: z.object({
    path: z
      .string()
      .default('')
      .meta({
        title: 'File',
        widget: 'file',
        extensions: ['.png'],
        description: 'Where to write the PNG file (replaced if it exists).',
      }),
    count: z.number().int().min(1).max(10_000).default(64).meta({
      title: 'Images',
      widget: 'number',
      description: 'How many points to draw (the first ones).',
    }),
    columns: z.number().int().min(0).max(1000).default(0).meta({
      title: 'Columns',
      widget: 'number',
      description: 'Tiles per row; 0 makes the grid about square (⌈√count⌉ columns).',
    }),
    image_width: z
      .number()
      .int()
      .min(1)
      .max(4096)
      .default(28)
      .meta({ title: 'Image width', widget: 'number', unit: 'px', description: 'Tile width.' }),
    image_height: z
      .number()
      .int()
      .min(1)
      .max(4096)
      .default(28)
      .meta({ title: 'Image height', widget: 'number', unit: 'px', description: 'Tile height.' }),
    range_min: z
      .number()
      .default(-1)
      .meta({ title: 'Black at', widget: 'number', description: 'The value drawn black.' }),
    range_max: z
      .number()
      .default(1)
      .meta({ title: 'White at', widget: 'number', description: 'The value drawn white.' }),
    zoom: z.number().int().min(1).max(16).default(1).meta({
      title: 'Zoom',
      widget: 'number',
      description: 'Each pixel drawn as a zoom × zoom block (nearest neighbour).',
    }),
    padding: z.number().int().min(0).max(64).default(2).meta({
      title: 'Padding',
      widget: 'number',
      unit: 'px',
      description: 'Gray gap between and around tiles, in output pixels.',
    }),
  }),
  async run(inputs, ctx) {
    const { path, image_width: width, image_height: height, range_min, range_max } = ctx.params;
    if (path.trim() === '') throw new Error('set the path param to the .png file to write');
    if (!(range_max > range_min)) {
      throw new Error(`range_max (${range_max}) must be greater than range_min (${range_min})`);
    }

    const { values, n, dim } = await readPoints(inputs.value);
    if (dim !== width * height) {
      throw new Error(
        `the points have dimension ${dim} but image_width × image_height = ${width} × ${height} = ` +
          `${width * height}; set them so that their product is ${dim}`,
      );
    }
    const grid = layoutGrid(values, Math.min(n, ctx.params.count), ctx.params);
    await ctx.files.write(path, encodePng({ ...grid, channels: 1 }));
    return {};
  },
});

interface GridSettings {
  readonly columns: number;
  readonly image_width: number;
  readonly image_height: number;
  readonly range_min: number;
  readonly range_max: number;
  readonly zoom: number;
  readonly padding: number;
}

/** Tiles the first `count` rows of `values` into one grayscale image. */
export function layoutGrid(
  values: ArrayLike<number>,
  count: number,
  settings: GridSettings,
): { width: number; height: number; pixels: Uint8Array } {
  const { image_width: tileW, image_height: tileH, zoom, padding } = settings;
  const columns = settings.columns > 0 ? settings.columns : Math.ceil(Math.sqrt(count));
  const rows = Math.max(1, Math.ceil(count / columns));
  const cellW = tileW * zoom + padding;
  const cellH = tileH * zoom + padding;
  const width = columns * cellW + padding;
  const height = rows * cellH + padding;
  const pixels = new Uint8Array(width * height).fill(GAP_VALUE);
  const span = settings.range_max - settings.range_min;

  for (let k = 0; k < count; k++) {
    const left = padding + (k % columns) * cellW;
    const top = padding + Math.floor(k / columns) * cellH;
    for (let y = 0; y < tileH * zoom; y++) {
      const source = k * tileW * tileH + Math.floor(y / zoom) * tileW;
      const target = (top + y) * width + left;
      for (let x = 0; x < tileW * zoom; x++) {
        const unit = (values[source + Math.floor(x / zoom)]! - settings.range_min) / span;
        // NaN (a diverged sampler) is drawn black rather than failing the save.
        pixels[target + x] = Number.isNaN(unit)
          ? 0
          : Math.round(255 * Math.min(1, Math.max(0, unit)));
      }
    }
  }
  return { width, height, pixels };
}

async function readPoints(
  value: Parameters<typeof isTrajectory>[0],
): Promise<{ values: ArrayLike<number>; n: number; dim: number }> {
  if (isTrajectory(value)) {
    const last = value.frames.at(-1);
    if (!last) throw new Error('the trajectory has no frames');
    return { values: last.x, n: value.n, dim: value.dim };
  }
  const [n, dim] = value.points.shape;
  return { values: await value.points.data(), n, dim };
}
