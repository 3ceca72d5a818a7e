// Entry point: pick the engine's backend (optionally forced with ?backend=wasm) and mount the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { BACKEND_PREFERENCE, type BackendName } from './engine/engine-protocol';
import { chooseBackend } from './run/run-controller';
import './styles/app.css';

const requested = new URLSearchParams(window.location.search).get('backend');
const preferredBackend = BACKEND_PREFERENCE.find((name): name is BackendName => name === requested);

void chooseBackend(preferredBackend);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App preferredBackend={preferredBackend} />
  </StrictMode>,
);
