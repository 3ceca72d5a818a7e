// The migration chain for graph documents: migrations[n] turns a version-n document into n + 1.
// Version 1 is the first format, so the chain is empty; a later format adds its step here and
// bumps GRAPH_VERSION, and old files keep opening.
import { GRAPH_VERSION } from './document';

type Migration = (document: Record<string, unknown>) => Record<string, unknown>;

const migrations: Record<number, Migration> = {};

/** Brings a document of `version` up to the current version. */
export function migrateDocument(
  document: Record<string, unknown>,
  version: number,
): Record<string, unknown> {
  let current = document;
  for (let v = version; v < GRAPH_VERSION; v++) {
    const step = migrations[v];
    if (!step) throw new Error(`no migration from graph version ${v} to ${v + 1}`);
    current = { ...step(current), version: v + 1 };
  }
  return current;
}
