// Copy/paste and the document edits behind the editor's commands.
import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import { catalogue, compileGraph, type GraphDocument } from '../../graph-nodes';
import { copyFragment, pasteFragment } from '../../renderer/graph/clipboard';
import { loadDefaultPreset } from '../../renderer/graph/default-preset';
import {
  addNode,
  addNote,
  connect,
  edgeKey,
  moveItems,
  removeItems,
  setParam,
} from '../../renderer/graph/document-edits';
import { uniqueId } from '../../renderer/graph/unique-id';

const preset = loadDefaultPreset();

describe('uniqueId', () => {
  it('keeps a free base, else counts up from the base without its own suffix', () => {
    expect(uniqueId('solver', ['prior'])).toBe('solver');
    expect(uniqueId('solver', ['solver'])).toBe('solver_2');
    expect(uniqueId('solver_2', ['solver', 'solver_2'])).toBe('solver_3');
  });
});

describe('copy and paste', () => {
  it('copies the chosen nodes and only the wires between them', () => {
    const fragment = copyFragment(preset, ['prior', 'solver', 'timesteps']);
    expect(fragment.nodes.map((node) => node.id)).toEqual(['timesteps', 'prior', 'solver']);
    expect(fragment.edges.map(edgeKey).sort()).toEqual([
      'prior.samples->solver.noise',
      'timesteps.timesteps->prior.timesteps',
      'timesteps.timesteps->solver.timesteps',
    ]);
  });

  it('pastes with fresh ids, rewired inside, shifted, leaving the originals alone', () => {
    const fragment = copyFragment(preset, ['prior', 'solver', 'timesteps']);
    let ids: { nodes: string[]; notes: string[] } = { nodes: [], notes: [] };
    const pasted = produce(preset, (draft) => {
      ids = pasteFragment(draft, fragment, { x: 40, y: 40 });
    });
    expect(ids.nodes).toEqual(['timesteps_2', 'prior_2', 'solver_2']);
    expect(pasted.nodes).toHaveLength(preset.nodes.length + 3);
    const newEdges = pasted.edges.slice(preset.edges.length).map(edgeKey).sort();
    expect(newEdges).toEqual([
      'prior_2.samples->solver_2.noise',
      'timesteps_2.timesteps->prior_2.timesteps',
      'timesteps_2.timesteps->solver_2.timesteps',
    ]);
    const prior = preset.nodes.find((node) => node.id === 'prior')!;
    const copy = pasted.nodes.find((node) => node.id === 'prior_2')!;
    expect(copy.position).toEqual({ x: prior.position.x + 40, y: prior.position.y + 40 });
    expect(copy.params).toEqual(prior.params);
    expect(pasted.nodes.slice(0, preset.nodes.length)).toEqual(preset.nodes);
  });

  it('with input links, the copies are fed by the same outside sources; without, not', () => {
    const fragment = copyFragment(preset, ['solver']);
    expect(fragment.incoming.map(edgeKey).sort()).toEqual([
      'denoiser.denoiser->solver.denoiser',
      'prior.samples->solver.noise',
      'timesteps.timesteps->solver.timesteps',
    ]);
    const plain = produce(preset, (draft) => void pasteFragment(draft, fragment, { x: 0, y: 300 }));
    expect(plain.edges).toHaveLength(preset.edges.length);
    const linked = produce(preset, (draft) => {
      // A source deleted since the copy is skipped, not wired to a missing node.
      draft.nodes = draft.nodes.filter((node) => node.id !== 'denoiser');
      draft.edges = draft.edges.filter((edge) => edge.from.node !== 'denoiser');
      pasteFragment(draft, fragment, { x: 0, y: 300 }, { withInputLinks: true });
    });
    expect(
      linked.edges
        .filter((edge) => edge.to.node === 'solver_2')
        .map(edgeKey)
        .sort(),
    ).toEqual(['prior.samples->solver_2.noise', 'timesteps.timesteps->solver_2.timesteps']);
  });

  it('pastes notes and is independent of later edits to the source', () => {
    const withNote = produce(preset, (draft) => void addNote(draft, { x: 1, y: 1 }, 'why'));
    const fragment = copyFragment(withNote, ['prior'], ['note']);
    const edited = produce(withNote, (draft) => setParam(draft, 'prior', 'seed', 99));
    const pasted = produce(edited, (draft) => void pasteFragment(draft, fragment, { x: 0, y: 0 }));
    expect(pasted.notes?.map((note) => note.id)).toEqual(['note', 'note_2']);
    expect(pasted.nodes.find((node) => node.id === 'prior_2')?.params['seed']).toBe(0);
  });

  it('a duplicated pipeline still compiles (ids and wires stay consistent)', () => {
    const fragment = copyFragment(
      preset,
      preset.nodes.map((node) => node.id),
    );
    const doubled = produce(
      preset,
      (draft) => void pasteFragment(draft, fragment, { x: 0, y: 500 }),
    );
    const plan = compileGraph(doubled, catalogue);
    expect(plan.order).toHaveLength(10);
  });
});

describe('document edits', () => {
  it('adds a node named after its kind, with no params (defaults apply)', () => {
    let id = '';
    const next = produce(preset, (draft) => {
      id = addNode(draft, catalogue.get('solver')!, { x: 10.4, y: 20.6 });
    });
    expect(id).toBe('solver_2');
    expect(next.nodes.at(-1)).toEqual({
      id: 'solver_2',
      type: 'solver',
      typeVersion: catalogue.get('solver')!.version,
      position: { x: 10, y: 21 },
      params: {},
    });
  });

  it('a new wire into a fed input replaces the old one', () => {
    const next = produce(preset, (draft: GraphDocument) => {
      addNode(draft, catalogue.get('gaussian-prior')!, { x: 0, y: 0 });
      connect(draft, { node: 'prior_2', port: 'samples' }, { node: 'solver', port: 'noise' });
    });
    const feeding = next.edges.filter(
      (edge) => edge.to.node === 'solver' && edge.to.port === 'noise',
    );
    expect(feeding.map((edge) => edge.from.node)).toEqual(['prior_2']);
  });

  it('removing a node removes its wires; removing the last note drops the notes list', () => {
    const withNote = produce(preset, (draft) => void addNote(draft, { x: 0, y: 0 }));
    const next = produce(withNote, (draft) =>
      removeItems(draft, { nodes: ['timesteps'], notes: ['note'] }),
    );
    expect(next.nodes.map((node) => node.id)).not.toContain('timesteps');
    expect(next.edges.some((e) => e.from.node === 'timesteps' || e.to.node === 'timesteps')).toBe(
      false,
    );
    expect(next.edges).toHaveLength(preset.edges.length - 3);
    expect('notes' in next).toBe(false);
  });
});

describe('moves', () => {
  it('a move to where the node already is changes nothing (a click is not an edit)', () => {
    const prior = preset.nodes.find((node) => node.id === 'prior')!;
    const next = produce(preset, (draft) =>
      moveItems(draft, { nodes: { prior: { x: prior.position.x + 0.2, y: prior.position.y } } }),
    );
    expect(next).toBe(preset);
  });
});
