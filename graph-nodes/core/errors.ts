// Errors that name where the problem is (file, node, port, param) and what to do about it.

export type GraphErrorCode =
  | 'malformed-json'
  | 'invalid-document'
  | 'unsupported-version'
  | 'duplicate-node'
  | 'unknown-node'
  | 'unknown-node-type'
  | 'unknown-port'
  | 'missing-input'
  | 'duplicate-input'
  | 'type-mismatch'
  | 'shape-mismatch'
  | 'path-outside-folder'
  | 'cycle'
  | 'cannot-bypass'
  | 'bad-param'
  | 'unknown-param'
  | 'bad-sweep';

export interface GraphIssue {
  readonly code: GraphErrorCode;
  readonly message: string;
  readonly file?: string;
  readonly nodeId?: string;
  readonly port?: string;
  readonly param?: string;
}

/** Formats an issue as one line: `file: node "solver" port "x": message`. */
export function formatIssue(issue: GraphIssue): string {
  const where: string[] = [];
  if (issue.file) where.push(issue.file);
  const inNode: string[] = [];
  if (issue.nodeId) inNode.push(`node "${issue.nodeId}"`);
  if (issue.port) inNode.push(`port "${issue.port}"`);
  if (issue.param) inNode.push(`param "${issue.param}"`);
  if (inNode.length) where.push(inNode.join(' '));
  return where.length ? `${where.join(': ')}: ${issue.message}` : issue.message;
}

/** Thrown when a graph cannot be loaded or compiled; carries every issue found. */
export class GraphError extends Error {
  readonly issues: readonly GraphIssue[];
  constructor(issues: readonly GraphIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'GraphError';
    this.issues = issues;
  }
}

/** Thrown by a node while it runs; the executor attaches the node id. */
export class NodeRunError extends Error {
  readonly nodeId: string;
  constructor(nodeId: string, message: string, options?: { cause?: unknown }) {
    super(`node "${nodeId}": ${message}`, options);
    this.name = 'NodeRunError';
    this.nodeId = nodeId;
  }
}

/** Thrown when a run is cancelled through its AbortSignal. */
export class RunCancelledError extends Error {
  constructor() {
    super('run cancelled');
    this.name = 'RunCancelledError';
  }
}
