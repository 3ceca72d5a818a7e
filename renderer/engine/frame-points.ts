// A solver's trajectory frame as the UI receives it: the engine's flat x̃ and x̂₀ rows cut down to
// what the preview draws, with the per-point shape that says how to draw them. Pure, so the
// worker's data path can be tested without a worker.
import type { Plan, Samples } from '../../graph-nodes';
import type { TrajectoryFrame } from '../../graph-nodes/core/values';
import { shapeSize, type PointShape } from '../../graph-nodes/core/shapes';
import type { FramePointsEvent } from './engine-protocol';
import { firstRows, previewRowCount } from './preview-data';

/** How to cut a frame's flat arrays into points. */
export interface FrameLayout {
  /** Values per point. */
  readonly dim: number;
  /** The per-point shape, of size dim. */
  readonly shape: PointShape;
}

/** An existing output of the run, by node and port (the executor's `output`). */
export type OutputLookup = (nodeId: string, port: string) => unknown;

function isSamples(value: unknown): value is Samples {
  return typeof value === 'object' && value !== null && 'points' in value && 'shape' in value;
}

/**
 * The shape of a frame-producing node's points: what the plan's facts say its trajectory has,
 * else the shape of the samples it was given, else flat. A candidate whose size is not `dim`
 * (stale or wrong facts) is passed over: cutting rows by it would scramble the picture.
 */
export function chooseFrameShape(
  dim: number,
  candidates: readonly (PointShape | undefined)[],
): PointShape {
  return candidates.find((shape) => shape !== undefined && shapeSize(shape) === dim) ?? [dim];
}

/**
 * The layout of `nodeId`'s frames: dim from the samples it was given (the solver's noise), else
 * from its trajectory's facts, else 2; the shape by chooseFrameShape.
 */
export function frameLayoutOf(plan: Plan, nodeId: string, output: OutputLookup): FrameLayout {
  let input: Samples | undefined;
  for (const ref of Object.values(plan.nodes.get(nodeId)?.inputs ?? {})) {
    const value = output(ref.node, ref.port);
    if (isSamples(value)) {
      input = value;
      break;
    }
  }
  const facts = plan.facts.get(nodeId);
  const factShape =
    facts && Object.hasOwn(facts, 'trajectory') ? facts['trajectory']?.shape : undefined;
  const dim = input?.points.shape[1] ?? (factShape ? shapeSize(factShape) : 2);
  return { dim, shape: chooseFrameShape(dim, [factShape, input?.shape]) };
}

/**
 * What kind of trajectory `nodeId` streams: a transport node's frames are a Schrödinger bridge's
 * (t from 0 to 1, x̂₀ the predicted endpoint), anything else's a solver's.
 */
export function frameKindOf(plan: Plan, nodeId: string): 'bridge' | undefined {
  return plan.nodes.get(nodeId)?.definition.kind === 'transport' ? 'bridge' : undefined;
}

/** One frame as fresh, preview-sized copies the UI can take over (the engine keeps its arrays). */
export function framePointsEvent(
  nodeId: string,
  frame: TrajectoryFrame,
  layout: FrameLayout,
  kind?: 'bridge',
): FramePointsEvent {
  const totalCount = frame.x.length / layout.dim;
  const rows = previewRowCount(totalCount, layout.shape);
  const points = firstRows(frame.x, layout.shape, rows);
  const x0hat = frame.x0hat ? firstRows(frame.x0hat, layout.shape, rows) : undefined;
  return {
    type: 'node-frame-points',
    nodeId,
    step: frame.step,
    t: frame.t,
    sigmaTilde: frame.sigmaTilde,
    points,
    ...(x0hat ? { x0hat } : {}),
    totalCount,
    ...(kind ? { kind } : {}),
  };
}
