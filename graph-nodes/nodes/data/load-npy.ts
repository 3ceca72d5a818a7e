// Brings a user's own points into the graph from a NumPy .npy file [n, ...S]: a 2-D point cloud
// [n, 2], flat vectors [n, 784], images [n, 1, 28, 28] — each row one point of shape S.
import { z } from 'zod';
import { defineNode } from '../../core/node-definition';
import { readParamFile } from '../../core/param-files';
import { samplesFromArray } from '../../core/samples';
import { formatShape, pointShapeOfArray, shapeProblem } from '../../core/shapes';
import { parseNpy, parseNpyUint8, readNpyHeader } from '../../math/npy';

const UNSIGNED_BYTES = new Set(['|u1', '<u1']);
const NPY_FILE = { param: 'path', kind: 'a .npy file' };

export default defineNode({
  type: 'load-npy',
  version: 1,
  kind: 'data',
  title: 'Load samples (.npy)',
  description:
    'Reads a NumPy .npy file of n points, an array [n, ...S] (float32, float64, int32, int64 or ' +
    'uint8, C order), and outputs them as samples of per-point shape S: [n, d] gives points of ' +
    'dimension d, [n, 1, 28, 28] one-channel images. A 1-D array [n] is n points of shape [1].',
  section: '§1 (data distribution p_data)',
  formula: 'x̃ = file[n, ...S] (as float32)',
  inputs: {},
  outputs: {
    samples: { type: 'samples', description: 'The points of the file, [n, ...S].' },
  },
  params: z.object({
    path: z
      .string()
      .default('')
      .meta({
        title: 'File',
        widget: 'file',
        extensions: ['.npy'],
        description: 'A .npy file with an array [n, ...S]: one point per entry of the first axis.',
      }),
  }),
  async probeFacts(params, files) {
    const header = readNpyHeader(await readParamFile(files, params.path, NPY_FILE), params.path);
    const note = `${params.path} holds an array (${header.shape.join(', ')})`;
    return { samples: { shape: pointShapeOfArray(header.shape), note } };
  },
  async run(_inputs, ctx) {
    const { path } = ctx.params;
    const bytes = await readParamFile(ctx.files, path, NPY_FILE);
    const { descr, shape: arrayShape } = readNpyHeader(bytes, path);
    const array = UNSIGNED_BYTES.has(descr) ? parseNpyUint8(bytes, path) : parseNpy(bytes, path);
    const [n] = arrayShape;
    if (n === undefined) {
      throw new Error(`${path}: the array is a single number (shape ()); save an array [n, ...]`);
    }
    const shape = pointShapeOfArray(arrayShape);
    const problem = shapeProblem(shape);
    if (problem) {
      throw new Error(
        `${path}: the points have shape ${formatShape(shape)} (array (${arrayShape.join(', ')})); ${problem}`,
      );
    }
    if (n === 0 || array.data.length === 0) {
      throw new Error(`${path}: the array (${arrayShape.join(', ')}) holds no points`);
    }
    const values =
      array.data instanceof Float32Array || array.data instanceof Float64Array
        ? array.data
        : Float32Array.from(array.data);
    return { samples: samplesFromArray(values, n, shape) };
  },
});
