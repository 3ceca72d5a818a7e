// Text → validated graph document, with errors that say where (file, line, node) and what to do.
import type { z } from 'zod';
import { GRAPH_FORMAT, GRAPH_VERSION, GraphDocumentSchema, type GraphDocument } from './document';
import { GraphError, type GraphIssue } from './errors';
import {
  GRAPH_LIMITS,
  graphSizeProblems,
  untrustedJsonProblems,
  type JsonProblem,
} from './graph-limits';
import { migrateDocument } from './migrations';

/** Parses and validates a graph file's text. Throws GraphError listing every problem found. */
export function parseGraphText(text: string, file?: string): GraphDocument {
  if (text.length > GRAPH_LIMITS.textLength) {
    throw new GraphError([
      {
        code: 'invalid-document',
        file,
        message: `the file holds ${text.length} characters; a graph may have at most ${GRAPH_LIMITS.textLength}`,
      },
    ]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new GraphError([
      {
        code: 'malformed-json',
        file,
        message: `not valid JSON${describeJsonErrorPosition(text, error)}: ${(error as Error).message}`,
      },
    ]);
  }
  return validateGraphDocument(raw, file);
}

/** Validates an already-parsed graph (migrating older versions). Throws GraphError. */
export function validateGraphDocument(raw: unknown, file?: string): GraphDocument {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new GraphError([
      { code: 'invalid-document', file, message: 'a graph file must hold one JSON object' },
    ]);
  }
  const record = raw as Record<string, unknown>;
  const hostile = [...untrustedJsonProblems(record), ...graphSizeProblems(record)];
  if (hostile.length) {
    throw new GraphError(hostile.map((problem) => locatedIssue(problem, record, file)));
  }
  if (record.format !== GRAPH_FORMAT) {
    throw new GraphError([
      {
        code: 'invalid-document',
        file,
        message: `"format" must be "${GRAPH_FORMAT}" (found ${JSON.stringify(record.format)}); is this a Principia graph?`,
      },
    ]);
  }
  const version = record.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new GraphError([
      { code: 'invalid-document', file, message: '"version" must be a positive integer' },
    ]);
  }
  if (version > GRAPH_VERSION) {
    throw new GraphError([
      {
        code: 'unsupported-version',
        file,
        message: `this graph was written by a newer Principia (format version ${version}); this one reads versions up to ${GRAPH_VERSION}. Update Principia to open it.`,
      },
    ]);
  }
  const migrated = migrateDocument(record, version);
  const parsed = GraphDocumentSchema.safeParse(migrated);
  if (!parsed.success) {
    throw new GraphError(parsed.error.issues.map((issue) => schemaIssue(issue, migrated, file)));
  }
  return parsed.data;
}

function schemaIssue(
  issue: z.core.$ZodIssue,
  graph: Record<string, unknown>,
  file: string | undefined,
): GraphIssue {
  return locatedIssue(
    {
      path: issue.path.map((key) => (typeof key === 'number' ? key : String(key))),
      message: issue.message,
    },
    graph,
    file,
  );
}

/** An issue at a path in the file, naming the node when the path is inside one. */
function locatedIssue(
  problem: JsonProblem,
  graph: Record<string, unknown>,
  file: string | undefined,
): GraphIssue {
  const { path } = problem;
  const where = path.length ? path.join('.') : '(top level)';
  let nodeId: string | undefined;
  if (path[0] === 'nodes' && typeof path[1] === 'number') {
    const nodes = graph.nodes;
    const node = Array.isArray(nodes) ? (nodes[path[1]] as unknown) : undefined;
    const id =
      typeof node === 'object' && node !== null ? (node as { id?: unknown }).id : undefined;
    nodeId = typeof id === 'string' && id.length <= 64 ? id : `#${path[1]}`;
  }
  return { code: 'invalid-document', file, nodeId, message: `${where}: ${problem.message}` };
}

/** " at line L, column C" for a JSON.parse error that reports a position. */
function describeJsonErrorPosition(text: string, error: unknown): string {
  const match = /position (\d+)/.exec(String((error as Error)?.message));
  if (!match) return '';
  const offset = Number(match[1]);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return ` at line ${line}, column ${column}`;
}
