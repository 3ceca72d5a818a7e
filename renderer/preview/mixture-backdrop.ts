// The target distribution behind the samples: read from the graph's Gaussian-mixture denoiser,
// so what the solver should reach is visible before and after a run.
import { catalogue, type GraphDocument } from '../../graph-nodes';
import type { DataBounds } from './plot-view';

export interface MixtureComponent {
  readonly weight: number;
  readonly mean: readonly [number, number];
  readonly std: number;
}

const MIXTURE_NODE_TYPES = new Set(['gmm-denoiser']);

function numberAt(list: unknown, index: number): number | undefined {
  if (typeof list === 'number') return list;
  if (!Array.isArray(list)) return undefined;
  const value: unknown = list[index];
  if (typeof value === 'number') return value;
  // A per-axis std: draw with the larger one.
  if (Array.isArray(value) && value.every((v) => typeof v === 'number'))
    return Math.max(...(value as number[]));
  return undefined;
}

export function mixtureOf(document: GraphDocument): MixtureComponent[] {
  const instance = document.nodes.find((candidate) => MIXTURE_NODE_TYPES.has(candidate.type));
  if (!instance) return [];
  // A node added from the library has no params yet: its mixture is the defaults'.
  const defaults = catalogue.get(instance.type)?.params.safeParse({});
  const node = { params: { ...(defaults?.success ? defaults.data : {}), ...instance.params } };
  const means = node.params['means'];
  if (!Array.isArray(means)) return [];
  const components: MixtureComponent[] = [];
  means.forEach((mean: unknown, index) => {
    if (!Array.isArray(mean) || typeof mean[0] !== 'number' || typeof mean[1] !== 'number') return;
    components.push({
      mean: [mean[0], mean[1]],
      weight: numberAt(node.params['weights'], index) ?? 1 / means.length,
      std: numberAt(node.params['stds'], index) ?? 1,
    });
  });
  return components;
}

/** Where nearly all of the mixture's mass lies (three standard deviations around each mean). */
export function mixtureBounds(components: readonly MixtureComponent[]): DataBounds | undefined {
  if (components.length === 0) return undefined;
  return {
    xMin: Math.min(...components.map((c) => c.mean[0] - 3 * c.std)),
    xMax: Math.max(...components.map((c) => c.mean[0] + 3 * c.std)),
    yMin: Math.min(...components.map((c) => c.mean[1] - 3 * c.std)),
    yMax: Math.max(...components.map((c) => c.mean[1] + 3 * c.std)),
  };
}
