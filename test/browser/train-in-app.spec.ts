// Learned denoisers in the app: the "Train a denoiser" preset samples with the weights shipped
// beside it; Train retrains the MLP in the engine worker with a progress bar and a falling loss
// curve (in the dock), the next run samples with the new weights; a long training is cancelled within a second.
import { expect, test, type Page } from '@playwright/test';
import { openPreset, runAndWait, timeUntilPhase } from './editor-helpers';

async function setTrainingSteps(page: Page, steps: number): Promise<void> {
  await page.getByTestId('node-denoiser').click();
  const field = page
    .getByTestId('inspector-denoiser')
    .getByTestId('param-train_steps')
    .getByLabel('Training steps', { exact: true });
  await field.fill(String(steps));
  await field.press('Tab');
}

test('the shipped weights sample; Train lowers the loss and the next run uses the new weights', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await openPreset(page, 'train-a-denoiser');
  await runAndWait(page);
  await expect(page.getByTestId('node-denoiser').locator('.run-badge.done')).toBeVisible();

  await setTrainingSteps(page, 300);
  const panel = page.getByTestId('train-panel');
  await panel.getByTestId('train-button').click();
  await expect(panel).toHaveAttribute('data-phase', 'training');
  await expect(panel).toHaveAttribute('data-phase', 'done', { timeout: 120_000 });
  // The loss curve is in the dock's Training tab, which training opened.
  const curve = page.getByTestId('training-dock').getByTestId('loss-curve').locator('.uplot');
  expect(Number(await curve.getAttribute('data-points'))).toBeGreaterThan(3);
  expect(Number(await curve.getAttribute('data-last'))).toBeLessThan(
    Number(await curve.getAttribute('data-first')),
  );
  // A preset has no folder on disk: the weights stay in this session, downloadable.
  await expect(panel.getByTestId('train-result')).toContainText('kept for this session');
  await page.getByTestId('inspector').screenshot({ path: 'test-results/train-panel.png' });

  // The retrained denoiser runs again (its cached output was dropped), and so does the solver.
  await runAndWait(page);
  await expect(page.getByTestId('node-denoiser').locator('.run-badge.done')).toBeVisible();
  await expect(page.getByTestId('node-solver').locator('.run-badge.done')).toBeVisible();
  expect(errors).toEqual([]);
});

test('a long training is cancelled within a second and writes nothing', async ({ page }) => {
  await openPreset(page, 'train-a-denoiser');
  await setTrainingSteps(page, 200_000);
  const panel = page.getByTestId('train-panel');
  await panel.getByTestId('train-button').click();
  await expect(panel.getByTestId('train-status')).toBeVisible({ timeout: 60_000 });
  expect(await timeUntilPhase(page, 'train-cancel', 'train-panel', 'cancelled')).toBeLessThan(1000);
  await expect(panel.getByTestId('train-error')).toContainText('no weights were written');
});
