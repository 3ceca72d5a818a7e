// Timesteps evenly spaced in the schedule's own time t, with diffusers' spacing conventions.
import { z } from 'zod';
import { defineNode } from '../../core/node-definition';
import type { Schedule } from '../../core/values';
import { timestepsFromTimes } from '../../timesteps/from-sigmas';
import { stepsParam } from '../../timesteps/node-params';
import {
  leadingTableTimes,
  linspaceTableTimes,
  spacedTimes,
  TIMESTEP_SPACINGS,
  type TimestepSpacing,
  trailingTableTimes,
} from '../../timesteps/spacing';
import { uniformTimes } from '../../timesteps/uniform';
import { formatLimit, numberIn, PARAM_LIMITS, requireAbove, withParamRules } from '../param-rules';

/**
 * A time on the schedule's own clock: a fraction of [0, 1] for VP and flow schedules, σ itself
 * for EDM, a table index for DDPM; whichever it is, never beyond the largest noise level.
 */
const scheduleTime = () => numberIn(0, PARAM_LIMITS.maxNoiseLevel, { what: 'a time' });

/**
 * A time a param sets must be one of the schedule's (an index within its table, if it has one)
 * with a noise level a graph may use.
 */
function checkTimeOnSchedule(schedule: Schedule, param: string, t: number): void {
  const table = schedule.discreteSigmas;
  if (table && t > table.length - 1) {
    throw new Error(
      `param "${param}" = ${t} is past the "${schedule.name}" table's last index ${table.length - 1}`,
    );
  }
  const sigma = schedule.sigmaTilde(t);
  const { minNoiseLevel, maxNoiseLevel } = PARAM_LIMITS;
  if (!(sigma >= minNoiseLevel && sigma <= maxNoiseLevel)) {
    throw new Error(
      `param "${param}" = ${t} gives the noise level σ̃ = ${sigma} on the "${schedule.name}" ` +
        `schedule, outside [${formatLimit(minNoiseLevel)}, ${formatLimit(maxNoiseLevel)}] ` +
        `(its own times run from ${schedule.tMin} to ${schedule.tMax})`,
    );
  }
}

interface UniformRequest {
  readonly steps: number;
  readonly spacing: TimestepSpacing;
  readonly stepsOffset: number;
  readonly tMin: number;
  readonly tMax: number;
  /** Whether t_min / t_max were set rather than taken from the schedule. */
  readonly customRange: boolean;
}

/** diffusers' integer timesteps on a table of T entries (t = table index). */
function tableTimes(request: UniformRequest, trainSteps: number): Float64Array {
  const { steps, spacing, stepsOffset, tMin, tMax, customRange } = request;
  if (spacing === 'linspace') {
    if (!Number.isInteger(tMin) || !Number.isInteger(tMax)) {
      throw new Error(
        `params "t_min" (${tMin}) and "t_max" (${tMax}) must be table indices (integers) on a discrete schedule`,
      );
    }
    return linspaceTableTimes(steps, tMin, tMax);
  }
  if (customRange) {
    throw new Error(
      `params "t_min" / "t_max" must be 0 with ${spacing} spacing on a discrete schedule: it spans the whole table`,
    );
  }
  return spacing === 'leading'
    ? leadingTableTimes(steps, trainSteps, stepsOffset)
    : trailingTableTimes(steps, trainSteps);
}

function continuousTimes(request: UniformRequest): Float64Array {
  const { steps, spacing, stepsOffset, tMin, tMax } = request;
  if (stepsOffset !== 0) {
    throw new Error(
      `param "steps_offset" counts table steps and must be 0 on a continuous schedule (got ${stepsOffset})`,
    );
  }
  return spacing === 'linspace'
    ? uniformTimes(steps, tMin, tMax)
    : spacedTimes(spacing, steps, tMin, tMax);
}

