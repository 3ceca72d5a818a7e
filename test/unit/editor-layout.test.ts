// Auto-layout: the document ↔ elkjs conversion, and a real elkjs run in layers left to right.
import { describe, expect, it } from 'vitest';
import { loadDefaultPreset } from '../../renderer/graph/default-preset';
import { computeLayout } from '../../renderer/layout/auto-layout';
import { positionsFromLayout, toElkGraph } from '../../renderer/layout/elk-graph';

const preset = loadDefaultPreset();

describe('toElkGraph', () => {
  it('gives each node its drawn size (or a fallback) and each wire an edge', () => {
    const graph = toElkGraph(preset, new Map([['solver', { width: 300, height: 200 }]]));
    expect(graph.children.map((child) => child.id)).toEqual(preset.nodes.map((node) => node.id));
    expect(graph.children.find((child) => child.id === 'solver')).toMatchObject({
      width: 300,
      height: 200,
    });
    expect(graph.children.find((child) => child.id === 'prior')?.width).toBeGreaterThan(0);
    expect(graph.edges).toHaveLength(preset.edges.length);
    expect(graph.edges[0]).toMatchObject({ sources: ['schedule'], targets: ['timesteps'] });
  });

  it('skips wires to nodes that are not there', () => {
    const broken = {
      ...preset,
      edges: [
        ...preset.edges,
        { from: { node: 'gone', port: 'x' }, to: { node: 'solver', port: 'noise' } },
      ],
    };
    expect(toElkGraph(broken, new Map()).edges).toHaveLength(preset.edges.length);
  });
});

describe('positionsFromLayout', () => {
  it('keeps the top-left corner of the graph where it was', () => {
    const positions = positionsFromLayout(preset, {
      id: 'root',
      children: preset.nodes.map((node, index) => ({ id: node.id, x: 100 + index * 10, y: 50 })),
    });
    const minX = Math.min(...preset.nodes.map((node) => node.position.x));
    const minY = Math.min(...preset.nodes.map((node) => node.position.y));
    expect(positions['schedule']).toEqual({ x: minX, y: minY });
    expect(positions['timesteps']).toEqual({ x: minX + 10, y: minY });
  });
});

describe('computeLayout', () => {
  it('places every node after the nodes that feed it', async () => {
    const positions = await computeLayout(preset, new Map());
    for (const edge of preset.edges) {
      expect(positions[edge.to.node]!.x).toBeGreaterThan(positions[edge.from.node]!.x);
    }
  });
});
