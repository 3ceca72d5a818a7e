// Brings a user's own point cloud (NumPy .npy, shape [n, d]) into the graph.
import { z } from 'zod';
import { defineNode } from '../../core/node-definition';
import { samplesFromArray } from '../../core/samples';
import { parseNpy } from '../../math/npy';

export default defineNode({
  type: 'load-npy',
  version: 1,
  kind: 'data',
  title: 'Load samples (.npy)',
  description:
    'Reads a NumPy .npy file holding n points of dimension d (a 2-D array [n, d] of float32, ' +
    'float64, int32 or int64) and outputs them as samples.',
  section: '§1 (data distribution p_data)',
  formula: 'x̃ = file[n, d] (as float32)',
  inputs: {},
  outputs: {
    samples: { type: 'samples', description: 'The points of the file, [n, d].' },
  },
  params: z.object({
    path: z
      .string()
      .default('')
      .meta({
        title: 'File',
        widget: 'file',
        extensions: ['.npy'],
        description: 'A .npy file with a 2-D array [n, d]: one point per row.',
      }),
  }),
  async run(_inputs, ctx) {
    const { path } = ctx.params;
    if (path.trim() === '') throw new Error('set the path param to a .npy file');

    let bytes: Uint8Array;
    try {
      bytes = await ctx.files.read(path);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`could not read "${path}": ${reason}`, { cause: error });
    }
    const array = parseNpy(bytes, path);
    const [n, dim] = array.shape;
    if (array.shape.length !== 2 || n === undefined || dim === undefined) {
      throw new Error(
        `${path}: expected a 2-D array [n, d] (one point per row) but found shape ` +
          `(${array.shape.join(', ')}); reshape it in NumPy, e.g. x.reshape(len(x), -1)`,
      );
    }
    if (n === 0 || dim === 0) {
      throw new Error(`${path}: the array (${n}, ${dim}) holds no points`);
    }
    const values = array.data instanceof Int32Array ? Float64Array.from(array.data) : array.data;
    return { samples: samplesFromArray(values, n, dim) };
  },
});
