// A group on the canvas: a titled frame drawn under the nodes it holds. Its title bar is the only
// part that takes the pointer: drag it to move the frame with its nodes, double-click it to
// rename, right-click it for the group's menu. The grip in the bottom-right corner resizes it.
import { NodeResizeControl, type NodeProps } from '@xyflow/react';
import { memo, useRef, useState } from 'react';
import { MIN_GROUP_SIZE, renameGroup, resizeGroup } from '../graph/group-edits';
import { useGraphStore } from '../graph/graph-store';
import type { GroupFrameNode } from './flow-elements';
import './group-frame.css';
import { sameCardProps } from './same-card-props';

const DEFAULT_TINT = '#5b6478';

function GroupFrameView({ data }: NodeProps<GroupFrameNode>) {
  const { group } = data;
  const [renaming, setRenaming] = useState(false);
  // Enter or Escape ends the rename; the blur that follows as the field goes must not end it again.
  const renameOpen = useRef(false);
  const { edit } = useGraphStore.getState();
  const startRename = () => {
    renameOpen.current = true;
    setRenaming(true);
  };
  const finishRename = (title: string | null) => {
    if (!renameOpen.current) return;
    renameOpen.current = false;
    setRenaming(false);
    if (title !== null) edit((draft) => renameGroup(draft, group.id, title));
  };
  return (
    <div
      className="group-frame"
      style={{ '--group-tint': group.color ?? DEFAULT_TINT } as React.CSSProperties}
      data-testid={`group-${group.id}`}
    >
      <div
        className="group-frame-title"
        data-testid={`group-title-${group.id}`}
        title="Drag to move the group with its nodes; double-click to rename"
        onDoubleClick={(event) => {
          event.stopPropagation();
          startRename();
        }}
      >
        {renaming ? (
          <input
            className="group-frame-rename nodrag"
            aria-label="group title"
            defaultValue={group.title}
            autoFocus
            onFocus={(event) => event.target.select()}
            onKeyDown={(event) => {
              event.stopPropagation();
              if (event.key === 'Enter') finishRename(event.currentTarget.value);
              if (event.key === 'Escape') finishRename(null);
            }}
            onBlur={(event) => finishRename(event.currentTarget.value)}
          />
        ) : (
          <span className="group-frame-label">{group.title}</span>
        )}
      </div>
      <NodeResizeControl
        className="group-frame-grip"
        position="bottom-right"
        minWidth={MIN_GROUP_SIZE.width}
        minHeight={MIN_GROUP_SIZE.height}
        onResizeEnd={(_event, frame) => edit((draft) => resizeGroup(draft, group.id, frame))}
      />
    </div>
  );
}

export const GroupFrame = memo(GroupFrameView, sameCardProps);
