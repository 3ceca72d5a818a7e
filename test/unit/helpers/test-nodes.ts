// Small node types for engine tests: real tensors, and counters of how often each node ran.
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { createCatalogue } from '../../../graph-nodes/core/catalogue';
import { defineNode, type AnyNodeDefinition } from '../../../graph-nodes/core/node-definition';
import type { Samples } from '../../../graph-nodes/core/values';

export const runCounts = new Map<string, number>();

function countRun(nodeId: string): void {
  runCounts.set(nodeId, (runCounts.get(nodeId) ?? 0) + 1);
}

function samples(points: tf.Tensor2D): Samples {
  return { points, shape: [points.shape[1]], dispose: () => points.dispose() };
}

export const constantSource = defineNode({
  type: 'test-constant',
  version: 1,
  kind: 'data',
  title: 'Constant points',
  description: 'n points all equal to value.',
  section: '-',
  inputs: {},
  outputs: { samples: { type: 'samples', description: 'the points' } },
  params: z.object({ n: z.number().int().min(1).default(4), value: z.number().default(1) }),
  run(_inputs, ctx) {
    countRun(ctx.nodeId);
    return { samples: samples(tf.fill([ctx.params.n, 2], ctx.params.value) as tf.Tensor2D) };
  },
});

export const scale = defineNode({
  type: 'test-scale',
  version: 1,
  kind: 'analysis',
  title: 'Scale',
  description: 'Multiplies points by factor, in `steps` steps that report progress.',
  section: '-',
  inputs: { samples: { accepts: ['samples', 'dataset'], required: true, description: 'in' } },
  outputs: { samples: { type: 'samples', description: 'out' } },
  params: z.object({ factor: z.number().default(2), steps: z.number().int().min(1).default(1) }),
  async run(inputs, ctx) {
    countRun(ctx.nodeId);
    for (let step = 1; step <= ctx.params.steps; step++) {
      await ctx.checkpoint();
      ctx.progress(step, ctx.params.steps);
      ctx.addNfe(1);
    }
    return { samples: samples(tf.mul(inputs.samples.points, ctx.params.factor) as tf.Tensor2D) };
  },
});

export const sum = defineNode({
  type: 'test-sum',
  version: 1,
  kind: 'analysis',
  title: 'Sum',
  description: 'Adds two point sets.',
  section: '-',
  inputs: {
    a: { accepts: ['samples'], required: true, description: 'first' },
    b: { accepts: ['samples'], required: false, description: 'second' },
  },
  outputs: { samples: { type: 'samples', description: 'a + b' } },
  params: z.object({}),
  run(inputs, ctx) {
    countRun(ctx.nodeId);
    const b = inputs.b;
    return {
      samples: samples(
        b ? (tf.add(inputs.a.points, b.points) as tf.Tensor2D) : inputs.a.points.clone(),
      ),
    };
  },
});

export const failing = defineNode({
  type: 'test-fail',
  version: 1,
  kind: 'analysis',
  title: 'Fail',
  description: 'Always throws.',
  section: '-',
  inputs: { samples: { accepts: ['samples'], required: true, description: 'in' } },
  outputs: { samples: { type: 'samples', description: 'never' } },
  params: z.object({}),
  run() {
    throw new Error('this node always fails');
  },
});

export const testCatalogue = createCatalogue([
  constantSource,
  scale,
  sum,
  failing,
] as unknown as AnyNodeDefinition[]);
