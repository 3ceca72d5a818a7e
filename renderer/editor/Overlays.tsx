// Things that float over the editor: the hover card with a port's or wire's facts, the notice
// saying why an edit was refused, and the shortcut help (?).
import { useEffect } from 'react';
import { editorState, useEditorStore } from './editor-store';
import { SHORTCUTS } from './shortcuts';

const NOTICE_MS = 8000;

export function HoverCard() {
  const hover = useEditorStore((state) => state.hover);
  if (!hover) return null;
  return (
    <div
      className="hover-card"
      role="tooltip"
      data-testid="hover-card"
      style={{ left: hover.screen.x + 14, top: hover.screen.y + 14 }}
    >
      <strong>{hover.title}</strong>
      {hover.lines.map((line, index) => (
        <div key={index}>{line}</div>
      ))}
    </div>
  );
}

export function Notice() {
  const notice = useEditorStore((state) => state.notice);
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(editorState.clearNotice, NOTICE_MS);
    return () => clearTimeout(timer);
  }, [notice]);
  if (!notice) return null;
  return (
    <div className="notice" role="alert" data-testid="notice">
      <span>{notice.text}</span>
      <button aria-label="Dismiss" onClick={editorState.clearNotice}>
        ×
      </button>
    </div>
  );
}

export function HelpOverlay() {
  const open = useEditorStore((state) => state.helpOpen);
  if (!open) return null;
  return (
    <div className="help-backdrop" onClick={() => editorState.setHelpOpen(false)}>
      <div className="help" role="dialog" aria-label="Keyboard shortcuts" data-testid="help">
        <h2>Keyboard shortcuts</h2>
        <table>
          <tbody>
            {SHORTCUTS.map((shortcut) => (
              <tr key={shortcut.command}>
                <td>
                  {shortcut.keys.map((key) => (
                    <kbd key={key}>{key}</kbd>
                  ))}
                </td>
                <td>{shortcut.label}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted">
          Drag from a port to another to wire them; drop a wire on empty canvas to pick a node for
          it. Shift-drag selects a box; Ctrl-click adds to the selection. Hover a port or wire after
          a run to see what it carried.
        </p>
      </div>
    </div>
  );
}
