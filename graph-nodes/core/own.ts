// Names in graph files are data, never keys into prototypes: a port called "toString" or a param
// called "constructor" must read as absent, not as Object.prototype's function.

/** `record[key]` when `key` is the record's own property, else undefined. */
export function ownValue<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Ids a graph may not use for nodes, ports or params: they name JavaScript's object machinery. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
]);
