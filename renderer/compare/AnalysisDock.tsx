// The right-hand dock: the trajectory preview, the side-by-side comparison, the sweep and, once
// a node has trained, its training, as tabs. A document that holds a Compare node opens on the
// comparison, one with a saved sweep on the sweep; starting a training turns to it; the user's
// choice stands until another document arrives or another training starts.
import { useEffect, useState } from 'react';
import { useGraphStore } from '../graph/graph-store';
import { PreviewPanel } from '../preview/PreviewPanel';
import { TrainingDock } from '../training/TrainingDock';
import { useTrainingStore } from '../training/training-store';
import { compareNodes } from './compare-branches';
import { CompareView } from './CompareView';
import { SweepPanel } from './SweepPanel';
import './compare.css';

const TABS = [
  { id: 'preview', title: 'Preview' },
  { id: 'compare', title: 'Compare' },
  { id: 'sweep', title: 'Sweep' },
  { id: 'training', title: 'Training' },
] as const;
type TabId = (typeof TABS)[number]['id'];

export function AnalysisDock() {
  const loads = useGraphStore((state) => state.loads);
  const [tab, setTab] = useState<TabId>('preview');
  useEffect(() => {
    const { document } = useGraphStore.getState();
    setTab(compareNodes(document).length > 0 ? 'compare' : document.sweep ? 'sweep' : 'preview');
  }, [loads]);
  // Each training gets a new session number: the tab appears with the first and opens with each.
  const trainingSession = useTrainingStore((state) => state.session);
  useEffect(() => {
    if (trainingSession > 0) setTab('training');
  }, [trainingSession]);
  const shown = TABS.filter((entry) => entry.id !== 'training' || trainingSession > 0);

  return (
    <div className="analysis-dock">
      <nav className="dock-tabs" role="tablist" aria-label="Views">
        {shown.map((entry) => (
          <button
            key={entry.id}
            type="button"
            role="tab"
            aria-selected={tab === entry.id}
            className={tab === entry.id ? 'active' : undefined}
            onClick={() => setTab(entry.id)}
            data-testid={`tab-${entry.id}`}
          >
            {entry.title}
          </button>
        ))}
      </nav>
      <div className="dock-body" role="tabpanel">
        {tab === 'preview' && <PreviewPanel />}
        {tab === 'compare' && <CompareView />}
        {tab === 'sweep' && <SweepPanel />}
        {tab === 'training' && <TrainingDock />}
      </div>
    </div>
  );
}
