// Training watched in the dock: Train in the inspector opens the dock's Training tab, where the
// loss falls on a chart with a log loss axis and step numbers, and samples of the model drawn by
// the worker every so often show it learning the two moons.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { openPreset } from './editor-helpers';

async function setTrainingSteps(page: Page, steps: number): Promise<void> {
  await page.getByTestId('node-denoiser').click();
  const field = page
    .getByTestId('inspector-denoiser')
    .getByTestId('param-train_steps')
    .getByLabel('Training steps', { exact: true });
  await field.fill(String(steps));
  await field.press('Tab');
}

/** What a sample tile's canvas shows, as PNG data. */
const pictureOf = (tile: Locator) =>
  tile.locator('canvas').evaluate((canvas: HTMLCanvasElement) => canvas.toDataURL());

test('training opens the Training tab with a live log-loss chart and samples at rising steps', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // uPlot's stylesheet and canvases must sit within the app's Content-Security-Policy.
  page.on('console', (message) => {
    if (/Content.Security.Policy/iu.test(message.text())) errors.push(message.text());
  });
  await openPreset(page, 'train-a-denoiser');
  // No training yet, no Training tab.
  await expect(page.getByTestId('tab-training')).toHaveCount(0);

  await setTrainingSteps(page, 500);
  await page.getByTestId('train-panel').getByTestId('train-button').click();
  await expect(page.getByTestId('tab-training')).toHaveAttribute('aria-selected', 'true');
  const dock = page.getByTestId('training-dock');
  const previews = dock.getByTestId('sample-preview');

  // Samples arrive while it trains, not only at the end.
  await expect(previews.first()).toBeVisible({ timeout: 60_000 });
  const phaseAtFirstPreview = await dock.getAttribute('data-phase');
  await page.screenshot({ path: '/tmp/charts-train-dock-live.png' });
  await expect(dock).toHaveAttribute('data-phase', 'done', { timeout: 120_000 });
  expect(phaseAtFirstPreview).toBe('training');
  await expect(dock.getByTestId('training-dock-status')).toContainText('step 500 / 500');
  // The inspector's Train section still reports the result.
  await expect(page.getByTestId('train-panel')).toHaveAttribute('data-phase', 'done');
  await expect(page.getByTestId('train-result')).toContainText('kept for this session');

  // The loss chart: the numbers it holds, falling, on axes with tick labels, at a readable size.
  const chart = dock.getByTestId('loss-curve').locator('.uplot');
  const points = Number(await chart.getAttribute('data-points'));
  expect(points).toBeGreaterThanOrEqual(500 / 25);
  expect(Number(await chart.getAttribute('data-last'))).toBeLessThan(
    Number(await chart.getAttribute('data-first')),
  );
  const xTicks = (await chart.getAttribute('data-x-ticks'))!.split(' ').map(Number);
  expect(xTicks.length).toBeGreaterThanOrEqual(3);
  expect(Math.max(...xTicks)).toBeGreaterThanOrEqual(400);
  const yTicks = (await chart.getAttribute('data-y-ticks'))!.split(' ').map(Number);
  expect(yTicks.length).toBeGreaterThanOrEqual(2);
  // Log axis: the labels are round numbers (1, 2, 5, … times a power of ten).
  for (const tick of yTicks) {
    const mantissa = tick / 10 ** Math.floor(Math.log10(tick));
    expect(Math.abs(mantissa - Math.round(mantissa))).toBeLessThan(1e-6);
  }
  const plot = await dock.getByTestId('loss-curve').locator('canvas').boundingBox();
  expect(plot!.width).toBeGreaterThanOrEqual(300);
  expect(plot!.height).toBeGreaterThanOrEqual(180);

  // At least two previews, at different steps, showing different pictures; the last at the end.
  const count = await previews.count();
  expect(count).toBeGreaterThanOrEqual(2);
  const steps = await previews.evaluateAll((tiles) =>
    tiles.map((tile) => Number(tile.getAttribute('data-step'))),
  );
  expect(new Set(steps).size).toBe(steps.length);
  expect(steps.at(-1)).toBe(500);
  await expect(previews.first().locator('figcaption')).toHaveText(`step ${steps[0]}`);
  await expect(previews.first()).toHaveAttribute('data-kind', 'scatter');
  expect(await pictureOf(previews.first())).not.toBe(await pictureOf(previews.last()));
  const spreads = await previews.evaluateAll((tiles) =>
    tiles.map((tile) => Number(tile.getAttribute('data-spread'))),
  );
  // Samples of a model of the two moons: spread about the data's own (≈ 0.7), not the noise's 80.
  expect(spreads.at(-1)).toBeGreaterThan(0.3);
  expect(spreads.at(-1)).toBeLessThan(1.5);

  await dock.screenshot({ path: '/tmp/charts-train-dock.png' });
  // The tab keeps its content when the user looks elsewhere and comes back.
  await page.getByTestId('tab-preview').click();
  await page.getByTestId('tab-training').click();
  await expect(previews).toHaveCount(count);
  expect(errors).toEqual([]);
});
