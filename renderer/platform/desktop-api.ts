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
