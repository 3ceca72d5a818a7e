// Whether this is the app's very first launch in this profile: a marker in localStorage, set the
// first time it is asked. Tests and benches that should start as a returning user set it before
// the page loads (playwright.config.ts, scripts/bench-browser.ts).
export const LAUNCHED_STORAGE_KEY = 'principia.launched';

/** True once per profile: the first call finds no marker and leaves one. */
export function claimFirstLaunch(): boolean {
  try {
    if (localStorage.getItem(LAUNCHED_STORAGE_KEY) !== null) return false;
    localStorage.setItem(LAUNCHED_STORAGE_KEY, new Date().toISOString());
    return true;
  } catch {
    // Without storage every launch would look like the first: stay quiet instead.
    return false;
  }
}
