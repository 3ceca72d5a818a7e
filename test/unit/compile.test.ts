import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../graph-nodes/core/compile';
import type { GraphDocument } from '../../graph-nodes/core/document';
import { GraphError, type GraphIssue } from '../../graph-nodes/core/errors';
import { parseGraphText } from '../../graph-nodes/core/load';
import { testCatalogue } from './helpers/test-nodes';

const at = { x: 0, y: 0 };

function graph(nodes: GraphDocument['nodes'], edges: GraphDocument['edges'] = []): GraphDocument {
  return { format: 'principia.graph', version: 2, nodes, edges, groups: [] };
}

function node(id: string, type: string, params: Record<string, unknown> = {}) {
  return { id, type, typeVersion: 1, position: at, params };
}

function edge(from: string, to: string) {
  const [fn, fp] = from.split('.') as [string, string];
  const [tn, tp] = to.split('.') as [string, string];
  return { from: { node: fn, port: fp }, to: { node: tn, port: tp } };
}

function issuesOf(run: () => unknown): GraphIssue[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GraphError);
    return [...(error as GraphError).issues];
  }
  throw new Error('expected a GraphError');
}

const chain = graph(
  [node('c', 'test-scale'), node('a', 'test-constant'), node('b', 'test-scale')],
  [edge('a.samples', 'b.samples'), edge('b.samples', 'c.samples')],
);

describe('compileGraph', () => {
  it('orders nodes after their inputs and fills param defaults', () => {
    const plan = compileGraph(chain, testCatalogue);
    expect(plan.order).toEqual(['a', 'b', 'c']);
    expect(plan.nodes.get('a')!.params).toEqual({ n: 4, value: 1 });
    expect(plan.nodes.get('c')!.inputs).toEqual({ samples: { node: 'b', port: 'samples' } });
  });

  it('changes the cache key of a node and everything downstream of a changed param, only', () => {
    const before = compileGraph(chain, testCatalogue);
    const edited = {
      ...chain,
      nodes: chain.nodes.map((n) => (n.id === 'b' ? { ...n, params: { factor: 3 } } : n)),
    };
    const after = compileGraph(edited, testCatalogue);
    const key = (plan: typeof before, id: string) => plan.nodes.get(id)!.cacheKey;
    expect(key(after, 'a')).toBe(key(before, 'a'));
    expect(key(after, 'b')).not.toBe(key(before, 'b'));
    expect(key(after, 'c')).not.toBe(key(before, 'c'));
  });

  it('gives the same cache key whatever the param order or node position', () => {
    const a = compileGraph(graph([node('a', 'test-constant', { n: 3, value: 2 })]), testCatalogue);
    const b = compileGraph(
      graph([{ ...node('a', 'test-constant', { value: 2, n: 3 }), position: { x: 50, y: 9 } }]),
      testCatalogue,
    );
    expect(a.nodes.get('a')!.cacheKey).toBe(b.nodes.get('a')!.cacheKey);
  });

  it('names the node of an unknown type', () => {
    const issues = issuesOf(() =>
      compileGraph(graph([node('warp', 'warp-drive')]), testCatalogue, { file: 'g.json' }),
    );
    expect(issues).toEqual([
      expect.objectContaining({ code: 'unknown-node-type', nodeId: 'warp', file: 'g.json' }),
    ]);
    expect(issues[0]!.message).toContain('warp-drive');
  });

  it('names the node and port of a missing required input', () => {
    const issues = issuesOf(() => compileGraph(graph([node('s', 'test-scale')]), testCatalogue));
    expect(issues).toEqual([
      expect.objectContaining({ code: 'missing-input', nodeId: 's', port: 'samples' }),
    ]);
    expect(issues[0]!.message).toMatch(/connect a samples/);
  });

  it('refuses a wire between mismatched types, naming both ends', () => {
    const doc = graph(
      [node('a', 'test-constant'), node('s', 'test-scale')],
      [edge('a.samples', 's.samples')],
    );
    // test-sum.b accepts samples only; test-scale.samples accepts samples or dataset: both fine.
    expect(() => compileGraph(doc, testCatalogue)).not.toThrow();
    const catalogueWithDataset = {
      ...testCatalogue,
      get: (type: string) => {
        const def = testCatalogue.get(type);
        if (type !== 'test-constant' || !def) return def;
        return { ...def, outputs: { samples: { type: 'schedule' as const, description: 'x' } } };
      },
    };
    const issues = issuesOf(() => compileGraph(doc, catalogueWithDataset));
    expect(issues).toEqual([
      expect.objectContaining({ code: 'type-mismatch', nodeId: 's', port: 'samples' }),
    ]);
    expect(issues[0]!.message).toContain('a.samples (schedule)');
    expect(issues[0]!.message).toContain('takes samples or dataset');
  });

  it('reports wires to ports or nodes that do not exist', () => {
    const issues = issuesOf(() =>
      compileGraph(
        graph(
          [node('a', 'test-constant'), node('s', 'test-scale')],
          [edge('a.points', 's.samples'), edge('ghost.samples', 's.samples')],
        ),
        testCatalogue,
      ),
    );
    expect(issues.map((i) => [i.code, i.nodeId, i.port])).toEqual([
      ['unknown-port', 'a', 'points'],
      ['unknown-node', 'ghost', 'samples'],
    ]);
  });

  it('finds a cycle and lists its nodes', () => {
    const doc = graph(
      [
        node('a', 'test-constant'),
        node('x', 'test-sum'),
        node('y', 'test-scale'),
        node('z', 'test-scale'),
      ],
      [
        edge('a.samples', 'x.a'),
        edge('z.samples', 'x.b'),
        edge('x.samples', 'y.samples'),
        edge('y.samples', 'z.samples'),
      ],
    );
    const issues = issuesOf(() => compileGraph(doc, testCatalogue));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.code).toBe('cycle');
    for (const id of ['x', 'y', 'z']) expect(issues[0]!.message).toContain(id);
    expect(issues[0]!.message).not.toContain('a →');
  });

  it('reports bad and unknown param values with the node and param', () => {
    const issues = issuesOf(() =>
      compileGraph(graph([node('a', 'test-constant', { n: -3, colour: 'red' })]), testCatalogue),
    );
    expect(issues.map((i) => [i.code, i.nodeId, i.param])).toEqual([
      ['unknown-param', 'a', 'colour'],
      ['bad-param', 'a', 'n'],
    ]);
    expect(issues[1]!.message).toContain('-3');
  });

  it('refuses duplicate node ids and two wires into one input', () => {
    const issues = issuesOf(() =>
      compileGraph(
        graph(
          [
            node('a', 'test-constant'),
            node('a', 'test-constant'),
            node('b', 'test-constant'),
            node('s', 'test-scale'),
          ],
          [edge('a.samples', 's.samples'), edge('b.samples', 's.samples')],
        ),
        testCatalogue,
      ),
    );
    expect(issues.map((i) => i.code)).toEqual(['duplicate-node', 'duplicate-input']);
  });
});

