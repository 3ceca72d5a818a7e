// The window: toolbar on top; the node library above the inspector, the pipeline canvas, and the
// analysis dock (preview, compare, sweep) side by side, with grips between them that resize or fold
// the side panels; status along the bottom. Overlays (palette, hover facts, notices, help) float
// above.
import { ReactFlowProvider } from '@xyflow/react';
import { AnalysisDock } from './compare/AnalysisDock';
import { GraphCanvas } from './canvas/GraphCanvas';
import { PanelHandle } from './chrome/PanelHandle';
import { usePanelSizes } from './chrome/panel-sizes';
import { StatusBar } from './chrome/StatusBar';
import { Toolbar } from './chrome/Toolbar';
import { HelpOverlay, HoverCard } from './editor/Overlays';
import { FileShell } from './files/FileShell';
import { useEditorShortcuts } from './editor/use-shortcuts';
import type { BackendName } from './engine/engine-protocol';
import { Inspector } from './inspector/Inspector';
import { LibraryPanel } from './library/LibraryPanel';
import { QuickAddPalette } from './library/QuickAddPalette';

export function App({ preferredBackend }: { preferredBackend: BackendName | undefined }) {
  useEditorShortcuts();
  const side = usePanelSizes((state) => (state.sideCollapsed ? 0 : state.sideWidth));
  const dock = usePanelSizes((state) => (state.dockCollapsed ? 0 : state.dockWidth));
  const libraryCollapsed = usePanelSizes((state) => state.libraryCollapsed);
  return (
    <div className="app">
      <Toolbar preferredBackend={preferredBackend} />
      <main
        className="workspace"
        style={{ gridTemplateColumns: `${side}px auto minmax(0, 1fr) auto ${dock}px` }}
      >
        <ReactFlowProvider>
          <aside
            className={`side-column${side === 0 ? ' collapsed' : ''}${libraryCollapsed ? ' library-collapsed' : ''}`}
            data-testid="side-column"
          >
            <LibraryPanel />
            <Inspector />
          </aside>
          <PanelHandle panel="side" />
          <GraphCanvas />
          <PanelHandle panel="dock" />
          <div
            className={`analysis-dock-slot${dock === 0 ? ' collapsed' : ''}`}
            data-testid="dock-slot"
          >
            <AnalysisDock />
          </div>
          <QuickAddPalette />
        </ReactFlowProvider>
      </main>
      <StatusBar />
      <HoverCard />
      <HelpOverlay />
      <FileShell />
    </div>
  );
}
