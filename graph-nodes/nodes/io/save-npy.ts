// Writes a point cloud or a whole trajectory to a NumPy .npy file, for analysis outside the app.
import { z } from 'zod';
import { defineNode } from '../../core/node-definition';
import { valueToNpy } from '../../core/samples';

export default defineNode({
  type: 'save-npy',
  version: 1,
  kind: 'io',
  title: 'Save .npy',
  description:
    'Writes its input to a NumPy .npy file: samples or a data set as float32 [n, d], a ' +
    'trajectory as float32 [frames, n, d] (the points x̃ at every recorded step), a coupling ' +
    'as its plan π, float64 [n, m].',
  section: 'I/O (no monograph section: exchange with NumPy)',
  inputs: {
    value: {
      accepts: ['samples', 'dataset', 'trajectory', 'coupling'],
      required: true,
      description: 'What to save.',
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
        access: 'write',
        extensions: ['.npy'],
        description: 'Where to write the .npy file (replaced if it exists).',
      }),
  }),
  async run(inputs, ctx) {
    const { path } = ctx.params;
    if (path.trim() === '') throw new Error('set the path param to the .npy file to write');
    const bytes = await valueToNpy(inputs.value);
    await ctx.files.write(path, bytes);
    return {};
  },
});