function resolveTimes(schedule: Schedule, request: UniformRequest): Float64Array {
  const table = schedule.discreteSigmas;
  return table ? tableTimes(request, table.length) : continuousTimes(request);
}

export default defineNode({
  type: 'uniform-timesteps',
  version: 1,
  kind: 'timesteps',
  title: 'Uniform timesteps',
  description:
    'Times evenly spaced in the schedule’s own time t, each mapped to its noise level σ̃(t), then ' +
    'σ̃ = 0. linspace runs from t_max to t_min; leading drops t_max and trailing drops t_min from ' +
    'a grid of n + 1. On a discrete (DDPM) schedule these are diffusers’ integer timesteps: ' +
    'round(linspace(0, T−1, n)), arange(n)·⌊T/n⌋ + steps_offset, round(arange(T, 0, −T/n)) − 1. ' +
    't_min / t_max = 0 take the schedule’s own bounds.',
  section: '§9 (time discretisation; EDM’s VP grid)',
  formula: 'linspace: t_i = t_max + i/(n−1)·(t_min − t_max),  σ̃_i = σ̃(t_i),  i = 0…n−1;  σ̃_n = 0',
  inputs: {
    schedule: {
      accepts: ['schedule'],
      required: true,
      description: 'Supplies σ̃(t) and the default time range.',
    },
  },
  outputs: {
    timesteps: {
      type: 'timesteps',
      description: 'steps + 1 descending noise levels ending at 0, with their times.',
    },
  },
  params: withParamRules(
    z.object({
      steps: stepsParam(),
      t_min: scheduleTime().default(0).meta({
        title: 't_min',
        widget: 'number',
        description: 'Last time before σ̃ = 0; 0 = the schedule’s t_min.',
      }),
      t_max: scheduleTime().default(0).meta({
        title: 't_max',
        widget: 'number',
        description: 'First time, above t_min; 0 = the schedule’s t_max.',
      }),
      spacing: z
        .enum(TIMESTEP_SPACINGS)
        .default('linspace')
        .meta({
          title: 'Spacing',
          widget: 'select',
          description:
            'diffusers’ timestep_spacing: linspace covers both ends, leading never reaches the ' +
            'noise end, trailing starts on it (use it for zero-terminal-SNR models).',
        }),
      steps_offset: numberIn(0, PARAM_LIMITS.trainSteps, { integer: true })
        .default(0)
        .meta({
          title: 'steps_offset',
          widget: 'number',
          description: 'Added to leading timesteps on a discrete schedule (Stable Diffusion: 1).',
          visibleWhen: { spacing: ['leading'] },
        }),
    }),
    (p, report) => {
      if (p.t_min !== 0 && p.t_max !== 0) requireAbove(p, 't_max', 't_min', report);
    },
  ),
  run(inputs, ctx) {
    const { steps, spacing, steps_offset } = ctx.params;
    const { schedule } = inputs;
    const tMin = ctx.params.t_min === 0 ? schedule.tMin : ctx.params.t_min;
    const tMax = ctx.params.t_max === 0 ? schedule.tMax : ctx.params.t_max;
    // Both ends valid on their own (the compiler checked); whether they fit this schedule's
    // clock is known only now.
    for (const [param, t] of [
      ['t_min', ctx.params.t_min],
      ['t_max', ctx.params.t_max],
    ] as const) {
      if (t !== 0) checkTimeOnSchedule(schedule, param, t);
    }
    if (!(tMax > tMin)) {
      throw new Error(
        `the time range is empty: t_max = ${tMax} must be greater than t_min = ${tMin} ` +
          `(a param of 0 takes the "${schedule.name}" schedule's own end)`,
      );
    }
    const customRange = ctx.params.t_min !== 0 || ctx.params.t_max !== 0;
    const request = { steps, spacing, stepsOffset: steps_offset, tMin, tMax, customRange };
    return { timesteps: timestepsFromTimes(schedule, resolveTimes(schedule, request)) };
  },
});
