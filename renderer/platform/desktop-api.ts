// The desktop shell's preload bridge, when the app runs inside Electron; absent in a browser.
import type { PrincipiaDesktopApi } from '../../app/ipc-channels';

declare global {
  interface Window {
    readonly principia?: PrincipiaDesktopApi;
  }
}

export function desktopApi(): PrincipiaDesktopApi | undefined {
  return window.principia;
}

/** Reads a file a graph names: through the desktop bridge, or from the web server in a browser. */
export async function readGraphFile(path: string): Promise<Uint8Array> {
  const desktop = desktopApi();
  if (desktop) return desktop.readFile(path);
  const response = await fetch(new URL(path, document.baseURI));
  if (!response.ok) throw new Error(`cannot read "${path}": HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}
