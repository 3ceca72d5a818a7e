// Dragging a group's frame carries its nodes: while React Flow moves the frame, each of its
// position changes brings position changes for the frame's nodes, by the same amount from where
// the document has them. The drop is written as one edit (group-edits' moveGroup).
import type { NodeChange } from '@xyflow/react';
import type { GraphDocument } from '../../graph-nodes';
import { memberPositionsAt } from '../graph/group-edits';
import { groupIdOf, type FlowNode } from './flow-elements';

/**
 * The position changes that move the nodes of every frame in `changes` along with it. They
 * carry no `dragging` flag: only the frame is dragged, and only its drop is an edit.
 */
export function frameFollowerChanges(
  changes: readonly NodeChange<FlowNode>[],
  document: GraphDocument,
): NodeChange<FlowNode>[] {
  const followers: NodeChange<FlowNode>[] = [];
  for (const change of changes) {
    if (change.type !== 'position' || !change.position) continue;
    const groupId = groupIdOf(change.id);
    if (groupId === undefined) continue;
    for (const [id, position] of memberPositionsAt(document, groupId, change.position)) {
      followers.push({ type: 'position', id, position });
    }
  }
  return followers;
}
