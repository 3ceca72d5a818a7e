// Shows image-shaped samples as images: a grid PNG of the first points, one tile per point.
import { z } from 'zod';
import { defineNode } from '../../core/node-definition';
import { isTrajectory } from '../../core/samples';
import { formatShape, imageLayout, type PointShape } from '../../core/shapes';
import { layoutGrid, type TileLayout } from '../../math/image-grid';
import { encodePng } from '../../math/png';
import { coordinate, numberIn, requireAbove, withParamRules } from '../param-rules';

export default defineNode({
  type: 'save-image-grid',
  version: 1,
  kind: 'io',
  title: 'Save image grid (.png)',
  description:
    'Writes the first points of its input as a grid of images to a PNG file, one tile per ' +
    'point: points of shape [1, H, W] or [H, W] are gray tiles, [3, H, W] colour ones ' +
    '(channels first), their values mapped from [range_min, range_max] to black…white. A ' +
    'trajectory contributes its final frame.',
  section: 'I/O (no monograph section: looking at samples)',
  formula: 'pixel = round(255 · clamp((x − range_min)/(range_max − range_min), 0, 1))',
  inputs: {
    value: {
      accepts: ['samples', 'dataset', 'trajectory'],
      required: true,
      description: 'The images to draw, [n, ...S]; of a trajectory, its last frame.',
    },
  },
  outputs: {},
  params: withParamRules(
    z.object({
      path: z
        .string()
        .default('')
        .meta({
          title: 'File',
          widget: 'file',
          access: 'write',
          extensions: ['.png'],
          description: 'Where to write the PNG file (replaced if it exists).',
        }),
      count: numberIn(1, 10_000, { integer: true }).default(64).meta({
        title: 'Images',
        widget: 'number',
        description: 'How many points to draw (the first ones).',
      }),
      columns: numberIn(0, 1000, { integer: true }).default(0).meta({
        title: 'Columns',
        widget: 'number',
        description: 'Tiles per row; 0 makes the grid about square (⌈√count⌉ columns).',
      }),
      image_width: numberIn(0, 4096, { integer: true })
        .default(0)
        .meta({
          title: 'Image width',
          widget: 'number',
          unit: 'px',
          description:
            'Tile width; 0 takes it from the points’ shape. Set width and height to draw flat ' +
            'points of width × height values as gray tiles.',
        }),
      image_height: numberIn(0, 4096, { integer: true }).default(0).meta({
        title: 'Image height',
        widget: 'number',
        unit: 'px',
        description: 'Tile height; 0 takes it from the points’ shape.',
      }),
      range_min: coordinate()
        .default(-1)
        .meta({ title: 'Black at', widget: 'number', description: 'The value drawn black.' }),
      range_max: coordinate()
        .default(1)
        .meta({ title: 'White at', widget: 'number', description: 'The value drawn white.' }),
      zoom: numberIn(1, 16, { integer: true }).default(1).meta({
        title: 'Zoom',
        widget: 'number',
        description: 'Each pixel drawn as a zoom × zoom block (nearest neighbour).',
      }),
      padding: numberIn(0, 64, { integer: true }).default(2).meta({
        title: 'Padding',
        widget: 'number',
        unit: 'px',
        description: 'Gray gap between and around tiles, in output pixels.',
      }),
    }),
    (p, report) => {
      requireAbove(p, 'range_max', 'range_min', report);
      // One tile size alone would be ignored (the points' own layout is used): say so instead.
      if ((p.image_width === 0) !== (p.image_height === 0)) {
        const unset = p.image_width === 0 ? 'image_width' : 'image_height';
        report([unset], 'set image_width and image_height together, or leave both 0');
      }
    },
  ),
  async run(inputs, ctx) {
    const { path, range_min, range_max } = ctx.params;
    if (path.trim() === '') throw new Error('set the path param to the .png file to write');
    const { values, n, shape } = await readPoints(inputs.value);
    const layout = tileLayout(shape, ctx.params.image_width, ctx.params.image_height);
    const grid = layoutGrid(values, Math.min(n, ctx.params.count), {
      columns: ctx.params.columns,
      layout,
      rangeMin: range_min,
      rangeMax: range_max,
      zoom: ctx.params.zoom,
      padding: ctx.params.padding,
    });
    await ctx.files.write(path, encodePng(grid));
    return {};
  },
});

/** The points' own image layout, or gray width × height tiles when both are set. */
function tileLayout(shape: PointShape, width: number, height: number): TileLayout {
  const dim = shape.reduce((a, b) => a * b, 1);
  if (width > 0 && height > 0) {
    if (dim !== width * height) {
      throw new Error(
        `the points have shape ${formatShape(shape)} (${dim} values) but image_width × ` +
          `image_height = ${width} × ${height} = ${width * height}; set them so that their ` +
          `product is ${dim}, or to 0 to use the points' shape`,
      );
    }
    return { channels: 1, width, height };
  }
  const layout = imageLayout(shape);
  if (!layout) {
    throw new Error(
      `points of shape ${formatShape(shape)} are not images ([1, H, W], [3, H, W] or [H, W]); ` +
        'set image_width and image_height to draw them as gray tiles',
    );
  }
  return layout;
}

async function readPoints(
  value: Parameters<typeof isTrajectory>[0],
): Promise<{ values: ArrayLike<number>; n: number; shape: PointShape }> {
  if (isTrajectory(value)) {
    const last = value.frames.at(-1);
    if (!last) throw new Error('the trajectory has no frames');
    return { values: last.x, n: value.n, shape: value.shape };
  }
  return { values: await value.points.data(), n: value.points.shape[0], shape: value.shape };
}
