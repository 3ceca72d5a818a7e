// Document → React Flow elements: unchanged items keep their objects (so React skips them),
// selection survives edits, notes and missing nodes are drawn.
import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import {
  noteFlowId,
  noteIdOf,
  syncFlowEdges,
  syncFlowNodes,
} from '../../renderer/canvas/flow-elements';
import { loadDefaultPreset } from '../../renderer/graph/default-preset';
import { addNote, moveItems, setParam } from '../../renderer/graph/document-edits';

const preset = loadDefaultPreset();

describe('syncFlowNodes', () => {
  it('reuses untouched nodes and rebuilds only the edited one', () => {
    const first = syncFlowNodes([], preset);
    const edited = produce(preset, (draft) => setParam(draft, 'solver', 'seed', 3));
    const second = syncFlowNodes(first, edited);
    for (const [index, node] of second.entries()) {
      if (node.id === 'solver') expect(node).not.toBe(first[index]);
      else expect(node).toBe(first[index]);
    }
  });

  it('keeps the selection and measured size across edits, and replaces it on request', () => {
    const first = syncFlowNodes([], preset).map((node) =>
      node.id === 'prior'
        ? { ...node, selected: true, measured: { width: 230, height: 120 } }
        : node,
    );
    const moved = produce(preset, (draft) =>
      moveItems(draft, { nodes: { prior: { x: 9, y: 9 } } }),
    );
    const prior = syncFlowNodes(first, moved).find((node) => node.id === 'prior')!;
    expect(prior).toMatchObject({
      selected: true,
      position: { x: 9, y: 9 },
      measured: { width: 230 },
    });
    const reselected = syncFlowNodes(first, moved, new Set(['solver']));
    expect(reselected.filter((node) => node.selected).map((node) => node.id)).toEqual(['solver']);
  });

  it('draws notes with their own ids and missing node types with the ports their wires name', () => {
    const withExtras = produce(preset, (draft) => {
      addNote(draft, { x: 0, y: 0 }, 'hi');
      draft.nodes.push({
        id: 'ghost',
        type: 'gone-node',
        typeVersion: 1,
        position: { x: 0, y: 0 },
        params: { a: 1 },
      });
      draft.edges.push({
        from: { node: 'ghost', port: 'out' },
        to: { node: 'solver', port: 'noise' },
      });
    });
    const nodes = syncFlowNodes([], withExtras);
    const note = nodes.find((node) => node.type === 'note')!;
    expect(note.id).toBe(noteFlowId('note'));
    expect(noteIdOf(note.id)).toBe('note');
    expect(noteIdOf('solver')).toBeUndefined();
    const ghost = nodes.find((node) => node.id === 'ghost')!;
    expect(ghost.type === 'card' && ghost.data.definition).toBeUndefined();
    expect(ghost.type === 'card' && ghost.data.outputs.map((port) => port.name)).toEqual(['out']);
  });
});

describe('syncFlowEdges', () => {
  it('gives every wire a stable id and keeps its selection', () => {
    const first = syncFlowEdges([], preset);
    expect(first.map((edge) => edge.id)).toContain('prior.samples->solver.noise');
    const selected = first.map((edge, index) => (index === 0 ? { ...edge, selected: true } : edge));
    const next = syncFlowEdges(
      selected,
      produce(preset, (draft) => setParam(draft, 'prior', 'seed', 1)),
    );
    expect(next[0]?.selected).toBe(true);
    expect(next[1]).toBe(first[1]);
  });
});
