// The score view: the graph's own denoiser D(x̃; σ̃) evaluated on a regular grid over the visible
// plane, shown as one of four parameterisations of the same field (reference §1.1, σ̃ form):
//   score      ∇log p_σ̃(x̃) = (D − x̃)/σ̃²
//   velocity   dx̃/dσ̃ = (x̃ − D)/σ̃          (the PF-ODE; sampling runs against it as σ̃ falls)
//   x0         D − x̃                       (the arrow from x̃ to the prediction x̂₀ = D)
//   eps        ε̂ = (x̃ − D)/σ̃               (equal to the σ̃-velocity: dx̃/dσ̃ = ε̂)
//   difference D_learned − D_exact          (a learned denoiser against an exact one on its data)
// Plain functions of arrays, so the dock, the tests and any export compute the same arrows.
import type { GraphDocument } from '../../graph-nodes';
import type { DataBounds } from './plot-view';

/** Grid points along each axis of the visible plane. */
export const FIELD_GRID = 24;

export type FieldKind = 'score' | 'velocity' | 'x0' | 'eps' | 'difference';

export const FIELD_KINDS: readonly { kind: FieldKind; label: string; formula: string }[] = [
  { kind: 'score', label: 'score', formula: '∇log p = (D − x̃)/σ̃²' },
  {
    kind: 'velocity',
    label: 'PF-ODE velocity',
    formula: 'dx̃/dσ̃ = (x̃ − D)/σ̃ (particles move against it as σ̃ falls)',
  },
  { kind: 'x0', label: 'x̂₀ prediction', formula: 'D − x̃ (from x̃ to x̂₀)' },
  { kind: 'eps', label: 'ε prediction', formula: 'ε̂ = (x̃ − D)/σ̃ (= dx̃/dσ̃)' },
  { kind: 'difference', label: 'difference vs exact', formula: 'D_learned − D_exact' },
];

/**
 * The centres of a `count` × `count` grid of cells over `view`, row-major from the top-left
 * (largest y first), as flat [count², 2].
 */
export function fieldGrid(view: DataBounds, count = FIELD_GRID): Float32Array {
  const points = new Float32Array(count * count * 2);
  const dx = (view.xMax - view.xMin) / count;
  const dy = (view.yMax - view.yMin) / count;
  for (let row = 0; row < count; row++)
    for (let col = 0; col < count; col++) {
      const k = (row * count + col) * 2;
      points[k] = view.xMin + (col + 0.5) * dx;
      points[k + 1] = view.yMax - (row + 0.5) * dy;
    }
  return points;
}

/**
 * The field's vectors [n, 2] at `points` from D there (`denoised`), at level `sigma` > 0; for
 * 'difference', `exact` is D_exact at the same points.
 */
export function fieldVectors(
  kind: FieldKind,
  points: Float32Array,
  denoised: Float32Array,
  sigma: number,
  exact?: Float32Array,
): Float32Array {
  const vectors = new Float32Array(points.length);
  if (kind === 'difference') {
    if (!exact) throw new Error('the difference field needs the exact denoiser’s D');
    for (let i = 0; i < points.length; i++) vectors[i] = denoised[i]! - exact[i]!;
    return vectors;
  }
  // Every parameterisation is c·(D − x̃) at one σ̃; only c differs.
  const factor = kind === 'score' ? 1 / (sigma * sigma) : kind === 'x0' ? 1 : -1 / sigma; // velocity, eps
  for (let i = 0; i < points.length; i++) vectors[i] = factor * (denoised[i]! - points[i]!);
  return vectors;
}

/** One arrow as drawn: its tail at the grid point, its head `length` data units along v. */
export interface Arrow {
  readonly x: number;
  readonly y: number;
  /** The unit direction (0, 0 for a zero vector). */
  readonly ux: number;
  readonly uy: number;
  /** |v| / the largest |v| on the grid, in [0, 1]: the arrow's colour. */
  readonly strength: number;
  /** Length in data units: a fixed fraction of a cell, whatever |v|. */
  readonly length: number;
}

