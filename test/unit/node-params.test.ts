// The params rules every node shares (graph-nodes/nodes/param-rules.ts) and the ones between
// params of one node: a value that cannot run is a compile-time GraphError naming the node, the
// param (down to the entry) and what is expected. The per-area rules (schedules, timesteps,
// mixtures, solver, guidance) are tested beside their nodes; this file holds the rest and what
// holds for every node.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { catalogue, describeCatalogue, formatIssue } from '../../graph-nodes';
import {
  formatLimit,
  numberIn,
  PARAM_LIMITS,
  withParamRules,
} from '../../graph-nodes/nodes/param-rules';
import { badParam, NODE_ID, paramIssues } from './helpers/param-issues';

describe('every node type', () => {
  it('compiles with its default params, and its params object is still a plain ZodObject', () => {
    for (const definition of catalogue.list()) {
      expect(paramIssues(definition.type, {}), definition.type).toEqual([]);
      // The compiler, the docs and the inspector read the shape of the params object.
      expect(definition.params).toBeInstanceOf(z.ZodObject);
      expect(Object.keys(definition.params.shape).length).toBeGreaterThanOrEqual(0);
    }
  });

  it('bounds every number param on both sides (what the docs show as its range)', () => {
    const unbounded: string[] = [];
    for (const entry of describeCatalogue()) {
      const properties = (entry.params as { properties?: Record<string, NumberSchema> }).properties;
      for (const [name, schema] of Object.entries(properties ?? {})) {
        const numbers = [schema, schema.items, schema.items?.items].filter(
          (part): part is NumberSchema => part?.type === 'number' || part?.type === 'integer',
        );
        for (const part of numbers) {
          const low = part.minimum ?? part.exclusiveMinimum;
          const high = part.maximum ?? part.exclusiveMaximum;
          // Mixture weights are normalised, so any positive weight is fine however large.
          const open = entry.type.endsWith('gmm-denoiser') || entry.type === 'exact-classifier';
          if (low === undefined || (high === undefined && !(open && name === 'weights'))) {
            unbounded.push(`${entry.type}.${name}`);
          }
        }
      }
    }
    expect(unbounded).toEqual([]);
  });
});

interface NumberSchema {
  type?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  items?: NumberSchema;
}

describe('param rules', () => {
  it('say the expected range, in the notation a person reads', () => {
    expect(formatLimit(1e6)).toBe('1e6');
    expect(formatLimit(1e-6)).toBe('1e-6');
    expect(formatLimit(1000)).toBe('1000');
    expect(formatLimit(PARAM_LIMITS.classLabel)).toBe('2147483647');
    expect(numberIn(0, 1, { aboveMin: true }).safeParse(0).error?.issues[0]?.message).toBe(
      'expected a number in (0, 1]',
    );
    expect(numberIn(1, 10, { integer: true }).safeParse(2.5).error?.issues[0]?.message).toBe(
      'expected an integer in [1, 10]',
    );
  });

  it('run rules between params only once every param is valid on its own', () => {
    let ran = 0;
    const schema = withParamRules(z.object({ low: z.number().min(0), high: z.number() }), () => {
      ran++;
    });
    expect(schema.safeParse({ low: -1, high: 2 }).success).toBe(false);
    expect(ran).toBe(0);
    expect(schema.safeParse({ low: 1, high: 2 }).success).toBe(true);
    expect(ran).toBe(1);
    // Still a ZodObject with its shape, as the compiler, docs and inspector need.
    expect(schema).toBeInstanceOf(z.ZodObject);
    expect(Object.keys(schema.shape)).toEqual(['low', 'high']);
  });

  it('are reported as GraphErrors naming node, param and value, as the CLI prints them', () => {
    const [issue] = paramIssues('gaussian-flowmap', { mean: [0, 0, 0], std: [1, 1] });
    expect(formatIssue(issue!)).toBe(
      `node "${NODE_ID}" param "std": bad value [1,1]: ` +
        'expected one std per axis of the mean (3), got 2',
    );
  });
});

