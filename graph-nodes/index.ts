// The engine's public surface, shared by the CLI, the app's worker and the tests.
import { catalogue } from './catalogue';
import { describeCatalogue as describe, type CatalogueEntry } from './core/describe';

export { catalogue } from './catalogue';
export type { Catalogue } from './core/catalogue';
export { compileGraph, type Plan, type PlannedNode } from './core/compile';
export { checkConnection, type ConnectionCheck } from './core/connections';
export * from './core/document';
export * from './core/errors';
export * from './core/file-not-found';
export {
  Executor,
  type EngineEvent,
  type NodeStatus,
  type RunOptions,
  type RunSummary,
} from './core/execute';
export { parseGraphText, validateGraphDocument } from './core/load';
export type * from './core/node-definition';
export { applyParamOverride, parseParamValue, splitValueList } from './core/overrides';
export * from './compare/sweep';
export * from './compare/sweep-result-file';
export { valueToNpy } from './core/samples';
export type * from './core/values';
export type { CatalogueEntry } from './core/describe';

/** The shipped catalogue as JSON (what `principia nodes --json` prints). */
export function describeCatalogue(): CatalogueEntry[] {
  return describe(catalogue);
}
