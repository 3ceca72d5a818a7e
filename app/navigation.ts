// Where a window may go: its own pages only. Links to the allowlisted documentation open in the
// user's browser; every other navigation and every window.open is refused (and logged by main).
import { isAllowedExternalUrl } from './external-links';

/** The origin the app's pages come from: app://principia, or the dev server's. */
export function isAppUrl(url: string, appOrigin: string): boolean {
  let parsed: URL;
  let app: URL;
  try {
    parsed = new URL(url);
    app = new URL(appOrigin);
  } catch {
    return false;
  }
  // Compared part by part: Node reports the origin of a custom scheme as "null".
  return (
    parsed.protocol === app.protocol &&
    parsed.host === app.host &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

export type LinkDecision = 'stay' | 'open-externally' | 'refuse';

/** A window navigating (a link clicked, location set): only within the app. */
export function decideNavigation(url: string, appOrigin: string): LinkDecision {
  if (isAppUrl(url, appOrigin)) return 'stay';
  return isAllowedExternalUrl(url) ? 'open-externally' : 'refuse';
}

/** window.open and target=_blank: the app never opens a second window of its own. */
export function decideWindowOpen(url: string): Exclude<LinkDecision, 'stay'> {
  return isAllowedExternalUrl(url) ? 'open-externally' : 'refuse';
}
