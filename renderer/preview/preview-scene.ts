// Which trajectory the dock shows and what it draws behind it, as plain functions of a run's
// state: the dock uses them while the run is the latest, and the run history keeps their answer
// for a run after the run store has moved on.
import type { GraphDocument } from '../../graph-nodes';
import type { CouplingPreview, NodePreview } from '../engine/engine-protocol';
import type { TrajectoryRecord } from '../run/run-store';
import { planeDataset } from './backdrop';
import { couplingBounds } from './coupling-drawing';
import { mixtureOf } from './mixture-backdrop';
import type { DataBounds } from './plot-view';
import type { Backdrop } from './scene-drawing';

/** What a trajectory is drawn over, and the frame that fixes (none: the data's own). */
export interface PreviewScene {
  readonly backdrop: Backdrop;
  readonly bounds?: DataBounds;
}

/**
 * The chosen node's trajectory when it has one, else the one that streamed last, else any: what
 * the dock shows.
 */
export function shownTrajectory(
  chosen: string | undefined,
  liveNodeId: string | undefined,
  trajectories: Readonly<Record<string, TrajectoryRecord>>,
): TrajectoryRecord | undefined {
  const id = chosen && trajectories[chosen] ? chosen : liveNodeId;
  return (id ? trajectories[id] : undefined) ?? Object.values(trajectories).at(-1);
}

/** The coupling a Schrödinger bridge follows (from its node's preview), if `record` is a bridge. */
export function bridgeCoupling(
  record: TrajectoryRecord | undefined,
  edges: GraphDocument['edges'],
  nodePreviews: Readonly<Record<string, NodePreview>>,
): CouplingPreview | undefined {
  const nodeId = record?.kind === 'bridge' ? record.nodeId : undefined;
  const from = nodeId
    ? edges.find((edge) => edge.to.node === nodeId && edge.to.port === 'coupling')?.from.node
    : undefined;
  const preview = from ? nodePreviews[from] : undefined;
  return preview?.kind === 'coupling' ? preview : undefined;
}

/** A bridge's backdrop: the coupling's target points (where its paths end), framing both clouds. */
export function bridgeScene(coupling: CouplingPreview): PreviewScene {
  const dataset = {
    values: coupling.target,
    count: coupling.target.length / 2,
    dim: 2,
    shape: [2],
  };
  const bounds = couplingBounds(coupling);
  return { backdrop: { mixture: [], dataset }, ...(bounds ? { bounds } : {}) };
}

/** The scene of `record` in a run of `document` that made `nodePreviews`. */
export function previewScene(
  record: TrajectoryRecord | undefined,
  document: GraphDocument,
  nodePreviews: Readonly<Record<string, NodePreview>>,
): PreviewScene {
  const coupling = bridgeCoupling(record, document.edges, nodePreviews);
  if (coupling) return bridgeScene(coupling);
  const dataset = planeDataset(nodePreviews);
  return { backdrop: { mixture: mixtureOf(document), ...(dataset ? { dataset } : {}) } };
}
