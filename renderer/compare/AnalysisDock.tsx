// The right-hand dock: the trajectory preview, the side-by-side comparison and the sweep, as
// tabs. A document that holds a Compare node opens on the comparison, one with a saved sweep on
// the sweep; the user's choice stands until another document arrives.
import { useEffect, useState } from 'react';
import { useGraphStore } from '../graph/graph-store';
import { PreviewPanel } from '../preview/PreviewPanel';
import { compareNodes } from './compare-branches';
import { CompareView } from './CompareView';
import { SweepPanel } from './SweepPanel';
import './compare.css';

const TABS = [
  { id: 'preview', title: 'Preview' },
  { id: 'compare', title: 'Compare' },
  { id: 'sweep', title: 'Sweep' },
] as const;
type TabId = (typeof TABS)[number]['id'];

export function AnalysisDock() {
  const loads = useGraphStore((state) => state.loads);
  const [tab, setTab] = useState<TabId>('preview');
  useEffect(() => {
    const { document } = useGraphStore.getState();
    setTab(compareNodes(document).length > 0 ? 'compare' : document.sweep ? 'sweep' : 'preview');
  }, [loads]);

  return (
    <div className="analysis-dock">
      <nav className="dock-tabs" role="tablist" aria-label="Views">
        {TABS.map((entry) => (
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
      </div>
    </div>
  );
}
