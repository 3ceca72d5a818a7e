// The keyboard shortcuts: one table that both the key handler and the help overlay read.

export type EditorCommand =
  | 'undo'
  | 'redo'
  | 'copy'
  | 'paste'
  | 'paste-with-links'
  | 'duplicate'
  | 'bypass'
  | 'group'
  | 'delete'
  | 'select-all'
  | 'save'
  | 'open'
  | 'run'
  | 'fit'
  | 'quick-add'
  | 'layout'
  | 'toggle-minimap'
  | 'help'
  | 'escape';

export interface Shortcut {
  readonly command: EditorCommand;
  /** As shown in the help overlay. */
  readonly keys: readonly string[];
  readonly label: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { command: 'undo', keys: ['Ctrl+Z'], label: 'Undo' },
  { command: 'redo', keys: ['Ctrl+Shift+Z', 'Ctrl+Y'], label: 'Redo' },
  { command: 'copy', keys: ['Ctrl+C'], label: 'Copy the selection (with the wires inside it)' },
  { command: 'paste', keys: ['Ctrl+V'], label: 'Paste' },
  {
    command: 'paste-with-links',
    keys: ['Ctrl+Shift+V'],
    label: 'Paste, keeping the wires that fed the copied nodes from outside',
  },
  {
    command: 'duplicate',
    keys: ['Ctrl+D', 'Alt+drag'],
    label: 'Duplicate the selection; Alt+drag a node to drag a copy away from the original',
  },
  {
    command: 'bypass',
    keys: ['Ctrl+B'],
    label: 'Bypass the selected nodes (their inputs pass through), or stop bypassing them',
  },
  {
    command: 'group',
    keys: ['Ctrl+G'],
    label:
      'Group the selected nodes in a titled frame: drag its title to move them together; a node dropped inside a frame joins it, dropped outside it leaves',
  },
  { command: 'delete', keys: ['Delete', 'Backspace'], label: 'Delete the selection' },
  { command: 'select-all', keys: ['Ctrl+A'], label: 'Select every node and note' },
  { command: 'save', keys: ['Ctrl+S'], label: 'Save' },
  { command: 'open', keys: ['Ctrl+O'], label: 'Open a graph file' },
  { command: 'run', keys: ['Ctrl+Enter'], label: 'Run the graph' },
  { command: 'fit', keys: ['F'], label: 'Fit the graph in view' },
  { command: 'layout', keys: ['L'], label: 'Auto-layout (left to right)' },
  { command: 'toggle-minimap', keys: ['M'], label: 'Show or hide the minimap' },
  { command: 'quick-add', keys: ['Space', 'double-click'], label: 'Quick-add a node' },
  { command: 'help', keys: ['?'], label: 'Show or hide this help' },
];

export interface KeyPress {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
  readonly altKey: boolean;
}

/**
 * The command a key press means, or null. In a text field only the shortcuts that cannot be
 * typing (Ctrl+S, Ctrl+O, Ctrl+Enter) count: Ctrl+Z there undoes the field's own text.
 */
export function commandForKey(press: KeyPress, inTextField: boolean): EditorCommand | null {
  const key = press.key.length === 1 ? press.key.toLowerCase() : press.key;
  const mod = press.ctrlKey || press.metaKey;
  if (press.altKey) return null;
  if (mod) {
    if (key === 'Enter') return 'run';
    if (key === 's') return 'save';
    if (key === 'o') return 'open';
    if (inTextField) return null;
    if (key === 'z') return press.shiftKey ? 'redo' : 'undo';
    if (key === 'y') return 'redo';
    if (key === 'c') return 'copy';
    if (key === 'v') return press.shiftKey ? 'paste-with-links' : 'paste';
    if (key === 'd') return 'duplicate';
    if (key === 'b') return 'bypass';
    if (key === 'g') return 'group';
    if (key === 'a') return 'select-all';
    return null;
  }
  if (key === 'Escape') return 'escape';
  if (inTextField) return null;
  if (key === 'Delete' || key === 'Backspace') return 'delete';
  if (key === 'f') return 'fit';
  if (key === 'l') return 'layout';
  if (key === 'm') return 'toggle-minimap';
  if (key === ' ') return 'quick-add';
  if (key === '?') return 'help';
  return null;
}
