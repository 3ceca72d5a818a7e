// Group edits on a document: framing nodes, moving a frame with its nodes, membership decided by
// where a card is dropped, and deleted nodes leaving their group.
import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../graph-nodes';
import { removeItems } from '../../renderer/graph/document-edits';
import {
  GROUP_PADDING,
  GROUP_TITLE_HEIGHT,
  groupNodes,
  moveGroup,
  refitGroups,
  regroupDropped,
  renameGroup,
} from '../../renderer/graph/group-edits';

const card = { width: 200, height: 100 };

function documentWith(...ids: string[]): GraphDocument {
  return {
    format: 'principia.graph',
    version: 2,
    nodes: ids.map((id, index) => ({
      id,
      type: 'test-constant',
      typeVersion: 1,
      position: { x: index * 300, y: 0 },
      params: {},
    })),
    edges: [],
    groups: [],
  };
}

function rectsOf(document: GraphDocument) {
  return new Map(document.nodes.map((node) => [node.id, { ...node.position, ...card }]));
}

describe('group edits', () => {
  it('frames the nodes with padding and room for the title, taking them from other groups', () => {
    let document = documentWith('a', 'b', 'c');
    document = produce(document, (draft) => void groupNodes(draft, ['a', 'b'], rectsOf(document)));
    expect(document.groups).toEqual([
      {
        id: 'group',
        title: 'Group',
        position: { x: -GROUP_PADDING, y: -GROUP_PADDING - GROUP_TITLE_HEIGHT },
        size: {
          width: 500 + 2 * GROUP_PADDING,
          height: 100 + 2 * GROUP_PADDING + GROUP_TITLE_HEIGHT,
        },
        nodes: ['a', 'b'],
      },
    ]);
    document = produce(document, (draft) => void groupNodes(draft, ['b', 'c'], rectsOf(document)));
    expect(document.groups.map((group) => [group.id, group.nodes])).toEqual([
      ['group', ['a']],
      ['group_2', ['b', 'c']],
    ]);
  });

  it('moves the frame and its nodes by the same rounded amount, and nothing else', () => {
    let document = documentWith('a', 'b', 'c');
    document = produce(document, (draft) => void groupNodes(draft, ['a', 'b'], rectsOf(document)));
    const start = document.groups[0]!.position;
    document = produce(document, (draft) =>
      moveGroup(draft, 'group', { x: start.x + 40.4, y: start.y - 19.6 }),
    );
    expect(document.nodes.map((node) => node.position)).toEqual([
      { x: 40, y: -20 },
      { x: 340, y: -20 },
      { x: 600, y: 0 },
    ]);
  });

  it('a dropped card joins the frame its centre is in, or leaves its group outside every frame', () => {
    let document = documentWith('a', 'b', 'c');
    document = produce(document, (draft) => void groupNodes(draft, ['a'], rectsOf(document)));
    // c dropped onto the frame (centre inside), a dropped far away.
    document = produce(document, (draft) =>
      regroupDropped(
        draft,
        new Map([
          ['c', { x: 10, y: 10, ...card }],
          ['a', { x: 0, y: 900, ...card }],
        ]),
      ),
    );
    expect(document.groups[0]!.nodes).toEqual(['c']);
  });

  it('deleting a node takes it out of its group; renaming ignores an empty title', () => {
    let document = documentWith('a', 'b');
    document = produce(document, (draft) => void groupNodes(draft, ['a', 'b'], rectsOf(document)));
    document = produce(document, (draft) => removeItems(draft, { nodes: ['a'] }));
    expect(document.groups[0]!.nodes).toEqual(['b']);
    document = produce(document, (draft) => renameGroup(draft, 'group', '   '));
    expect(document.groups[0]!.title).toBe('Group');
    document = produce(document, (draft) => renameGroup(draft, 'group', ' Sampler '));
    expect(document.groups[0]!.title).toBe('Sampler');
  });

  it('refits each frame around its nodes where they are now', () => {
    let document = documentWith('a', 'b', 'c');
    document = produce(document, (draft) => void groupNodes(draft, ['a', 'b'], rectsOf(document)));
    document = produce(document, (draft) => {
      draft.nodes[1]!.position = { x: 100, y: 500 };
      refitGroups(draft, new Map(draft.nodes.map((node) => [node.id, card])));
    });
    expect(document.groups[0]).toMatchObject({
      position: { x: -GROUP_PADDING, y: -GROUP_PADDING - GROUP_TITLE_HEIGHT },
      size: {
        width: 300 + 2 * GROUP_PADDING,
        height: 600 + 2 * GROUP_PADDING + GROUP_TITLE_HEIGHT,
      },
    });
  });
});
