// diffusers' timestep spacings on discrete tables, and their continuous analogues.
import { describe, expect, it } from 'vitest';
import uniformNode from '../../graph-nodes/nodes/timesteps/uniform';
import { ddpmSchedule } from '../../graph-nodes/schedules/ddpm';
import { vpLinearSchedule } from '../../graph-nodes/schedules/vp-linear';
import { roundHalfEven } from '../../graph-nodes/timesteps/round-half-even';
import {
  leadingTableTimes,
  linspaceTableTimes,
  spacedTimes,
  trailingTableTimes,
} from '../../graph-nodes/timesteps/spacing';
import { makeTestContext } from './helpers/run-context';

const sd = ddpmSchedule({
  betaSchedule: 'scaled_linear',
  betaStart: 0.00085,
  betaEnd: 0.012,
  trainSteps: 1000,
  zeroTerminalSnr: false,
});
const vp = vpLinearSchedule({ betaMin: 0.1, betaMax: 20, tEps: 1e-3 });

describe('roundHalfEven (numpy round)', () => {
  it('sends halves to the even neighbour and everything else to the nearest', () => {
    expect([0.5, 1.5, 2.5, 166.5, 499.5, 832.5, -0.5, -1.5].map(roundHalfEven)).toEqual([
      0, 2, 2, 166, 500, 832, 0, -2,
    ]);
    expect([0.49, 0.51, 3, 7.2, 7.8].map(roundHalfEven)).toEqual([0, 1, 3, 7, 8]);
  });
});

describe('diffusers spacings on a 1000-entry table', () => {
  it('linspace is round(linspace(0, 999, N)) reversed, halves to even (numpy)', () => {
    expect(Array.from(linspaceTableTimes(7, 0, 999))).toEqual([999, 832, 666, 500, 333, 166, 0]);
    expect(Array.from(linspaceTableTimes(5, 0, 999))).toEqual([999, 749, 500, 250, 0]);
    expect(Array.from(linspaceTableTimes(50, 0, 999).subarray(0, 5))).toEqual([
      999, 979, 958, 938, 917,
    ]);
    expect(Array.from(linspaceTableTimes(1, 0, 999))).toEqual([0]);
  });

  it('leading for N = 50 is 980, 960, …, 0 and never reaches 999', () => {
    const times = leadingTableTimes(50, 1000, 0);
    expect(times.length).toBe(50);
    expect(times[0]).toBe(980);
    expect(times[49]).toBe(0);
    expect(times).not.toContain(999);
    expect(Array.from(leadingTableTimes(7, 1000, 1))).toEqual([853, 711, 569, 427, 285, 143, 1]);
  });

  it('trailing starts at 999 and steps by T/N (numpy rounding)', () => {
    const times = trailingTableTimes(50, 1000);
    expect(times[0]).toBe(999);
    expect(Array.from(times.subarray(47))).toEqual([59, 39, 19]);
    expect(Array.from(trailingTableTimes(7, 1000))).toEqual([999, 856, 713, 570, 428, 285, 142]);
    expect(Array.from(trailingTableTimes(3, 1000))).toEqual([999, 666, 332]);
  });

  it('refuses more steps than table entries, and an offset past the table', () => {
    expect(() => linspaceTableTimes(1001, 0, 999)).toThrow(/1001 steps/);
    expect(() => trailingTableTimes(1001, 1000)).toThrow(/1001 steps/);
    expect(() => leadingTableTimes(1000, 1000, 1)).toThrow(/steps_offset 1.*1000/);
  });
});

describe('continuous leading / trailing', () => {
  it('drop the top (leading) or the bottom (trailing) of an (N + 1)-point grid', () => {
    const leading = spacedTimes('leading', 4, 0, 1);
    const trailing = spacedTimes('trailing', 4, 0, 1);
    [0.75, 0.5, 0.25, 0].forEach((t, i) => expect(leading[i]).toBeCloseTo(t, 15));
    [1, 0.75, 0.5, 0.25].forEach((t, i) => expect(trailing[i]).toBeCloseTo(t, 15));
    expect(leading[3]).toBe(0);
    expect(trailing[0]).toBe(1);
    expect(() => spacedTimes('leading', 3, 1, 0)).toThrow(/tMin < tMax/);
  });
});

describe('uniform-timesteps node with spacing', () => {
  const run = async (schedule = sd, params: Record<string, unknown> = {}) =>
    (await uniformNode.run({ schedule }, makeTestContext(uniformNode.params.parse(params))))
      .timesteps;

  it('uses diffusers’ integer timesteps on a discrete schedule, σ̃ from the table', async () => {
    const linspace = await run(sd, { steps: 7 });
    expect(Array.from(linspace.t)).toEqual([999, 832, 666, 500, 333, 166, 0, 0]);
    expect(linspace.sigmaTilde[0]).toBe(sd.discreteSigmas![999]);
    expect(linspace.sigmaTilde[6]).toBe(sd.discreteSigmas![0]);
    expect(linspace.sigmaTilde[7]).toBe(0);
    const leading = await run(sd, { steps: 50, spacing: 'leading', steps_offset: 1 });
    expect(leading.t[0]).toBe(981);
    expect(leading.t[49]).toBe(1);
    expect(leading.sigmaTilde[0]).toBe(sd.discreteSigmas![981]);
    const trailing = await run(sd, { steps: 10, spacing: 'trailing' });
    expect(Array.from(trailing.t)).toEqual([999, 899, 799, 699, 599, 499, 399, 299, 199, 99, 0]);
  });

  it('restricts linspace to integer t_min / t_max on a discrete schedule', async () => {
    const part = await run(sd, { steps: 3, t_min: 100, t_max: 500 });
    expect(Array.from(part.t)).toEqual([500, 300, 100, 0]);
    await expect(async () => run(sd, { t_max: 500.5 })).rejects.toThrow(/table indices/);
    await expect(async () => run(sd, { spacing: 'trailing', t_max: 500 })).rejects.toThrow(
      /whole table/,
    );
  });

  it('uses the continuous grids on a continuous schedule, and refuses steps_offset there', async () => {
    const trailing = await run(vp, { steps: 3, spacing: 'trailing' });
    expect(trailing.t[0]).toBe(1);
    expect(trailing.t[2]).toBeCloseTo(1e-3 + (1 - 1e-3) / 3, 14);
    const leading = await run(vp, { steps: 3, spacing: 'leading' });
    expect(leading.t[2]).toBe(1e-3);
    expect(leading.t[0]).toBeCloseTo(1e-3 + (2 * (1 - 1e-3)) / 3, 14);
    await expect(async () => run(vp, { spacing: 'leading', steps_offset: 1 })).rejects.toThrow(
      /param "steps_offset"/,
    );
  });
});
