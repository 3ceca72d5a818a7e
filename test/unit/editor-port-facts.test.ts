// Hover facts of ports after a run, from real engine values.
import { describe, expect, it } from 'vitest';
import { describePortValue } from '../../renderer/engine/port-facts';
import type { ValueOf } from '../../graph-nodes';

describe('describePortValue', () => {
  it('gives samples and data sets their count and per-point shape', () => {
    const samples = { points: { shape: [2000, 2] }, shape: [2] } as unknown as ValueOf['samples'];
    expect(describePortValue('samples', samples)).toBe('samples 2000 × [2]');
    const images = {
      points: { shape: [16, 784] },
      shape: [1, 28, 28],
    } as unknown as ValueOf['samples'];
    expect(describePortValue('samples', images)).toBe('samples 16 × [1, 28, 28]');
    const dataset = {
      name: 'fashion-mnist',
      points: { shape: [2000, 3072] },
      shape: [3, 32, 32],
    } as unknown as ValueOf['dataset'];
    expect(describePortValue('dataset', dataset)).toBe(
      'dataset "fashion-mnist" 2000 × [3, 32, 32]',
    );
  });

  it('gives timesteps their σ̃ range and step count', () => {
    const timesteps = {
      sigmaTilde: Float64Array.from([80, 40, 10, 1, 0.002, 0]),
    } as unknown as ValueOf['timesteps'];
    expect(describePortValue('timesteps', timesteps)).toBe('σ̃ from 80 to 0, 5 steps');
  });

  it('gives a schedule its σ̃ range between its end times', () => {
    const schedule = {
      name: 'edm',
      tMin: 0.002,
      tMax: 80,
      sigmaTilde: (t: number) => t,
    } as unknown as ValueOf['schedule'];
    expect(describePortValue('schedule', schedule)).toBe('schedule edm, σ̃ from 80 to 0.002');
  });

  it('describes models by the shape they take, trajectories and metrics', () => {
    expect(describePortValue('denoiser', { dim: 2 } as ValueOf['denoiser'])).toBe(
      'denoiser on [2]',
    );
    expect(
      describePortValue('denoiser', {
        dim: 784,
        shape: [1, 28, 28],
      } as unknown as ValueOf['denoiser']),
    ).toBe('denoiser on [1, 28, 28]');
    expect(
      describePortValue('classifier', {
        dim: 784,
        shape: [1, 28, 28],
        classes: [0, 1, 2],
      } as unknown as ValueOf['classifier']),
    ).toBe('classifier on [1, 28, 28], 3 classes');
    expect(describePortValue('flowmap', { dim: 2 } as ValueOf['flowmap'])).toBe('flow map on [2]');
    const trajectory = {
      n: 16,
      dim: 784,
      shape: [1, 28, 28],
      frames: [{}, {}, {}],
      nfe: 4,
    } as unknown as ValueOf['trajectory'];
    expect(describePortValue('trajectory', trajectory)).toBe(
      'trajectory of 3 frames × 16 × [1, 28, 28], 4 NFE',
    );
    expect(describePortValue('metrics', { values: { mmd: 0.0123456 } })).toBe('mmd = 0.01235');
  });
});
