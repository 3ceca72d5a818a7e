import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GRAPH_VERSION } from '../../graph-nodes/core/document';
import { parseGraphText } from '../../graph-nodes/core/load';
import {
  applyMigrations,
  migrateDocument,
  SHIPPED_MIGRATIONS,
  type Migration,
} from '../../graph-nodes/core/migrations';

describe('graph migrations', () => {
  // A made-up history: v1 kept params under "settings", v2 renamed "links" to "edges".
  const chain = new Map<number, Migration>([
    [
      1,
      (g) => ({
        ...g,
        nodes: (g.nodes as { settings: unknown }[]).map(({ settings, ...rest }) => ({
          ...rest,
          params: settings,
        })),
      }),
    ],
    [2, ({ links, ...rest }) => ({ ...rest, edges: links })],
  ]);

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
    const firstOnly = new Map([[1, chain.get(1)!]]);
    expect(() => applyMigrations({ version: 1, nodes: [] }, 1, 3, firstOnly)).toThrow(
      'no migration from graph version 2 to 3',
    );
  });

  it('leaves a current-version graph untouched', () => {
    const graph = { version: GRAPH_VERSION, nodes: [], groups: [] };
    expect(migrateDocument(graph, GRAPH_VERSION)).toBe(graph);
  });
});

describe('the shipped migrations', () => {
  it('has a step from every older version to the current one', () => {
    for (let version = 1; version < GRAPH_VERSION; version++) {
      expect(SHIPPED_MIGRATIONS.has(version), `step ${version} → ${version + 1}`).toBe(true);
    }
    expect(GRAPH_VERSION).toBe(2);
  });

  it('1 → 2 gives a version-1 graph an empty list of groups and changes nothing else', () => {
    const v1 = {
      format: 'principia.graph',
      version: 1,
      title: 't',
      nodes: [{ id: 'a', type: 'x', typeVersion: 1, position: { x: 1, y: 2 }, params: {} }],
      edges: [],
      notes: [{ id: 'n', position: { x: 0, y: 0 }, text: 'hi' }],
    };
    expect(migrateDocument(v1, 1)).toEqual({ ...v1, version: 2, groups: [] });
    // The file's own object is not changed.
    expect(v1.version).toBe(1);
    expect('groups' in v1).toBe(false);
  });

  it('every bundled preset (written at version 1) opens as the current version', () => {
    const folder = new URL('../../presets/', import.meta.url);
    const presets = readdirSync(folder).filter((name) => name.endsWith('.graph.json'));
    expect(presets.length).toBeGreaterThan(10);
    for (const name of presets) {
      const text = readFileSync(new URL(name, folder), 'utf8');
      const document = parseGraphText(text, name);
      expect(document.version, name).toBe(GRAPH_VERSION);
      expect(document.groups, name).toEqual([]);
      expect(document.nodes, name).toEqual(
        (JSON.parse(text) as { nodes: unknown[] }).nodes.map((node) =>
          expect.objectContaining(node),
        ),
      );
    }
  });
});
