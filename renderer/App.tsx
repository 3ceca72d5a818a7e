// The window: toolbar on top, the pipeline canvas beside the preview, status along the bottom.
import { ReactFlowProvider } from '@xyflow/react';
import { GraphCanvas } from './canvas/GraphCanvas';
import { StatusBar } from './chrome/StatusBar';
import { Toolbar } from './chrome/Toolbar';
import type { BackendName } from './engine/engine-protocol';
import { PreviewPanel } from './preview/PreviewPanel';

export function App({ preferredBackend }: { preferredBackend: BackendName | undefined }) {
  return (
    <div className="app">
      <Toolbar preferredBackend={preferredBackend} />
      <main className="workspace">
        <ReactFlowProvider>
          <GraphCanvas />
        </ReactFlowProvider>
        <PreviewPanel />
      </main>
      <StatusBar />
    </div>
  );
}
