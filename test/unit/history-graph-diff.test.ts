// The run history's "what changed since the previous run": param edits with their values, nodes
// added and removed, type and bypass changes, rewiring; layout edits and defaults written out
// are no change.
import { readFileSync } from 'node:fs';
import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../graph-nodes';
import { describeChange, diffGraphs } from '../../renderer/history/graph-diff';

const preset = JSON.parse(
  readFileSync(new URL('../../presets/default.graph.json', import.meta.url), 'utf8'),
) as GraphDocument;

function edited(recipe: (draft: GraphDocument) => void): GraphDocument {
  return produce(preset, recipe);
}

function node(draft: GraphDocument, id: string) {
  return draft.nodes.find((entry) => entry.id === id)!;
}

const described = (before: GraphDocument, after: GraphDocument) =>
  diffGraphs(before, after).map(describeChange);

describe('diffGraphs', () => {
  it('finds nothing between a document and itself', () => {
    expect(diffGraphs(preset, preset)).toEqual([]);
  });

  it('says which param changed, from what to what', () => {
    const after = edited((draft) => {
      node(draft, 'timesteps').params['steps'] = 40;
    });
    expect(diffGraphs(preset, after)).toEqual([
      { kind: 'param', nodeId: 'timesteps', param: 'steps', before: 20, after: 40 },
    ]);
    expect(described(preset, after)).toEqual(['timesteps.steps 20 → 40']);
    expect(described(after, preset)).toEqual(['timesteps.steps 40 → 20']);
  });

  it('lists several changes in document order, text values as written', () => {
    const after = edited((draft) => {
      node(draft, 'timesteps').params['rho'] = 3.14159;
      node(draft, 'solver').params['algorithm'] = 'euler';
    });
    expect(described(preset, after)).toEqual([
      'timesteps.rho 7 → 3.142',
      'solver.algorithm heun → euler',
    ]);
  });

  it('treats a default written out as the same value as the default left out', () => {
    const withoutSeed = edited((draft) => {
      delete node(draft, 'prior').params['seed'];
    });
    // The gaussian prior's seed defaults to 0, which the preset writes out.
    expect(node(preset, 'prior').params['seed']).toBe(0);
    expect(diffGraphs(preset, withoutSeed)).toEqual([]);
  });

  it('says an array param changed even when its shape did not', () => {
    const after = edited((draft) => {
      (node(draft, 'denoiser').params['stds'] as number[])[0] = 0.5;
    });
    expect(described(preset, after)).toEqual(['denoiser.stds changed ([8])']);
  });

  it('names nodes added and removed, without their wires', () => {
    const after = edited((draft) => {
      draft.nodes = draft.nodes.filter((entry) => entry.id !== 'solver');
      draft.edges = draft.edges.filter(
        (edge) => edge.from.node !== 'solver' && edge.to.node !== 'solver',
      );
      draft.nodes.push({
        id: 'solver2',
        type: 'solver',
        typeVersion: 1,
        position: { x: 0, y: 0 },
        params: { algorithm: 'euler' },
      });
      draft.edges.push({
        from: { node: 'timesteps', port: 'timesteps' },
        to: { node: 'solver2', port: 'timesteps' },
      });
    });
    expect(described(preset, after)).toEqual(['− node solver (solver)', '+ node solver2 (solver)']);
  });

  it('reports a wire moved between nodes that stay, and bypass', () => {
    const wired = preset.edges.find((edge) => edge.to.node === 'solver')!;
    const after = edited((draft) => {
      draft.edges = draft.edges.filter(
        (edge) => !(edge.to.node === wired.to.node && edge.to.port === wired.to.port),
      );
      node(draft, 'timesteps').bypass = true;
    });
    const from = `${wired.from.node}.${wired.from.port}`;
    const to = `${wired.to.node}.${wired.to.port}`;
    expect(described(preset, after)).toEqual(['timesteps bypassed', `− wire ${from} → ${to}`]);
    expect(described(after, preset)).toEqual([
      'timesteps no longer bypassed',
      `+ wire ${from} → ${to}`,
    ]);
  });

  it('reports a node whose type changed under the same id', () => {
    const after = edited((draft) => {
      node(draft, 'timesteps').type = 'uniform-timesteps';
    });
    expect(described(preset, after)).toEqual(['timesteps: karras-timesteps → uniform-timesteps']);
  });

  it('ignores layout: positions, titles, colours and notes', () => {
    const after = edited((draft) => {
      node(draft, 'solver').position = { x: 999, y: -5 };
      node(draft, 'solver').title = 'My solver';
      node(draft, 'solver').color = '#ff0000';
      draft.notes = [{ id: 'n', position: { x: 0, y: 0 }, text: 'hello' }];
    });
    expect(diffGraphs(preset, after)).toEqual([]);
  });
});
