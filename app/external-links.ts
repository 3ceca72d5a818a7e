// Which web pages the app may open in the user's browser: the project's documentation and the
// monograph it follows, nothing else. A graph's notes or a compromised page could otherwise hand
// any URL to the operating system (custom protocol handlers, file://, phishing pages).

interface AllowedPages {
  readonly host: string;
  /** Which paths on that host; matched against the whole path. */
  readonly path: RegExp;
}

export const EXTERNAL_LINK_ALLOWLIST: readonly AllowedPages[] = [
  // The project's documentation (the graph JSON Schema's $id lives there too).
  { host: 'principia.dev', path: /^\/.*$/u },
  // The Principles of Diffusion Models (arXiv 2510.21890), its abstract page and PDF.
  { host: 'arxiv.org', path: /^\/(?:abs|pdf)\/2510\.21890(?:v\d+)?$/u },
];

/** True for an https URL on the allowlist, with no credentials and no explicit port. */
export function isAllowedExternalUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.port !== '') return false;
  if (parsed.username !== '' || parsed.password !== '') return false;
  return EXTERNAL_LINK_ALLOWLIST.some(
    (allowed) => parsed.hostname === allowed.host && allowed.path.test(parsed.pathname),
  );
}
