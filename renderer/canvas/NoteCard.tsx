// A comment on the canvas. Typing into it is one undo step per visit to the text.
import { NodeResizer, type NodeProps } from '@xyflow/react';
import { memo, useEffect, useRef, useState } from 'react';
import { updateNote } from '../graph/document-edits';
import { useGraphStore } from '../graph/graph-store';
import type { NoteNode } from './flow-elements';
import { sameCardProps } from './same-card-props';

function NoteCardView({ data, selected }: NodeProps<NoteNode>) {
  const { note } = data;
  const [text, setText] = useState(note.text);
  const typing = useRef(false);
  // Undo and redo change the text from outside. While typing, the canvas may still be drawing an
  // older document, so the field's own text wins until it loses focus.
  useEffect(() => {
    if (!typing.current) setText(note.text);
  }, [note.text]);
  const { edit, endGesture } = useGraphStore.getState();
  return (
    <div className={`note-card${selected ? ' selected' : ''}`} data-testid={`note-${note.id}`}>
      <NodeResizer
        isVisible={selected}
        minWidth={120}
        minHeight={60}
        onResizeEnd={(_event, size) =>
          edit((draft) =>
            updateNote(draft, note.id, {
              size: { width: size.width, height: size.height },
              position: { x: size.x, y: size.y },
            }),
          )
        }
      />
      <textarea
        className="nodrag nowheel"
        value={text}
        placeholder="Note…"
        aria-label="note text"
        onChange={(event) => {
          setText(event.target.value);
          edit((draft) => updateNote(draft, note.id, { text: event.target.value }), {
            group: `note-text:${note.id}`,
          });
        }}
        onFocus={() => (typing.current = true)}
        onBlur={() => {
          typing.current = false;
          endGesture();
          setText(
            useGraphStore.getState().document.notes?.find((n) => n.id === note.id)?.text ?? '',
          );
        }}
      />
    </div>
  );
}

export const NoteCard = memo(NoteCardView, sameCardProps);
