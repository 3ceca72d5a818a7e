// End-to-end tests of the web build in the system Chromium (Playwright cannot download browsers
// on these machines). The app is built once and served by `vite preview` on a fixed port.
import { defineConfig } from '@playwright/test';
import { LAUNCHED_STORAGE_KEY } from './renderer/run/launch-marker';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './test/browser/chromium-launch';

// PRINCIPIA_TEST_PORT lets two checkouts run their browser tests side by side.
const PORT = Number(process.env['PRINCIPIA_TEST_PORT'] ?? 4317);
const PREVIEW_URL = `http://127.0.0.1:${PORT}/`;

export default defineConfig({
  testDir: 'test/browser',
  outputDir: 'test-results',
  timeout: 180_000,
  expect: { timeout: 15_000 },
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: PREVIEW_URL,
    browserName: 'chromium',
    viewport: { width: 1440, height: 860 },
    launchOptions: { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] },
    trace: 'retain-on-failure',
    // Every context would otherwise be the app's first launch, which runs the default graph on
    // its own; tests start as a returning user unless they say otherwise (first-launch.spec.ts).
    storageState: {
      cookies: [],
      origins: [
        {
          origin: new URL(PREVIEW_URL).origin,
          localStorage: [{ name: LAUNCHED_STORAGE_KEY, value: 'returning user' }],
        },
      ],
    },
  },
  webServer: {
    command: `npm run build:web && npx vite preview --config vite.web.config.ts --port ${PORT} --strictPort`,
    url: PREVIEW_URL,
    timeout: 180_000,
    // Always build and serve this tree: a server left on the port could be serving stale code.
    reuseExistingServer: false,
    stdout: 'pipe',
  },
});
