// Compiling one node with given params against the real catalogue, for tests of the params rules:
// what the compiler says about its params (a GraphError's bad-param issues), as the CLI prints it.
import { expect } from 'vitest';
import {
  catalogue,
  compileGraph,
  GraphError,
  type GraphDocument,
  type GraphIssue,
} from '../../../graph-nodes';

/** The node id the issues name. */
export const NODE_ID = 'node';

/** The param issues (bad-param, unknown-param) of a graph holding one node of `type`; [] if none. */
export function paramIssues(type: string, params: Record<string, unknown>): GraphIssue[] {
  const graph: GraphDocument = {
    format: 'principia.graph',
    version: 2,
    groups: [],
    nodes: [{ id: NODE_ID, type, typeVersion: 1, position: { x: 0, y: 0 }, params }],
    edges: [],
  };
  try {
    compileGraph(graph, catalogue);
  } catch (error) {
    if (!(error instanceof GraphError)) throw error;
    // Inputs are left unwired on purpose: only what the params alone decide is of interest.
    return error.issues.filter(
      (issue) => issue.code === 'bad-param' || issue.code === 'unknown-param',
    );
  }
  return [];
}

/** Matches a bad-param issue on `param` (a path such as "weights.2") whose message has `text`. */
export function badParam(param: string, text: string | RegExp) {
  return expect.objectContaining({
    code: 'bad-param',
    nodeId: NODE_ID,
    param,
    message: typeof text === 'string' ? expect.stringContaining(text) : expect.stringMatching(text),
  });
}
