// What the canvas does when a node drag starts and stops (React Flow's onNodeDragStart and
// onNodeDragStop, module-level so the canvas hands React Flow the same functions every render).
// While a drag lasts, wires and the cards not being dragged stop taking the pointer: the browser
// hit-tests every pointer move against everything under it (each wire's stroke included), and
// nothing under a dragged card needs hover until it is dropped.
import { beginDrag } from './alt-drag-clone';
import type { FlowNode } from './flow-elements';

function canvasOf(event: { target: EventTarget | null }): HTMLElement | null {
  return event.target instanceof Element ? event.target.closest<HTMLElement>('.react-flow') : null;
}

export function onNodeDragStart(
  event: { altKey: boolean; target: EventTarget | null },
  node: FlowNode,
  dragged: readonly FlowNode[],
): void {
  beginDrag(event, node, dragged);
  const canvas = canvasOf(event);
  if (canvas) canvas.dataset['nodeDrag'] = 'true';
}

export function onNodeDragStop(event: { target: EventTarget | null }): void {
  const canvas = canvasOf(event) ?? document.querySelector<HTMLElement>('.react-flow');
  if (canvas) delete canvas.dataset['nodeDrag'];
}
