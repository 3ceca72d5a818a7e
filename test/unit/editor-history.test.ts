// Undo history over immer patches, and the graph store that records every edit in it.
import { produceWithPatches } from 'immer';
import { beforeEach, describe, expect, it } from 'vitest';
import { catalogue, type GraphDocument } from '../../graph-nodes';
import {
  addNode,
  addNote,
  connect,
  moveItems,
  removeItems,
  setParam,
  updateNote,
} from '../../renderer/graph/document-edits';
import { useGraphStore } from '../../renderer/graph/graph-store';
import {
  closeGroup,
  EMPTY_HISTORY,
  isDirty,
  markSaved,
  recordEdit,
  redo,
  undo,
  type History,
} from '../../renderer/graph/history';
import { loadDefaultPreset } from '../../renderer/graph/default-preset';

function editWith(
  document: GraphDocument,
  history: History,
  recipe: (draft: GraphDocument) => void,
  group?: string,
): [GraphDocument, History] {
  const [next, patches, inversePatches] = produceWithPatches(document, recipe);
  return [next, recordEdit(history, { patches, inversePatches, group })];
}

describe('history', () => {
  const start = loadDefaultPreset();

  it('undoes and redoes one edit exactly', () => {
    const [edited, history] = editWith(start, EMPTY_HISTORY, (d) =>
      setParam(d, 'solver', 'seed', 7),
    );
    const [undone, afterUndo] = undo(edited, history);
    expect(undone).toEqual(start);
    const [redone] = redo(undone, afterUndo);
    expect(redone).toEqual(edited);
  });

  it('merges edits of one open group into one step, and starts a new step once closed', () => {
    let document = start;
    let history = EMPTY_HISTORY;
    for (const steps of [21, 22, 23, 24]) {
      [document, history] = editWith(
        document,
        history,
        (d) => setParam(d, 'timesteps', 'steps', steps),
        'slider',
      );
    }
    expect(history.entries).toHaveLength(1);
    history = closeGroup(history);
    [document, history] = editWith(
      document,
      history,
      (d) => setParam(d, 'timesteps', 'steps', 30),
      'slider',
    );
    expect(history.entries).toHaveLength(2);
    [document, history] = undo(document, history);
    expect(document.nodes[1]!.params['steps']).toBe(24);
    [document] = undo(document, history);
    expect(document).toEqual(start);
  });

  it('does not merge different groups, and an edit after undo drops the undone future', () => {
    let document = start;
    let history = EMPTY_HISTORY;
    [document, history] = editWith(document, history, (d) => setParam(d, 'prior', 'seed', 1), 'a');
    [document, history] = editWith(document, history, (d) => setParam(d, 'prior', 'seed', 2), 'b');
    expect(history.entries).toHaveLength(2);
    [document, history] = undo(document, history);
    [document, history] = editWith(document, history, (d) => setParam(d, 'prior', 'count', 5));
    expect(history.entries).toHaveLength(2);
    expect(history.index).toBe(2);
    expect(redo(document, history)[1]).toBe(history);
  });

  it('is dirty exactly when away from the saved point', () => {
    let document = start;
    let history = EMPTY_HISTORY;
    expect(isDirty(history)).toBe(false);
    [document, history] = editWith(document, history, (d) => setParam(d, 'prior', 'seed', 1));
    expect(isDirty(history)).toBe(true);
    [document, history] = undo(document, history);
    expect(isDirty(history)).toBe(false);
    [document, history] = redo(document, history);
    history = markSaved(history);
    expect(isDirty(history)).toBe(false);
    [document, history] = undo(document, history);
    expect(isDirty(history)).toBe(true);
    // Editing from here discards the saved state: no undo or redo can reach it again.
    [, history] = editWith(document, history, (d) => setParam(d, 'prior', 'seed', 9));
    expect(history.savedIndex).toBeNull();
    expect(isDirty(history)).toBe(true);
  });

  it('ignores edits that change nothing', () => {
    const [, history] = editWith(start, EMPTY_HISTORY, () => undefined);
    expect(history).toBe(EMPTY_HISTORY);
  });
});

