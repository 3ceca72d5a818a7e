// The open → save path keeps what this build does not know: a node of an unknown type loads with
// its params and wires and is written back unchanged; the gallery thumbnail still draws it.
import { describe, expect, it } from 'vitest';
import { parseGraphText } from '../../graph-nodes';
import { UNKNOWN_COLOUR } from '../../renderer/canvas/palette';
import { graphThumbnail } from '../../renderer/gallery/graph-thumbnail';
import { serializeDocument } from '../../renderer/graph/graph-store';

const withUnknownNode = {
  format: 'principia.graph',
  version: 2,
  title: 'From a newer build',
  nodes: [
    {
      id: 'schedule',
      type: 'edm-schedule',
      typeVersion: 1,
      position: { x: 0, y: 0 },
      params: { sigma_min: 0.002, sigma_max: 80 },
    },
    {
      id: 'future',
      type: 'teleporting-sampler',
      typeVersion: 7,
      title: 'Not in this catalogue',
      position: { x: 300, y: 40 },
      params: { warp: [1, 2, 3], mode: 'fast', nested: { deep: true } },
    },
  ],
  edges: [{ from: { node: 'schedule', port: 'schedule' }, to: { node: 'future', port: 'when' } }],
  groups: [],
};

describe('a graph with an unknown node type', () => {
  it('is written back exactly as it was read', () => {
    const text = serializeDocument(withUnknownNode as never);
    const reopened = parseGraphText(text, 'future.json');
    expect(serializeDocument(reopened)).toBe(text);
    expect(reopened.nodes[1]).toEqual(withUnknownNode.nodes[1]);
    expect(reopened.edges).toEqual(withUnknownNode.edges);
  });

  it('appears in the thumbnail, in the missing-node colour, wired', () => {
    const thumbnail = graphThumbnail(parseGraphText(JSON.stringify(withUnknownNode)));
    expect(thumbnail.boxes.map((box) => box.colour)).toContain(UNKNOWN_COLOUR);
    expect(thumbnail.wires).toHaveLength(1);
    for (const box of thumbnail.boxes) {
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(240);
    }
  });
});
