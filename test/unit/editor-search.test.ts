// Finding node types: fuzzy search, the library's grouping, and the palette's wire filter.
import { describe, expect, it } from 'vitest';
import { catalogue } from '../../graph-nodes';
import {
  fuzzyScore,
  groupByKind,
  nodesForWire,
  searchNodes,
} from '../../renderer/library/node-search';

const definitions = catalogue.list();

describe('fuzzyScore', () => {
  it('matches characters in order, ignoring case and spaces', () => {
    expect(fuzzyScore('KT', 'Karras timesteps')).not.toBeNull();
    expect(fuzzyScore('kar ts', 'Karras timesteps')).not.toBeNull();
    expect(fuzzyScore('tk', 'Karras')).toBeNull();
  });

  it('ranks runs and word starts above scattered letters', () => {
    expect(fuzzyScore('kt', 'Karras timesteps')!).toBeGreaterThan(fuzzyScore('kt', 'take it')!);
    expect(fuzzyScore('solv', 'Solver')!).toBeGreaterThan(fuzzyScore('solv', 'sample of lovers')!);
  });
});

describe('searchNodes', () => {
  it('returns the whole catalogue in order for an empty query', () => {
    expect(searchNodes(definitions, '  ')).toEqual(definitions);
  });

  it('puts the best match first', () => {
    expect(searchNodes(definitions, 'karras')[0]?.type).toBe('karras-timesteps');
    expect(searchNodes(definitions, 'gmm')[0]?.type).toBe('gmm-denoiser');
    expect(searchNodes(definitions, 'solver')[0]?.type).toBe('solver');
  });

  it('finds nothing for nonsense', () => {
    expect(searchNodes(definitions, 'zzqqxx')).toEqual([]);
  });
});

describe('nodesForWire', () => {
  it('from an output, offers exactly the nodes with an input that takes its type', () => {
    const choices = nodesForWire(definitions, { side: 'output', type: 'timesteps' });
    const types = choices.map((choice) => choice.definition.type);
    expect(types).toEqual(expect.arrayContaining(['solver', 'gaussian-prior']));
    expect(types).not.toContain('edm-schedule');
    for (const choice of choices) {
      expect(choice.definition.inputs[choice.port]?.accepts).toContain('timesteps');
    }
    expect(choices.find((c) => c.definition.type === 'solver')?.port).toBe('timesteps');
  });

  it('from an input, offers the nodes with an output of an accepted type', () => {
    const choices = nodesForWire(definitions, { side: 'input', accepts: ['schedule'] });
    expect(choices.length).toBeGreaterThan(0);
    for (const choice of choices) {
      expect(choice.definition.outputs[choice.port]?.type).toBe('schedule');
    }
    expect(choices.map((c) => c.definition.type)).toContain('edm-schedule');
    expect(choices.map((c) => c.definition.type)).not.toContain('solver');
  });
});

describe('groupByKind', () => {
  it('keeps every node once, grouped by kind in first-seen order', () => {
    const groups = groupByKind(definitions);
    expect(groups.flatMap((group) => group.definitions)).toHaveLength(definitions.length);
    expect(new Set(groups.map((group) => group.kind)).size).toBe(groups.length);
    for (const group of groups) {
      expect(group.definitions.every((definition) => definition.kind === group.kind)).toBe(true);
    }
  });
});
