// The window: toolbar on top; the node library above the inspector, the pipeline canvas, and the
// analysis dock (preview, compare, sweep) side by side; status along the bottom. Overlays
// (palette, hover facts, notices, help) float above.
import { ReactFlowProvider } from '@xyflow/react';
import { AnalysisDock } from './compare/AnalysisDock';
import { GraphCanvas } from './canvas/GraphCanvas';
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
  return (
    <div className="app">
      <Toolbar preferredBackend={preferredBackend} />
      <main className="workspace">
        <ReactFlowProvider>
          <aside className="side-column">
            <LibraryPanel />
            <Inspector />
          </aside>
          <GraphCanvas />
          <AnalysisDock />
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
