// Which learned nodes a sweep trains at each grid point, and where their weights go. Running a
// graph only loads a learned node's weights, so a sweep over how the node is trained (train_steps,
// learning_rate, width, seed, the data it learns from) must train it again for each setting. The
// weights go to a scratch path in the executor's in-memory folder (core/memory-files.ts), never
// over the user's weights file, named by everything the training depends on: points that train
// the same way (a grid of solvers × train_steps, per train_steps value) share one training.
import type { GraphDocument, SweepAxis } from '../core/document';
import { GraphError, type GraphIssue } from '../core/errors';
import { canonicalJson, hashString } from '../core/hash';
import { SCRATCH_FOLDER } from '../core/memory-files';
import { trainerFor, TRAINERS } from '../neural/trainers';

/** The param a trainable node's weights file is named by. */
export const WEIGHTS_PARAM = 'weights';

export interface SweepTrainedNode {
  readonly nodeId: string;
  /** Why: the axes that change how it trains ("denoiser.train_steps"), and/or "--train". */
  readonly reasons: readonly string[];
}

/**
 * The nodes a sweep over `axes` trains at every point, in graph order: each trainable node an
 * axis sets a param of (other than its weights file), plus those named in `explicit`. Throws a
 * GraphError (bad-sweep) for a node that cannot be trained here or an axis over a trained node's
 * weights, before anything runs.
 */
export function sweepTrainedNodes(
  graph: GraphDocument,
  axes: readonly SweepAxis[],
  explicit: readonly string[] = [],
  file?: string,
): SweepTrainedNode[] {
  const issues: GraphIssue[] = [];
  const fail = (message: string, nodeId?: string) =>
    issues.push({
      code: 'bad-sweep',
      message,
      ...(file ? { file } : {}),
      ...(nodeId ? { nodeId } : {}),
    });
  const reasons = new Map<string, string[]>();
  const addReason = (nodeId: string, reason: string) =>
    reasons.set(nodeId, [...(reasons.get(nodeId) ?? []), reason]);

  for (const nodeId of new Set(explicit)) {
    const node = graph.nodes.find((candidate) => candidate.id === nodeId);
    if (!node) {
      fail(
        `--train "${nodeId}": there is no such node; its nodes are ` +
          graph.nodes.map((each) => `"${each.id}"`).join(', '),
      );
    } else if (!trainerFor(node.type)) {
      fail(
        `--train: a ${node.type} node has nothing to train; the trainable node types are ` +
          Object.keys(TRAINERS).join(', '),
        nodeId,
      );
    } else {
      addReason(nodeId, '--train');
    }
  }
  for (const axis of axes) {
    const { nodeId, param } = splitTarget(axis.target);
    const node = graph.nodes.find((candidate) => candidate.id === nodeId);
    if (node && param !== WEIGHTS_PARAM && trainerFor(node.type)) addReason(nodeId, axis.target);
  }
  for (const axis of axes) {
    const { nodeId, param } = splitTarget(axis.target);
    if (param !== WEIGHTS_PARAM || !reasons.has(nodeId)) continue;
    fail(
      `the sweep trains "${nodeId}" at every point (${reasons.get(nodeId)!.join(', ')}), so ` +
        `${axis.target} cannot be an axis too: sweep the weights files, or how it is trained, ` +
        'not both',
      nodeId,
    );
  }
  for (const nodeId of reasons.keys()) {
    const node = graph.nodes.find((candidate) => candidate.id === nodeId)!;
    for (const port of trainerFor(node.type)!.inputs) {
      if (graph.edges.some((edge) => edge.to.node === nodeId && edge.to.port === port)) continue;
      issues.push({
        code: 'missing-input',
        message: 'the sweep trains this node, and training reads this input: connect it',
        ...(file ? { file } : {}),
        nodeId,
        port,
      });
    }
  }
  if (issues.length) throw new GraphError(issues);
  return graph.nodes
    .filter((node) => reasons.has(node.id))
    .map((node) => ({ nodeId: node.id, reasons: reasons.get(node.id)! }));
}

/**
 * Where the sweep trains `nodeId` for `graph` (a grid point's graph, its axes' values applied):
 * a path in the in-memory folder named by a hash of the node and everything upstream of it —
 * types, params and wiring — less the weights paths of `trained` nodes (which are what is being
 * made). So it changes with the axes that target the node or its inputs and with nothing else,
 * and an executor kept across sweeps (the app's) never reuses weights trained on other inputs.
 */
export function scratchWeightsPath(
  graph: GraphDocument,
  nodeId: string,
  trained: ReadonlySet<string>,
): string {
  const upstream = upstreamOf(graph, nodeId);
  const nodes = graph.nodes
    .filter((node) => upstream.has(node.id))
    .map((node) => {
      const params = new Map(Object.entries(node.params));
      if (trained.has(node.id)) params.delete(WEIGHTS_PARAM);
      return {
        id: node.id,
        type: node.type,
        typeVersion: node.typeVersion,
        params: Object.fromEntries(params),
        bypass: node.bypass === true,
      };
    });
  const edges = graph.edges
    .filter((edge) => upstream.has(edge.to.node))
    .map((edge) => ({ from: edge.from, to: edge.to }));
  return `${SCRATCH_FOLDER}/${hashString(canonicalJson({ node: nodeId, nodes, edges }))}.json`;
}

/** The node and every node it reads from, directly or not (iterative: long chains are fine). */
function upstreamOf(graph: GraphDocument, nodeId: string): Set<string> {
  const sources = new Map<string, string[]>();
  for (const edge of graph.edges) {
    const list = sources.get(edge.to.node);
    if (list) list.push(edge.from.node);
    else sources.set(edge.to.node, [edge.from.node]);
  }
  const found = new Set<string>();
  const pending = [nodeId];
  while (pending.length) {
    const id = pending.pop()!;
    if (found.has(id)) continue;
    found.add(id);
    pending.push(...(sources.get(id) ?? []));
  }
  return found;
}

function splitTarget(target: string): { nodeId: string; param: string } {
  const dot = target.indexOf('.');
  return dot > 0
    ? { nodeId: target.slice(0, dot), param: target.slice(dot + 1) }
    : { nodeId: target, param: '' };
}
