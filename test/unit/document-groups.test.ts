// Groups in the graph document: what a valid group is, the messages for an invalid one, and that
// groups (like positions) never change what a graph computes.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileGraph } from '../../graph-nodes/core/compile';
import { GraphError, type GraphIssue } from '../../graph-nodes/core/errors';
import { parseGraphText } from '../../graph-nodes/core/load';
import { principia, REPO_ROOT } from './helpers/cli-process';
import { testCatalogue } from './helpers/test-nodes';

const at = { x: 0, y: 0 };

function graphText(groups: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    format: 'principia.graph',
    version: 2,
    nodes: [
      { id: 'a', type: 'test-constant', typeVersion: 1, position: at, params: {} },
      { id: 'b', type: 'test-scale', typeVersion: 1, position: { x: 300, y: 0 }, params: {} },
      { id: 'c', type: 'test-scale', typeVersion: 1, position: { x: 600, y: 0 }, params: {} },
    ],
    edges: [
      { from: { node: 'a', port: 'samples' }, to: { node: 'b', port: 'samples' } },
      { from: { node: 'b', port: 'samples' }, to: { node: 'c', port: 'samples' } },
    ],
    groups,
    ...extra,
  });
}

function group(id: string, nodes: string[], title = id) {
  return { id, title, position: { x: -20, y: -40 }, size: { width: 700, height: 300 }, nodes };
}

function messagesOf(text: string): string[] {
  try {
    parseGraphText(text, 'g.json');
  } catch (error) {
    expect(error).toBeInstanceOf(GraphError);
    return (error as GraphError).issues.map((issue: GraphIssue) => issue.message);
  }
  throw new Error('expected a GraphError');
}

describe('groups in a graph document', () => {
  it('reads a group with its title, frame, colour and members', () => {
    const document = parseGraphText(
      graphText([{ ...group('inputs', ['a', 'b'], 'The inputs'), color: '#3a5fa5' }]),
    );
    expect(document.groups).toEqual([
      {
        id: 'inputs',
        title: 'The inputs',
        position: { x: -20, y: -40 },
        size: { width: 700, height: 300 },
        color: '#3a5fa5',
        nodes: ['a', 'b'],
      },
    ]);
  });

  it('a version-2 file may leave groups out: none', () => {
    const text = JSON.parse(graphText([])) as Record<string, unknown>;
    delete text.groups;
    expect(parseGraphText(JSON.stringify(text)).groups).toEqual([]);
  });

  it('refuses two groups with one id', () => {
    expect(messagesOf(graphText([group('g', ['a']), group('g', ['b'])]))).toEqual([
      'groups.1.id: two groups have the id "g"; give each group its own id',
    ]);
  });

  it('refuses a member that is not a node of the graph, naming the group and the node', () => {
    expect(messagesOf(graphText([group('g', ['a', 'ghost'])]))).toEqual([
      'groups.0.nodes.1: group "g" holds node "ghost", which is not a node of this graph',
    ]);
  });

  it('refuses a node in two groups, naming both', () => {
    expect(
      messagesOf(graphText([group('first', ['a', 'b']), group('second', ['b', 'c'])])),
    ).toEqual([
      'groups.1.nodes.0: node "b" is in group "first" and in group "second"; a node may be in one group at most',
    ]);
  });

  it('refuses a node named twice in one group', () => {
    expect(messagesOf(graphText([group('g', ['a', 'a'])]))).toEqual([
      'groups.0.nodes.1: group "g" names node "a" twice',
    ]);
  });

  it('checks the frame: a positive size, a #rrggbb colour, no unknown fields', () => {
    const messages = messagesOf(
      graphText([
        { ...group('g', ['a']), size: { width: 0, height: 10 } },
        { ...group('h', ['b']), color: 'blue' },
        { ...group('k', ['c']), collapsed: true },
      ]),
    );
    expect(messages).toHaveLength(3);
    expect(messages[0]).toMatch(/^groups\.0\.size\.width: /);
    expect(messages[1]).toBe('groups.1.color: a colour is written "#rrggbb"');
    expect(messages[2]).toMatch(/^groups\.2: .*"collapsed"/);
  });

  it('layout never changes what the graph computes: cache keys are those of the plain graph', () => {
    const plain = compileGraph(parseGraphText(graphText([])), testCatalogue);
    // Groups, collapsed cards and bent wires together: all layout.
    const laidOut = JSON.parse(graphText([group('g', ['a', 'b']), group('h', ['c'])])) as {
      nodes: Record<string, unknown>[];
      edges: Record<string, unknown>[];
    };
    laidOut.nodes[1]!['collapsed'] = true;
    laidOut.edges[0]!['via'] = [{ x: 150, y: 200 }];
    const grouped = compileGraph(parseGraphText(JSON.stringify(laidOut)), testCatalogue);
    expect(grouped.order).toEqual(plain.order);
    for (const id of plain.order) {
      expect(grouped.nodes.get(id)!.cacheKey).toBe(plain.nodes.get(id)!.cacheKey);
    }
  });
});

describe('the CLI with groups', () => {
  it('runs a version-1 file and the same graph as version 2 with groups to identical samples', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'principia-groups-'));
    try {
      const v1 = JSON.parse(
        await readFile(join(REPO_ROOT, 'presets', 'default.graph.json'), 'utf8'),
      ) as { version: number; nodes: { id: string }[] };
      expect(v1.version).toBe(1);
      const v2 = {
        ...v1,
        version: 2,
        groups: [
          { ...group('noise', ['schedule', 'timesteps', 'prior'], 'Noise'), color: '#3a5fa5' },
          group('sampling', ['denoiser', 'solver'], 'Sampling'),
        ],
      };
      await writeFile(join(folder, 'v1.graph.json'), JSON.stringify(v1));
      await writeFile(join(folder, 'v2.graph.json'), JSON.stringify(v2));
      const outputs: Uint8Array[] = [];
      for (const name of ['v1', 'v2']) {
        const out = join(folder, `${name}.npy`);
        const result = await principia(
          'run',
          join(folder, `${name}.graph.json`),
          '--set',
          'timesteps.steps=4',
          '--save',
          `solver.samples=${out}`,
        );
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        outputs.push(new Uint8Array(await readFile(out)));
      }
      expect(outputs[1]!.length).toBeGreaterThan(1000);
      expect(Buffer.from(outputs[1]!).equals(Buffer.from(outputs[0]!))).toBe(true);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
