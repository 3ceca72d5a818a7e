import { describe, expect, it } from 'vitest';
import { applyMigrations, migrateDocument } from '../../graph-nodes/core/migrations';

describe('graph migrations', () => {
  // A made-up history: v1 kept params under "settings", v2 renamed "links" to "edges".
  const chain = {
    1: (g: Record<string, unknown>) => ({
      ...g,
      nodes: (g.nodes as { settings: unknown }[]).map(({ settings, ...rest }) => ({
        ...rest,
        params: settings,
      })),
    }),
    2: ({ links, ...rest }: Record<string, unknown>) => ({ ...rest, edges: links }),
  };

  it('applies every step from the file version to the target, in order', () => {
    const old = { version: 1, nodes: [{ id: 'a', settings: { steps: 3 } }], links: [] };
    expect(applyMigrations(old, 1, 3, chain)).toEqual({
      version: 3,
      nodes: [{ id: 'a', params: { steps: 3 } }],
      edges: [],
    });
    expect(applyMigrations({ version: 2, links: [1] }, 2, 3, chain)).toEqual({
      version: 3,
      edges: [1],
    });
  });

  it('says which step is missing', () => {
    expect(() => applyMigrations({ version: 1, nodes: [] }, 1, 3, { 1: chain[1] })).toThrow(
      'no migration from graph version 2 to 3',
    );
  });

  it('leaves a current-version graph untouched', () => {
    const graph = { version: 1, nodes: [] };
    expect(migrateDocument(graph, 1)).toBe(graph);
  });
});
