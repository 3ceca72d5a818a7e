// The pipeline canvas. React Flow keeps its own node state for smooth dragging; a finished drag
// is written back to the document, and a new document replaces the canvas.
import {
  Background,
  BackgroundVariant,
  Controls,
  ReactFlow,
  applyNodeChanges,
  type NodeChange,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useGraphStore } from '../graph/graph-store';
import { toFlowEdges, toFlowNodes, type NodeCardNode } from './flow-elements';
import { NodeCard } from './NodeCard';

const nodeTypes = { card: NodeCard };

export function GraphCanvas() {
  const document = useGraphStore((state) => state.document);
  const moveNode = useGraphStore((state) => state.moveNode);
  const [nodes, setNodes] = useState<NodeCardNode[]>(() => toFlowNodes(document));
  const edges = useMemo(() => toFlowEdges(document), [document]);

  // Only a different set of nodes rebuilds the canvas; a moved node is already where it belongs.
  const nodeSignature = document.nodes
    .map((node) => `${node.id}:${node.type}:${JSON.stringify(node.params)}`)
    .join('|');
  useEffect(() => {
    setNodes(toFlowNodes(useGraphStore.getState().document));
  }, [nodeSignature]);

  const onNodesChange = useCallback(
    (changes: NodeChange<NodeCardNode>[]) => {
      setNodes((current) => applyNodeChanges(changes, current));
      for (const change of changes) {
        if (change.type === 'position' && change.dragging === false && change.position) {
          moveNode(change.id, change.position);
        }
      }
    },
    [moveNode],
  );

  return (
    <div className="canvas" data-testid="canvas">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        nodesConnectable={false}
        fitView
        fitViewOptions={{ padding: 0.15 }}
        minZoom={0.2}
        colorMode="dark"
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
