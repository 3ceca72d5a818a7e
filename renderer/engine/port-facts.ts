// What a wire carried in the last run, in a few words for hover cards: how many points of which
// per-point shape ("samples 16 × [1, 28, 28]"), what shape a model takes, noise ranges, step
// counts. Reads only sizes and small arrays, never tensor data, so it costs nothing.
import type { ValueOf, ValueType } from '../../graph-nodes';
import { formatShape } from '../../graph-nodes/core/shapes';
import { modelShape } from '../../graph-nodes/core/values';

function number(value: number): string {
  if (value === 0 || (Math.abs(value) >= 1e-3 && Math.abs(value) < 1e5)) {
    return String(Number(value.toPrecision(4)));
  }
  return value.toExponential(2);
}

/** n points of shape S, as "n × S". */
function cloud(count: number, shape: readonly number[]): string {
  return `${count} × ${formatShape(shape)}`;
}

export function describePortValue<T extends ValueType>(type: T, value: ValueOf[T]): string {
  switch (type) {
    case 'samples': {
      const samples = value as ValueOf['samples'];
      return `samples ${cloud(samples.points.shape[0], samples.shape)}`;
    }
    case 'dataset': {
      const dataset = value as ValueOf['dataset'];
      return `dataset "${dataset.name}" ${cloud(dataset.points.shape[0], dataset.shape)}`;
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
      return `denoiser on ${formatShape(modelShape(value as ValueOf['denoiser']))}`;
    case 'classifier': {
      const classifier = value as ValueOf['classifier'];
      return `classifier on ${formatShape(modelShape(classifier))}, ${classifier.classes.length} classes`;
    }
    case 'flowmap':
      return `flow map on ${formatShape(modelShape(value as ValueOf['flowmap']))}`;
    case 'trajectory': {
      const trajectory = value as ValueOf['trajectory'];
      return `trajectory of ${trajectory.frames.length} frames × ${cloud(trajectory.n, trajectory.shape)}, ${trajectory.nfe} NFE`;
    }
    case 'metrics':
      return Object.entries((value as ValueOf['metrics']).values)
        .map(([name, metric]) => `${name} = ${number(metric)}`)
        .join(', ');
    case 'coupling': {
      const coupling = value as ValueOf['coupling'];
      const cost = coupling.values['transport_cost'];
      return (
        `coupling ${coupling.n} × ${coupling.m}, ε = ${number(coupling.epsilon)}` +
        (cost !== undefined ? `, ⟨π, c⟩ = ${number(cost)}` : '')
      );
    }
  }
  return type;
}
