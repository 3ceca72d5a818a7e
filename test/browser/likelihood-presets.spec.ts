// The likelihood presets in the real app: each opens from the gallery and runs, and its numbers
// can be read where a person reads them — NLL and the ELBO's bound on the node cards, the NLL of
// each branch in the Compare table — with the bound above the exact NLL and the gap shrinking as
// T grows, and the trained MLP scoring held-out points far better than the memorising exact
// denoiser.
import { expect, test, type Page } from '@playwright/test';
import { openPreset, runAndWait } from './editor-helpers';

function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

const realErrors = (errors: string[]) => errors.filter((text) => !/WebGPU|adapter/i.test(text));

/** A value on a node card's metrics readout. */
async function cardValue(page: Page, node: string, name: string): Promise<number> {
  const cell = page.getByTestId(`metrics-readout-${node}`).locator(`[data-name="${name}"]`);
  await expect(cell).toBeVisible();
  return Number(await cell.getAttribute('data-value'));
}

test('three views of one model: the sampler, the exact NLL, the ELBO and Metrics agree', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openPreset(page, 'three-views-of-one-model');
  await runAndWait(page);
  const nll = await cardValue(page, 'likelihood', 'nll');
  const bound = await cardValue(page, 'elbo', 'nll_bound');
  const metricsNll = await cardValue(page, 'metrics', 'nll');
  expect(Number.isFinite(nll)).toBe(true);
  // The Metrics node's NLL is the Log-likelihood node's on the same held-out points.
  expect(metricsNll).toBeCloseTo(nll, 9);
  // ELBO ≤ log p: the bound on the NLL lies above it (Monte Carlo error ≈ 0.1 nats).
  expect(bound).toBeGreaterThan(nll);
  await cardValue(page, 'metrics', 'swd');
  expect(realErrors(errors)).toEqual([]);
});

test('ELBO vs likelihood: the bound lies above the exact NLL, closer as T grows', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openPreset(page, 'elbo-vs-likelihood');
  await runAndWait(page);
  const nll = await cardValue(page, 'likelihood', 'nll');
  const gaps: number[] = [];
  for (const steps of [10, 100, 1000]) {
    gaps.push((await cardValue(page, `elbo_${steps}`, 'nll_bound')) - nll);
  }
  expect(gaps.every((gap) => gap > 0)).toBe(true);
  expect(gaps[1]).toBeLessThan(gaps[0]!);
  expect(gaps[2]).toBeLessThan(gaps[0]!);
  expect(realErrors(errors)).toEqual([]);
});

test('how good is my trained denoiser: NLL per branch in the Compare table', async ({ page }) => {
  const errors = collectErrors(page);
  await openPreset(page, 'trained-denoiser-nll');
  await expect(page.getByTestId('tab-compare')).toHaveAttribute('aria-selected', 'true');
  await runAndWait(page);
  const table = page.getByTestId('compare-table');
  await expect(table.locator('tbody tr')).toHaveCount(2);
  const nllOf = async (solver: string) =>
    Number(
      await table
        .locator(`tr[data-node="${solver}"] td[data-column="nll"]`)
        .getAttribute('data-value'),
    );
  const exact = await nllOf('exact_solver');
  const trained = await nllOf('trained_solver');
  expect(Number.isFinite(exact) && Number.isFinite(trained)).toBe(true);
  // The exact denoiser of the training set memorises it: held-out points are unlikely under it.
  expect(trained).toBeLessThan(exact);
  await expect(table.locator('td.best[data-column="nll"]')).toHaveCount(1);
  await expect(table.locator(`tr[data-node="trained_solver"] td[data-column="nll"]`)).toHaveClass(
    /best/,
  );
  // The Metrics cards show the same numbers as the table.
  expect(await cardValue(page, 'exact_metrics', 'nll')).toBeCloseTo(exact, 9);
  expect(await cardValue(page, 'trained_metrics', 'nll')).toBeCloseTo(trained, 9);
  await cardValue(page, 'trained_metrics', 'bits_per_dim');
  expect(realErrors(errors)).toEqual([]);
});
