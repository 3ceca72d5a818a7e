// The window's defences as pure decisions: its web preferences, the Content-Security-Policy,
// where it may navigate and which links open in the browser, and which files the app:// protocol
// serves from the renderer folder.
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../app/content-security-policy';
import { isAllowedExternalUrl } from '../../app/external-links';
import { decideNavigation, decideWindowOpen, isAppUrl } from '../../app/navigation';
import { RENDERER_ORIGIN, rendererFileFor } from '../../app/renderer-files';
import { mainWindowOptions } from '../../app/window-options';

describe('window options', () => {
  it('isolate and sandbox the renderer, without Node, with web security on', () => {
    const options = mainWindowOptions({ width: 1200, height: 800 }, '/app/preload/index.cjs');
    expect(options.webPreferences).toEqual({
      preload: '/app/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    });
    expect(options.show).toBe(false);
  });
});

describe('Content-Security-Policy', () => {
  function directives(policy: string): Map<string, string[]> {
    return new Map(
      policy.split('; ').map((directive) => {
        const [name, ...sources] = directive.split(' ');
        return [name!, sources];
      }),
    );
  }

  it('allows only the app itself: no inline or eval script, no plugins, frames or forms', () => {
    const policy = directives(contentSecurityPolicy());
    expect(policy.get('default-src')).toEqual(["'self'"]);
    // tfjs's wasm backend needs wasm compilation, nothing more.
    expect(policy.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    for (const name of ['object-src', 'frame-src', 'base-uri', 'form-action']) {
      expect(policy.get(name)).toEqual(["'none'"]);
    }
    for (const sources of policy.values()) {
      expect(sources).not.toContain("'unsafe-eval'");
      expect(sources).not.toContain('*');
      expect(sources.some((source) => /^https?:/.test(source))).toBe(false);
    }
  });

  it('lets the dev server push updates only to localhost, and only when asked', () => {
    const policy = directives(contentSecurityPolicy({ allowDevServerSocket: true }));
    expect(policy.get('connect-src')).toEqual(["'self'", 'ws://127.0.0.1:*', 'ws://localhost:*']);
  });
});

describe('navigation and new windows', () => {
  const devOrigin = 'http://localhost:5173';

  it("navigates only within the app's own origin", () => {
    expect(decideNavigation(`${RENDERER_ORIGIN}/index.html`, RENDERER_ORIGIN)).toBe('stay');
    expect(decideNavigation(`${devOrigin}/src/index.html`, devOrigin)).toBe('stay');
    for (const url of [
      'app://principia.evil/index.html',
      'app://evil/index.html',
      'app://principia@evil/',
      'file:///etc/passwd',
      'http://localhost:5174/',
      'http://localhost:5173.evil.com/',
      'https://evil.example/',
      'javascript:alert(1)',
      'not a url',
    ]) {
      expect(decideNavigation(url, devOrigin), url).toBe('refuse');
      expect(isAppUrl(url, RENDERER_ORIGIN), url).toBe(false);
    }
    // A documentation link clicked in the page opens in the browser, the window stays.
    expect(decideNavigation('https://principia.dev/docs/nodes', RENDERER_ORIGIN)).toBe(
      'open-externally',
    );
  });

  it('never opens a window: allowlisted pages go to the browser, the rest are refused', () => {
    expect(decideWindowOpen('https://principia.dev/')).toBe('open-externally');
    expect(decideWindowOpen('https://arxiv.org/abs/2510.21890')).toBe('open-externally');
    expect(decideWindowOpen(`${RENDERER_ORIGIN}/index.html`)).toBe('refuse');
    expect(decideWindowOpen('https://evil.example/')).toBe('refuse');
  });
});

describe('external link allowlist', () => {
  it('accepts the documentation and the monograph', () => {
    for (const url of [
      'https://principia.dev/',
      'https://principia.dev/docs/nodes.html#heun',
      'https://PRINCIPIA.dev/schema/graph/v1.json',
      'https://arxiv.org/abs/2510.21890',
      'https://arxiv.org/abs/2510.21890v2',
      'https://arxiv.org/pdf/2510.21890',
    ]) {
      expect(isAllowedExternalUrl(url), url).toBe(true);
    }
  });

  it('refuses everything else, however it is dressed up', () => {
    for (const url of [
      'http://principia.dev/',
      'https://principia.dev:8443/',
      'https://user:pass@principia.dev/',
      'https://principia.dev@evil.example/',
      'https://principia.dev.evil.example/',
      'https://evil-principia.dev/',
      'https://docs.principia.dev/',
      'https://arxiv.org/abs/2510.218901',
      'https://arxiv.org/abs/1234.5678',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://server/share',
      'ms-settings:',
      '',
      'principia.dev',
    ]) {
      expect(isAllowedExternalUrl(url), url).toBe(false);
    }
  });
});

describe('renderer protocol', () => {
  let base: string;
  let renderer: string;

  beforeEach(async () => {
    base = await realpath(await mkdtemp(join(tmpdir(), 'principia-protocol-')));
    renderer = join(base, 'renderer');
    await mkdir(join(renderer, 'assets'), { recursive: true });
    await writeFile(join(renderer, 'index.html'), '<html>');
    await writeFile(join(renderer, 'assets', 'engine worker.js'), '');
    await writeFile(join(base, 'secret.txt'), 'secret');
  });
  afterEach(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it("serves the renderer's own files, decoded", async () => {
    expect(await rendererFileFor(renderer, `${RENDERER_ORIGIN}/index.html`)).toBe(
      join(renderer, 'index.html'),
    );
    expect(await rendererFileFor(renderer, `${RENDERER_ORIGIN}/assets/engine%20worker.js`)).toBe(
      join(renderer, 'assets', 'engine worker.js'),
    );
  });

  it('refuses traversal, plain or encoded, and other hosts', async () => {
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E/secret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/%2e%2e%2fsecret.txt',
      '/..%5c..%5csecret.txt',
      `/${encodeURIComponent(join(base, 'secret.txt'))}`,
      '//etc/passwd',
      '/index.html%00.png',
      '/%E0%A4%A',
      '/',
      '/assets',
    ]) {
      expect(await rendererFileFor(renderer, `${RENDERER_ORIGIN}${path}`), path).toBeUndefined();
    }
    expect(await rendererFileFor(renderer, 'app://elsewhere/index.html')).toBeUndefined();
    expect(await rendererFileFor(renderer, 'file:///etc/passwd')).toBeUndefined();
  });

  it('refuses symlinks that lead out of the renderer folder', async () => {
    await symlink(join(base, 'secret.txt'), join(renderer, 'assets', 'leak.js'));
    await symlink(base, join(renderer, 'up'));
    expect(await rendererFileFor(renderer, `${RENDERER_ORIGIN}/assets/leak.js`)).toBeUndefined();
    expect(await rendererFileFor(renderer, `${RENDERER_ORIGIN}/up/secret.txt`)).toBeUndefined();
  });
});
