// A new user's first screen shows the default graph already run: a finished trajectory in the
// preview, not an empty one. Later launches start as the user left things, without running.
import { expect, test } from '@playwright/test';

// This file alone starts from an empty profile: the app's real first launch.
test.use({ storageState: { cookies: [], origins: [] } });

test('the first launch runs the default graph; the next launch does not', async ({
  page,
}, testInfo) => {
  await page.goto('/?backend=wasm');
  await expect(page.getByTestId('node-solver')).toBeVisible();
  // Nobody pressed Run.
  await expect(page.getByTestId('run-status')).toContainText('done in', { timeout: 60_000 });
  await expect(page.getByTestId('preview-caption')).toContainText('final samples');
  await page.screenshot({ path: testInfo.outputPath('first-screen.png') });

  await page.reload();
  await expect(page.getByTestId('node-solver')).toBeVisible();
  await page.waitForTimeout(1500);
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-phase', 'idle');
  await expect(page.getByTestId('preview-caption')).toHaveText(
    'Run the graph to see its trajectory',
  );
});