export interface ScaledField {
  readonly arrows: readonly Arrow[];
  /** The largest |v| on the grid (the brightest colour). */
  readonly maxMagnitude: number;
}

/**
 * Normalised arrows: every arrow is 0.8 of a grid cell long and points along v; its colour (the
 * strength) is |v| over the grid's largest |v|. Non-finite vectors are left out.
 */
export function scaleArrows(
  points: Float32Array,
  vectors: Float32Array,
  cellSize: number,
): ScaledField {
  let maxMagnitude = 0;
  const count = points.length / 2;
  const magnitudes = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const m = Math.hypot(vectors[2 * i]!, vectors[2 * i + 1]!);
    magnitudes[i] = m;
    if (Number.isFinite(m) && m > maxMagnitude) maxMagnitude = m;
  }
  const arrows: Arrow[] = [];
  for (let i = 0; i < count; i++) {
    const m = magnitudes[i]!;
    if (!Number.isFinite(m)) continue;
    arrows.push({
      x: points[2 * i]!,
      y: points[2 * i + 1]!,
      ux: m > 0 ? vectors[2 * i]! / m : 0,
      uy: m > 0 ? vectors[2 * i + 1]! / m : 0,
      strength: maxMagnitude > 0 ? m / maxMagnitude : 0,
      length: m > 0 ? 0.8 * cellSize : 0,
    });
  }
  return { arrows, maxMagnitude };
}

/**
 * The σ̃ the field of frame `index` is drawn at: the frame's own, or for the last frame (σ̃ = 0,
 * where D is not evaluated) the level of the step that led to it.
 */
export function fieldSigmaOf(sigmas: readonly number[], index: number): number | undefined {
  for (let k = index; k >= 0; k--) {
    const sigma = sigmas[k];
    if (sigma !== undefined && sigma > 0 && Number.isFinite(sigma)) return sigma;
  }
  return undefined;
}

/** A node output: where the field's D comes from. */
export interface DenoiserRef {
  readonly node: string;
  readonly port: string;
}

export interface FieldSource {
  /** The denoiser feeding the solver. */
  readonly denoiser: DenoiserRef;
  /** An exact denoiser on the same data, when the solver's one is learned. */
  readonly exact?: DenoiserRef;
}

const LEARNED_TYPES = new Set(['mlp-denoiser', 'onnx-denoiser']);
const EXACT_TYPES = new Set(['gmm-denoiser', 'empirical-denoiser']);
/** Exact denoisers whose `data` input is the data set they are exact for. */
const EXACT_ON_DATA = new Set(['empirical-denoiser']);

/**
 * Where the solver `solverId` takes its denoiser from, and, when that one is learned (MLP, ONNX),
 * an exact denoiser on the same data: an empirical denoiser fed by the node the MLP trains on, or
 * for an ONNX model (which names no data) the graph's one exact denoiser. None: undefined.
 */
export function fieldSourceOf(document: GraphDocument, solverId: string): FieldSource | undefined {
  const { nodes, edges } = document;
  const wire = edges.find((edge) => edge.to.node === solverId && edge.to.port === 'denoiser');
  if (!wire) return undefined;
  const denoiser = { node: wire.from.node, port: wire.from.port };
  const node = nodes.find((candidate) => candidate.id === denoiser.node);
  if (!node || node.bypass || !LEARNED_TYPES.has(node.type)) return { denoiser };
  const exactRef = (id: string): DenoiserRef => ({ node: id, port: 'denoiser' });
  const dataOf = (id: string) =>
    edges.find((edge) => edge.to.node === id && edge.to.port === 'data')?.from;
  const exacts = nodes.filter((candidate) => EXACT_TYPES.has(candidate.type) && !candidate.bypass);
  const data = dataOf(node.id);
  if (data) {
    const match = exacts.find((candidate) => {
      const source = EXACT_ON_DATA.has(candidate.type) ? dataOf(candidate.id) : undefined;
      return source?.node === data.node && source.port === data.port;
    });
    return match ? { denoiser, exact: exactRef(match.id) } : { denoiser };
  }
  return exacts.length === 1 ? { denoiser, exact: exactRef(exacts[0]!.id) } : { denoiser };
}
