// The grip between the canvas and a side panel: drag it to resize the panel, click its tab (or
// double-click the grip) to fold the panel away and bring it back. Arrow keys resize it too.
import { useRef, type KeyboardEvent, type PointerEvent } from 'react';
import { clampWidth, PANEL_LIMITS, usePanelSizes } from './panel-sizes';
import './panels.css';

/** The canvas never gets narrower than this while a panel is dragged wider. */
const CANVAS_MIN_WIDTH = 240;
const KEY_STEP = 16;

const PANELS = {
  side: {
    label: 'node library and inspector',
    widthKey: 'sideWidth',
    collapsedKey: 'sideCollapsed',
  },
  dock: { label: 'analysis dock', widthKey: 'dockWidth', collapsedKey: 'dockCollapsed' },
} as const;

export function PanelHandle({ panel }: { panel: 'side' | 'dock' }) {
  const { label, widthKey, collapsedKey } = PANELS[panel];
  const width = usePanelSizes((state) => state[widthKey]);
  const collapsed = usePanelSizes((state) => state[collapsedKey]);
  const update = usePanelSizes((state) => state.update);
  const drag = useRef<{ x: number; width: number; moved: boolean } | null>(null);
  // The side column grows as the grip moves right; the dock, on the right, as it moves left.
  const direction = panel === 'side' ? 1 : -1;

  const widest = (): number => {
    const state = usePanelSizes.getState();
    const other =
      panel === 'side'
        ? state.dockCollapsed
          ? 0
          : state.dockWidth
        : state.sideCollapsed
          ? 0
          : state.sideWidth;
    return Math.max(PANEL_LIMITS[panel].min, window.innerWidth - other - CANVAS_MIN_WIDTH);
  };
  const resize = (next: number) =>
    update({ [widthKey]: Math.min(clampWidth(panel, next), widest()), [collapsedKey]: false });

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0 || event.target !== event.currentTarget) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { x: event.clientX, width: collapsed ? 0 : width, moved: false };
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const start = drag.current;
    if (!start) return;
    const delta = (event.clientX - start.x) * direction;
    if (!start.moved && Math.abs(delta) < 3) return;
    start.moved = true;
    resize(start.width + delta);
  };
  const onPointerUp = () => {
    drag.current = null;
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
      event.preventDefault();
      const sign = event.key === 'ArrowRight' ? 1 : -1;
      resize((collapsed ? 0 : width) + sign * direction * KEY_STEP);
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      update({ [collapsedKey]: !collapsed });
    }
  };

  return (
    <div
      className={`panel-handle panel-handle-${panel}${collapsed ? ' collapsed' : ''}`}
      role="separator"
      aria-orientation="vertical"
      aria-label={`Resize the ${label}`}
      aria-valuemin={PANEL_LIMITS[panel].min}
      aria-valuemax={PANEL_LIMITS[panel].max}
      aria-valuenow={collapsed ? 0 : width}
      tabIndex={0}
      data-testid={`panel-handle-${panel}`}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onDoubleClick={(event) => {
        if (event.target === event.currentTarget) update({ [collapsedKey]: !collapsed });
      }}
      onKeyDown={onKeyDown}
    >
      <button
        type="button"
        className="panel-handle-tab"
        tabIndex={-1}
        title={`${collapsed ? 'Show' : 'Hide'} the ${label}`}
        aria-label={`${collapsed ? 'Show' : 'Hide'} the ${label}`}
        data-testid={`panel-toggle-${panel}`}
        onClick={() => update({ [collapsedKey]: !collapsed })}
      >
        {(panel === 'side') === collapsed ? '›' : '‹'}
      </button>
    </div>
  );
}
