// Bends on wires: where a new bend goes among the others, the edits, the drawn path through them,
// and that the document keeps them (and compiles the same) while the compiler ignores them.
import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../graph-nodes';
import { parseGraphText } from '../../graph-nodes/core/load';
import { wirePath } from '../../renderer/canvas/wire-path';
import { edgeKey } from '../../renderer/graph/document-edits';
import { moveGroup } from '../../renderer/graph/group-edits';
import { addBend, bendInsertionIndex, moveBend, removeBend } from '../../renderer/graph/wire-edits';

const document: GraphDocument = {
  format: 'principia.graph',
  version: 2,
  nodes: ['a', 'b'].map((id, index) => ({
    id,
    type: 'test-constant',
    typeVersion: 1,
    position: { x: index * 400, y: 0 },
    params: {},
  })),
  edges: [{ from: { node: 'a', port: 'out' }, to: { node: 'b', port: 'in' } }],
  groups: [],
};
const key = edgeKey(document.edges[0]!);

describe('wire bends', () => {
  it('a new bend goes on the leg it lengthens least', () => {
    const from = { x: 0, y: 0 };
    const to = { x: 400, y: 0 };
    const via = [{ x: 200, y: 200 }];
    expect(bendInsertionIndex(from, via, to, { x: 90, y: 110 })).toBe(0);
    expect(bendInsertionIndex(from, via, to, { x: 310, y: 110 })).toBe(1);
    expect(bendInsertionIndex(from, [], to, { x: 10, y: 300 })).toBe(0);
  });

  it('adds, moves and removes bends; a wire without bends has no via', () => {
    let edited = produce(document, (draft) => addBend(draft, key, 0, { x: 100.4, y: 50.6 }));
    edited = produce(edited, (draft) => addBend(draft, key, 1, { x: 300, y: 80 }));
    expect(edited.edges[0]!.via).toEqual([
      { x: 100, y: 51 },
      { x: 300, y: 80 },
    ]);
    edited = produce(edited, (draft) => moveBend(draft, key, 1, { x: 280, y: -20 }));
    expect(edited.edges[0]!.via![1]).toEqual({ x: 280, y: -20 });
    edited = produce(edited, (draft) => removeBend(draft, key, 0));
    edited = produce(edited, (draft) => removeBend(draft, key, 0));
    expect(edited.edges[0]).not.toHaveProperty('via');
  });

  it('moving a group moves the bends of wires inside it', () => {
    let edited = produce(document, (draft) => {
      addBend(draft, key, 0, { x: 200, y: 100 });
      draft.groups.push({
        id: 'g',
        title: 'G',
        position: { x: -20, y: -60 },
        size: { width: 700, height: 300 },
        nodes: ['a', 'b'],
      });
    });
    edited = produce(edited, (draft) => moveGroup(draft, 'g', { x: 0, y: -30 }));
    expect(edited.edges[0]!.via).toEqual([{ x: 220, y: 130 }]);
  });

  it('draws a path that starts at the output, passes through each bend and ends at the input', () => {
    const path = wirePath({ x: 0, y: 0 }, [{ x: 100, y: 80 }], { x: 300, y: 10 });
    expect(path.startsWith('M 0,0 C 33.33')).toBe(true);
    expect(path).toMatch(/ 100,80 C /);
    expect(path.endsWith(' 300,10')).toBe(true);
  });

  it('is saved in the document: at most 64 bends, each a point', () => {
    const text = (via: unknown) =>
      JSON.stringify({ ...document, edges: [{ ...document.edges[0], via }] });
    expect(parseGraphText(text([{ x: 1, y: 2 }])).edges[0]!.via).toEqual([{ x: 1, y: 2 }]);
    expect(() => parseGraphText(text([{ x: 1 }]))).toThrow(/edges\.0\.via\.0\.y/);
    expect(() => parseGraphText(text(Array(65).fill({ x: 0, y: 0 })))).toThrow(/edges\.0\.via/);
  });
});
