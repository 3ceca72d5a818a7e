// The inspector's reading of param schemas: widgets, ranges, defaults, visibleWhen, errors.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { catalogue } from '../../graph-nodes';
import {
  describeParams,
  isFieldVisible,
  logSlider,
  paramError,
  paramValue,
  sliderRange,
  type ParamField,
} from '../../renderer/inspector/param-fields';

const fieldsOf = (type: string) => describeParams(catalogue.get(type)!);
const field = (type: string, name: string) => fieldsOf(type).find((f) => f.name === name)!;

describe('describeParams', () => {
  it('reads a slider with its integer range and step', () => {
    expect(field('karras-timesteps', 'steps')).toMatchObject({
      widget: 'slider',
      integer: true,
      min: 1,
      max: 1000,
      step: 1,
      defaultValue: 20,
      title: 'Steps',
    });
  });

  it('reads selects with their options, seeds, JSON and file params', () => {
    const algorithm = field('solver', 'algorithm');
    expect(algorithm.widget).toBe('select');
    expect(algorithm.options).toEqual(expect.arrayContaining(['euler', 'heun']));
    expect(field('solver', 'seed').widget).toBe('seed');
    expect(field('gmm-denoiser', 'means').widget).toBe('json');
    expect(field('gmm-denoiser', 'means').defaultValue).toHaveLength(8);
    expect(field('load-npy', 'path')).toMatchObject({ widget: 'file', extensions: ['.npy'] });
  });

  it('leaves unbounded sides open', () => {
    // Every catalogue number is bounded (graph files are untrusted), so a schema of its own.
    const [noise] = describeParams({
      ...catalogue.get('toy-data-2d')!,
      params: z.object({ noise: z.number().min(0).default(0.05) }),
    }) as [ParamField];
    expect(noise.min).toBe(0);
    expect(noise.max).toBeUndefined();
    expect(sliderRange(noise)).toEqual({ min: 0, max: 2 });
  });
});

describe('slider ranges', () => {
  const sliders = catalogue.list().flatMap((definition) =>
    describeParams(definition)
      .filter((f) => f.widget === 'slider')
      .map((f) => [`${definition.type}.${f.name}`, f] as const),
  );

  it('finds the sliders', () => {
    expect(sliders.length).toBeGreaterThanOrEqual(10);
  });

  it.each(sliders)('%s: a fixed range that holds its default away from the ends', (_, f) => {
    const range = sliderRange(f);
    const fallback = Number(f.defaultValue);
    // The range is a property of the param, not of its value: nothing to run away with.
    expect(range.max).toBeGreaterThan(range.min);
    expect(range.max - range.min).toBeLessThanOrEqual(1000);
    const log = f.scale === 'log';
    if (log) expect(range.min).toBeGreaterThan(0);
    const position = (value: number) =>
      log
        ? (Math.log10(value) - Math.log10(range.min)) /
          (Math.log10(range.max) - Math.log10(range.min))
        : (value - range.min) / (range.max - range.min);
    // Defaults sit on the track, not pinned to an end (γ = 0 and φ-like params may start at 0).
    expect(position(fallback)).toBeGreaterThanOrEqual(0);
    expect(position(fallback)).toBeLessThanOrEqual(0.9);
  });

  it('moves ρ, steps, ε and guidance scales over the ranges people use', () => {
    expect(sliderRange(field('karras-timesteps', 'rho'))).toEqual({ min: 1, max: 10 });
    expect(sliderRange(field('karras-timesteps', 'steps'))).toEqual({ min: 1, max: 200 });
    expect(field('karras-timesteps', 'steps').scale).toBe('log');
    expect(sliderRange(field('cfg', 'scale'))).toEqual({ min: 0, max: 15 });
    expect(sliderRange(field('entropic-ot', 'epsilon'))).toEqual({ min: 1e-3, max: 10 });
  });

  it('maps a log slider’s position to readable values, integers for integer params', () => {
    expect(logSlider.value(Math.log10(20))).toBe(20);
    expect(logSlider.value(0.123)).toBe(1.33);
    expect(logSlider.value(Math.log10(19.6), true)).toBe(20);
    expect(logSlider.position(1e6, { min: 1, max: 200 })).toBeCloseTo(Math.log10(200), 12);
  });
});

describe('visibleWhen', () => {
  it('shows a solver param only for the algorithms that read it', () => {
    const fields = fieldsOf('solver');
    const churn = fields.find((f) => f.name === 's_churn')!;
    const readers = churn.visibleWhen?.['algorithm'] ?? [];
    const algorithms = fields.find((f) => f.name === 'algorithm')!.options!;
    const nonReader = algorithms.find((name) => !readers.includes(name));
    expect(readers.length).toBeGreaterThan(0);
    expect(nonReader).toBeDefined();
    expect(isFieldVisible(churn, fields, { algorithm: readers[0] })).toBe(true);
    expect(isFieldVisible(churn, fields, { algorithm: nonReader })).toBe(false);
    // An absent param counts as its default.
    const defaultAlgorithm = paramValue(
      fields.find((f) => f.name === 'algorithm')!,
      {},
    );
    expect(isFieldVisible(churn, fields, {})).toBe(readers.includes(defaultAlgorithm as string));
    expect(
      isFieldVisible(
        fields.find((f) => f.name === 'algorithm')!,
        fields,
        {},
      ),
    ).toBe(true);
  });
});

describe('paramError', () => {
  it('reports an out-of-range value instead of clamping it', () => {
    expect(paramError(field('karras-timesteps', 'steps'), 5000)).toMatch(/1000/);
    expect(paramError(field('karras-timesteps', 'steps'), 2.5)).toMatch(/int/i);
    expect(paramError(field('karras-timesteps', 'steps'), 30)).toBeNull();
  });

  it('reports a wrongly shaped JSON value', () => {
    expect(paramError(field('gmm-denoiser', 'means'), [[1, 'a']])).toMatch(/number/);
    expect(paramError(field('gmm-denoiser', 'means'), [[1, 2]])).toBeNull();
  });

  it('reports an unknown option', () => {
    expect(paramError(field('solver', 'algorithm'), 'no-such-method')).not.toBeNull();
  });
});
