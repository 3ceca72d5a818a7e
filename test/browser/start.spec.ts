// `npm start` on a machine without Electron's binary: it serves the app for a browser and prints
// the URL, and that URL opens the working app.
import { spawn, type ChildProcess } from 'node:child_process';
import { expect, test } from '@playwright/test';

let server: ChildProcess | undefined;

test.afterEach(() => {
  // npm starts node, which starts vite: end the whole process group.
  if (server?.pid) process.kill(-server.pid, 'SIGTERM');
  server = undefined;
});

function waitForPrintedUrl(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let printed = '';
    const timer = setTimeout(
      () => reject(new Error(`npm start printed no URL within ${timeoutMs} ms:\n${printed}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer): void => {
      printed += chunk.toString();
      const match = /Open (http:\/\/\S+)/.exec(printed);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`npm start exited (${code}):\n${printed}`)));
  });
}

test('npm start serves the app for a browser and prints its URL', async ({ page }) => {
  server = spawn('npm', ['start'], {
    cwd: new URL('../..', import.meta.url).pathname,
    env: { ...process.env, BROWSER: 'none' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const url = await waitForPrintedUrl(server, 60_000);
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);

  await page.goto(url);
  await expect(page.locator('.react-flow__node')).toHaveCount(5, { timeout: 60_000 });
  await expect(page.getByTestId('run-button')).toBeVisible();
});
