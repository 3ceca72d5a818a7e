// Hover facts of ports after a run, from real engine values.
import { describe, expect, it } from 'vitest';
import { describePortValue } from '../../renderer/engine/port-facts';
import type { ValueOf } from '../../graph-nodes';

describe('describePortValue', () => {
  it('gives samples their shape', () => {
    const samples = { points: { shape: [2000, 2] } } as unknown as ValueOf['samples'];
    expect(describePortValue('samples', samples)).toBe('samples [2000, 2]');
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

  it('describes denoisers, trajectories and metrics', () => {
    expect(describePortValue('denoiser', { dim: 2 } as ValueOf['denoiser'])).toBe(
      'denoiser in 2 dimensions',
    );
    const trajectory = {
      n: 10,
      dim: 2,
      frames: [{}, {}, {}],
      nfe: 4,
    } as unknown as ValueOf['trajectory'];
    expect(describePortValue('trajectory', trajectory)).toBe(
      'trajectory of 3 frames × [10, 2], 4 NFE',
    );
    expect(describePortValue('metrics', { values: { mmd: 0.0123456 } })).toBe('mmd = 0.01235');
  });
});
