// A lookup table of node definitions by type id.
import type { AnyNodeDefinition } from './node-definition';

export interface Catalogue {
  list(): readonly AnyNodeDefinition[];
  get(type: string): AnyNodeDefinition | undefined;
}

export function createCatalogue(definitions: readonly AnyNodeDefinition[]): Catalogue {
  const byType = new Map<string, AnyNodeDefinition>();
  for (const definition of definitions) {
    if (byType.has(definition.type)) {
      throw new Error(`node type "${definition.type}" is defined twice`);
    }
    byType.set(definition.type, definition);
  }
  const sorted = [...byType.values()];
  return {
    list: () => sorted,
    get: (type) => byType.get(type),
  };
}
