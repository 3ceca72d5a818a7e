// What a wire carried in the last run, in a few words for hover cards: shapes, noise ranges,
// step counts. Reads only sizes and small arrays, never tensor data, so it costs nothing.
import type { ValueOf, ValueType } from '../../graph-nodes';

function number(value: number): string {
  if (value === 0 || (Math.abs(value) >= 1e-3 && Math.abs(value) < 1e5)) {
    return String(Number(value.toPrecision(4)));
  }
  return value.toExponential(2);
}

function shape(points: { shape: readonly number[] }): string {
  return `[${points.shape.join(', ')}]`;
}

export function describePortValue<T extends ValueType>(type: T, value: ValueOf[T]): string {
  switch (type) {
    case 'samples': {
      const samples = value as ValueOf['samples'];
      return `samples ${shape(samples.points)}`;
    }
    case 'dataset': {
      const dataset = value as ValueOf['dataset'];
      return `dataset "${dataset.name}" ${shape(dataset.points)}`;
    }
    case 'schedule': {
      const schedule = value as ValueOf['schedule'];
      return `schedule ${schedule.name}, σ̃ from ${number(schedule.sigmaTilde(schedule.tMax))} to ${number(schedule.sigmaTilde(schedule.tMin))}`;
    }
    case 'timesteps': {
      const { sigmaTilde } = value as ValueOf['timesteps'];
      return `σ̃ from ${number(sigmaTilde[0] ?? NaN)} to ${number(sigmaTilde.at(-1) ?? NaN)}, ${sigmaTilde.length - 1} steps`;
    }
    case 'denoiser':
      return `denoiser in ${(value as ValueOf['denoiser']).dim} dimensions`;
    case 'classifier': {
      const classifier = value as ValueOf['classifier'];
      return `classifier in ${classifier.dim} dimensions, ${classifier.classes.length} classes`;
    }
    case 'flowmap':
      return `flow map in ${(value as ValueOf['flowmap']).dim} dimensions`;
    case 'trajectory': {
      const trajectory = value as ValueOf['trajectory'];
      return `trajectory of ${trajectory.frames.length} frames × [${trajectory.n}, ${trajectory.dim}], ${trajectory.nfe} NFE`;
    }
    case 'metrics':
      return Object.entries((value as ValueOf['metrics']).values)
        .map(([name, metric]) => `${name} = ${number(metric)}`)
        .join(', ');
  }
  return type;
}