describe('parseGraphText', () => {
  it('reports malformed JSON with the file and line', () => {
    const issues = issuesOf(() =>
      parseGraphText('{\n  "format": "principia.graph",\n  oops\n}', 'broken.json'),
    );
    expect(issues[0]).toMatchObject({ code: 'malformed-json', file: 'broken.json' });
    expect(issues[0]!.message).toMatch(/line 3/);
  });

  it('refuses a file from a newer format version with a clear message', () => {
    const issues = issuesOf(() =>
      parseGraphText(JSON.stringify({ ...graph([]), version: 7 }), 'new.json'),
    );
    expect(issues[0]).toMatchObject({ code: 'unsupported-version', file: 'new.json' });
    expect(issues[0]!.message).toMatch(/newer Principia/);
  });

  it('names the node whose entry breaks the schema', () => {
    const doc = {
      ...graph([node('good', 'test-constant')]),
      nodes: [node('good', 'test-constant'), { id: 'bad', type: 'x' }],
    };
    const issues = issuesOf(() => parseGraphText(JSON.stringify(doc), 'f.json'));
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.every((i) => i.nodeId === 'bad')).toBe(true);
  });

  it('refuses something that is not a Principia graph', () => {
    const issues = issuesOf(() => parseGraphText('{"nodes": []}', 'other.json'));
    expect(issues[0]!.message).toMatch(/principia\.graph/);
  });

  it('fills defaults and round-trips a valid document', () => {
    const text = JSON.stringify({
      format: 'principia.graph',
      version: 1,
      nodes: [{ id: 'a', type: 'test-constant', typeVersion: 1, position: at }],
    });
    const doc = parseGraphText(text);
    expect(doc.edges).toEqual([]);
    expect(doc.nodes[0]!.params).toEqual({});
  });
});