describe('flow maps', () => {
  it('gaussian-flowmap needs one finite std ≥ 0 per axis of the mean', () => {
    expect(paramIssues('gaussian-flowmap', { mean: [0, 0, 0], std: [1, 1] })).toEqual([
      badParam('std', 'expected one std per axis of the mean (3), got 2'),
    ]);
    expect(paramIssues('gaussian-flowmap', { mean: [], std: [] })).toEqual([
      badParam('mean', 'expected at least one axis'),
      badParam('std', 'expected at least one axis'),
    ]);
    expect(paramIssues('gaussian-flowmap', { mean: [0, 1e300], std: [1, -1] })).toEqual([
      badParam('mean[1]', 'expected a number in [-1e6, 1e6]'),
      badParam('std[1]', 'expected a standard deviation in [0, 1e6]'),
    ]);
  });

  it('learned flow maps need teacher levels with σ_max above σ_min', () => {
    for (const type of ['consistency-flowmap', 'ctm-flowmap', 'meanflow-flowmap']) {
      expect(paramIssues(type, { sigma_min: 10, sigma_max: 5 })).toEqual([
        badParam('sigma_max', 'must be greater than sigma_min = 10 (got 5)'),
      ]);
      expect(paramIssues(type, { sigma_data: 0 })).toEqual([
        badParam('sigma_data', 'expected a standard deviation in (0, 1e6]'),
      ]);
    }
  });

  it('the sampler and the teacher take noise levels and tolerances a run can meet', () => {
    expect(paramIssues('flowmap-sampler', { sigma_min: 0, rho: 1000, jumps: 0 })).toEqual([
      badParam('jumps', 'expected an integer in [1, 256]'),
      badParam('sigma_min', 'expected a noise level σ̃ in [1e-6, 1e6]'),
      badParam('rho', 'expected an exponent ρ in [0.1, 100]'),
    ]);
    expect(paramIssues('teacher-flowmap', { rtol: 1e-300, sigma_end: 1e9 })).toEqual([
      badParam('rtol', 'expected a tolerance in [1e-8, 1]'),
      badParam('sigma_end', 'expected a noise level σ̃ in [1e-6, 1e6]'),
    ]);
  });
});

describe('learned and ONNX denoisers', () => {
  it('mlp-denoiser keeps its training noise levels finite', () => {
    expect(paramIssues('mlp-denoiser', { p_mean: 800, p_std: 0 })).toEqual([
      badParam('p_mean', 'expected a number in [-10, 10]'),
      badParam('p_std', 'expected a number in (0, 10]'),
    ]);
  });

  it('onnx-denoiser takes an int32 class label and a bounded batch', () => {
    expect(paramIssues('onnx-denoiser', { class_label: 2 ** 31, batch_size: 0 })).toEqual([
      badParam('class_label', 'expected a class label (an integer) in [0, 2147483647]'),
      badParam('batch_size', 'expected an integer in [1, 65536]'),
    ]);
  });
});

describe('data, io and analysis', () => {
  it('toy-data-2d bounds its count and its jitter', () => {
    expect(paramIssues('toy-data-2d', { count: 2_000_000, noise: 1e300 })).toEqual([
      badParam('count', 'expected an integer in [1, 1e6]'),
      badParam('noise', 'expected a number in [0, 1000]'),
    ]);
  });

  it('save-image-grid needs a non-empty value range and both tile sizes or neither', () => {
    expect(paramIssues('save-image-grid', { range_min: 1, range_max: 1 })).toEqual([
      badParam('range_max', 'must be greater than range_min = 1 (got 1)'),
    ]);
    expect(paramIssues('save-image-grid', { image_width: 28 })).toEqual([
      badParam('image_height', 'set image_width and image_height together, or leave both 0'),
    ]);
    expect(paramIssues('save-image-grid', { image_width: 28, image_height: 28 })).toEqual([]);
  });

  it('metrics and compare bound the MMD bandwidth', () => {
    for (const type of ['metrics', 'compare']) {
      expect(paramIssues(type, { mmd_bandwidth: 1e300 })).toEqual([
        badParam('mmd_bandwidth', 'expected a number in [0, 1e6]'),
      ]);
    }
  });
});