describe('graph store', () => {
  beforeEach(() => useGraphStore.getState().load(loadDefaultPreset(), 'test'));

  it('ten edits, ten undos give the exact starting document; ten redos the edited one', () => {
    const store = useGraphStore.getState();
    const startText = JSON.stringify(store.document);
    const edits: ((draft: GraphDocument) => void)[] = [
      (d) => void addNode(d, catalogue.get('edm-schedule')!, { x: 5, y: 5 }),
      (d) => setParam(d, 'timesteps', 'steps', 40),
      (d) => moveItems(d, { nodes: { prior: { x: 1, y: 2 }, solver: { x: 3, y: 4 } } }),
      (d) => removeItems(d, { edges: ['prior.samples->solver.noise'] }),
      (d) => connect(d, { node: 'prior', port: 'samples' }, { node: 'solver', port: 'noise' }),
      (d) => void addNote(d, { x: 0, y: 0 }, 'hello'),
      (d) => updateNote(d, 'note', { text: 'hello world', size: { width: 300, height: 90 } }),
      (d) => removeItems(d, { nodes: ['denoiser'] }),
      (d) => setParam(d, 'solver', 'algorithm', 'euler'),
      (d) => removeItems(d, { notes: ['note'] }),
    ];
    for (const recipe of edits) useGraphStore.getState().edit(recipe);
    const editedText = JSON.stringify(useGraphStore.getState().document);
    expect(editedText).not.toBe(startText);
    expect(useGraphStore.getState().history.entries).toHaveLength(10);
    for (let i = 0; i < 10; i++) useGraphStore.getState().undo();
    expect(JSON.stringify(useGraphStore.getState().document)).toBe(startText);
    expect(useGraphStore.getState().dirty).toBe(false);
    expect(useGraphStore.getState().canUndo).toBe(false);
    for (let i = 0; i < 10; i++) useGraphStore.getState().redo();
    expect(JSON.stringify(useGraphStore.getState().document)).toBe(editedText);
    expect(useGraphStore.getState().dirty).toBe(true);
  });

  it('groups a gesture into one step until endGesture, and load resets the history', () => {
    const { edit, endGesture } = useGraphStore.getState();
    for (const value of [0.1, 0.2, 0.3]) {
      edit((d) => setParam(d, 'solver', 's_churn', value), { group: 'drag' });
    }
    endGesture();
    edit((d) => setParam(d, 'solver', 's_churn', 0.4), { group: 'drag' });
    expect(useGraphStore.getState().history.entries).toHaveLength(2);
    useGraphStore.getState().load(loadDefaultPreset(), 'again');
    expect(useGraphStore.getState().history).toEqual(EMPTY_HISTORY);
    expect(useGraphStore.getState().dirty).toBe(false);
  });

  it('keeps a gesture whole through moves that change nothing (a rounded log slider)', () => {
    const { edit } = useGraphStore.getState();
    for (const value of [0.1, 0.1, 0.2, 0.2, 0.2, 0.3]) {
      edit((d) => setParam(d, 'solver', 's_churn', value), { group: 'drag' });
    }
    expect(useGraphStore.getState().history.entries).toHaveLength(1);
    // A no-op outside the gesture still ends it.
    edit((d) => setParam(d, 'solver', 's_churn', 0.3));
    edit((d) => setParam(d, 'solver', 's_churn', 0.4), { group: 'drag' });
    expect(useGraphStore.getState().history.entries).toHaveLength(2);
  });

  it('markSaved keeps the undo history and clears dirty', () => {
    useGraphStore.getState().edit((d) => setParam(d, 'prior', 'seed', 3));
    useGraphStore.getState().markSaved('saved.json');
    const state = useGraphStore.getState();
    expect(state.dirty).toBe(false);
    expect(state.source).toBe('saved.json');
    expect(state.canUndo).toBe(true);
  });
});
