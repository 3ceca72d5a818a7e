// The rules for new wires: types (the compiler's own rule), cycles, missing nodes, duplicates.
import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import { catalogue, type GraphDocument } from '../../graph-nodes';
import { wouldCreateCycle } from '../../graph-nodes/core/graph-edits';
import { checkNewWire } from '../../renderer/graph/connection-rules';
import { loadDefaultPreset } from '../../renderer/graph/default-preset';
import { addNode } from '../../renderer/graph/document-edits';

const chain = {
  edges: [
    { from: { node: 'a', port: 'out' }, to: { node: 'b', port: 'in' } },
    { from: { node: 'b', port: 'out' }, to: { node: 'c', port: 'in' } },
    { from: { node: 'x', port: 'out' }, to: { node: 'c', port: 'other' } },
  ],
};

describe('wouldCreateCycle', () => {
  it('refuses a wire from a node downstream back to one upstream', () => {
    expect(wouldCreateCycle(chain, { node: 'c' }, { node: 'a' })).toBe(true);
    expect(wouldCreateCycle(chain, { node: 'b' }, { node: 'a' })).toBe(true);
    expect(wouldCreateCycle(chain, { node: 'c' }, { node: 'x' })).toBe(true);
  });

  it('refuses a node feeding itself', () => {
    expect(wouldCreateCycle(chain, { node: 'a' }, { node: 'a' })).toBe(true);
  });

  it('allows wires along the flow and between separate branches', () => {
    expect(wouldCreateCycle(chain, { node: 'a' }, { node: 'c' })).toBe(false);
    expect(wouldCreateCycle(chain, { node: 'x' }, { node: 'b' })).toBe(false);
  });

  it('handles diamonds without looping forever', () => {
    const diamond = {
      edges: [
        { from: { node: 'a', port: 'o' }, to: { node: 'b', port: 'i' } },
        { from: { node: 'a', port: 'o' }, to: { node: 'c', port: 'i' } },
        { from: { node: 'b', port: 'o' }, to: { node: 'd', port: 'i' } },
        { from: { node: 'c', port: 'o' }, to: { node: 'd', port: 'i2' } },
      ],
    };
    expect(wouldCreateCycle(diamond, { node: 'd' }, { node: 'a' })).toBe(true);
    expect(wouldCreateCycle(diamond, { node: 'b' }, { node: 'c' })).toBe(false);
  });
});

describe('checkNewWire', () => {
  const preset = loadDefaultPreset();

  it('refuses a type mismatch with the compiler message', () => {
    const verdict = checkNewWire(
      preset,
      catalogue,
      { node: 'timesteps', port: 'timesteps' },
      { node: 'solver', port: 'denoiser' },
    );
    expect(verdict).toEqual({
      ok: false,
      reason: expect.stringMatching(
        /cannot connect timesteps\.timesteps \(timesteps\) to solver\.denoiser, which takes denoiser/,
      ),
    });
  });

  it('refuses a cycle and says which node already feeds which', () => {
    expect(
      checkNewWire(
        preset,
        catalogue,
        { node: 'solver', port: 'samples' },
        { node: 'solver', port: 'noise' },
      ),
    ).toEqual({ ok: false, reason: 'a node cannot feed its own input' });
    // Two solvers in series: feeding the second's samples back to the first would close a loop.
    const loop = {
      ...preset,
      nodes: [
        ...preset.nodes,
        { id: 'second', type: 'solver', typeVersion: 1, position: { x: 0, y: 0 }, params: {} },
      ],
      edges: [
        ...preset.edges,
        { from: { node: 'solver', port: 'samples' }, to: { node: 'second', port: 'noise' } },
      ],
    };
    const verdict = checkNewWire(
      loop,
      catalogue,
      { node: 'second', port: 'samples' },
      { node: 'solver', port: 'noise' },
    );
    expect(verdict.ok).toBe(false);
    expect(!verdict.ok && verdict.reason).toMatch(/"solver" already feeds "second".*cycle/);
  });

  it('refuses wires to a missing node type and duplicate wires; accepts a good new wire', () => {
    const withMissing = {
      ...preset,
      nodes: [
        ...preset.nodes,
        { id: 'ghost', type: 'no-such-node', typeVersion: 1, position: { x: 0, y: 0 }, params: {} },
      ],
    };
    const toGhost = checkNewWire(
      withMissing,
      catalogue,
      { node: 'prior', port: 'samples' },
      { node: 'ghost', port: 'x' },
    );
    expect(!toGhost.ok && toGhost.reason).toMatch(/missing node/);
    const duplicate = checkNewWire(
      preset,
      catalogue,
      { node: 'prior', port: 'samples' },
      { node: 'solver', port: 'noise' },
    );
    expect(!duplicate.ok && duplicate.reason).toMatch(/already connected/);
    const withPrior = produce(preset, (draft: GraphDocument) => {
      addNode(draft, catalogue.get('gaussian-prior')!, { x: 0, y: 0 });
    });
    expect(
      checkNewWire(
        withPrior,
        catalogue,
        { node: 'prior_2', port: 'samples' },
        { node: 'solver', port: 'noise' },
      ),
    ).toEqual({ ok: true });
  });
});
