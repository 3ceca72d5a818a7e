// The migration chain for graph documents: each step turns a version-n graph into version n + 1.
// A new format adds its step here and bumps GRAPH_VERSION, and old files keep opening:
//   1 → 2: groups (titled frames holding nodes) became a top-level `groups` list; a version-1
//          file has none, so the step writes `groups: []`.
// A field added as optional, with absence meaning what files meant before it (a node's `bypass`,
// `color` and `collapsed`, a wire's `via`), needs no step and no bump: every file already written
// still reads the same.
import { GRAPH_VERSION } from './document';

export type Migration = (graph: Record<string, unknown>) => Record<string, unknown>;

/** The shipped chain, by the version each step starts from. */
export const SHIPPED_MIGRATIONS: ReadonlyMap<number, Migration> = new Map<number, Migration>([
  [1, (graph) => ({ ...graph, groups: [] })],
]);

/** Brings a graph written at `version` up to `target` through `chain[version]`, `chain[version + 1]`, … */
export function applyMigrations(
  graph: Record<string, unknown>,
  version: number,
  target: number,
  chain: ReadonlyMap<number, Migration>,
): Record<string, unknown> {
  let current = graph;
  for (let v = version; v < target; v++) {
    const step = chain.get(v);
    if (!step) throw new Error(`no migration from graph version ${v} to ${v + 1}`);
    current = { ...step(current), version: v + 1 };
  }
  return current;
}

/** Brings a graph of `version` up to the current format version. */
export function migrateDocument(
  graph: Record<string, unknown>,
  version: number,
): Record<string, unknown> {
  return applyMigrations(graph, version, GRAPH_VERSION, SHIPPED_MIGRATIONS);
}
