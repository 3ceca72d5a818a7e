// The score view in the trajectory dock: the default preset (eight Gaussians, the exact mixture
// denoiser) runs, the field layer is switched on, and the arrows the canvas says it drew are the
// mixture's own field at the shown step's σ̃ (checked against D computed here from the preset's
// means, stds and weights); scrubbing moves σ̃ and the arrows with it, and another
// parameterisation draws another field of the same D.
import { readFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { dragFromLibrary, openPreset, runAndWait, scrubTo, wire } from './editor-helpers';

interface PresetDocument {
  nodes: { id: string; type: string; params: Record<string, unknown> }[];
}

const preset = JSON.parse(
  readFileSync(new URL('../../presets/default.graph.json', import.meta.url), 'utf8'),
) as PresetDocument;
const params = (id: string) => preset.nodes.find((node) => node.id === id)!.params;
const {
  steps,
  rho,
  sigma_min: sigmaMin,
  sigma_max: sigmaMax,
} = params('timesteps') as Record<string, number>;
const means = params('denoiser')['means'] as [number, number][];
const stds = params('denoiser')['stds'] as number[];
const weights = params('denoiser')['weights'] as number[];

/** Karras et al.'s σ̃_i, i < steps (σ̃_steps = 0). */
function karrasSigma(i: number): number {
  const top = sigmaMax! ** (1 / rho!);
  const bottom = sigmaMin! ** (1 / rho!);
  return (top + (i / (steps! - 1)) * (bottom - top)) ** rho!;
}

/** The mixture's D(x̃; σ̃) = E[x₀ | x̃], in float64. */
function mixtureD(x: number, y: number, sigma: number): [number, number] {
  const logs = means.map((mean, k) => {
    const variance = stds[k]! ** 2 + sigma ** 2;
    const r2 = (x - mean[0]) ** 2 + (y - mean[1]) ** 2;
    return Math.log(weights[k]!) - r2 / (2 * variance) - Math.log(variance);
  });
  const top = Math.max(...logs);
  const resp = logs.map((log) => Math.exp(log - top));
  const total = resp.reduce((sum, r) => sum + r, 0);
  let dx = 0;
  let dy = 0;
  means.forEach((mean, k) => {
    const shrink = stds[k]! ** 2 / (stds[k]! ** 2 + sigma ** 2);
    dx += (resp[k]! / total) * (mean[0] + shrink * (x - mean[0]));
    dy += (resp[k]! / total) * (mean[1] + shrink * (y - mean[1]));
  });
  return [dx, dy];
}

interface FieldFacts {
  kind: string;
  sigma: number;
  arrows: number;
  checksum: string;
  samples: [number, number, number, number][];
}

async function fieldFacts(canvas: Locator): Promise<FieldFacts> {
  return canvas.evaluate((element) => {
    const data = (element as HTMLCanvasElement).dataset;
    return {
      kind: data['fieldKind'] ?? '',
      sigma: Number(data['fieldSigma']),
      arrows: Number(data['fieldArrows']),
      checksum: data['fieldChecksum'] ?? '',
      samples: JSON.parse(data['fieldSamples'] ?? '[]') as [number, number, number, number][],
    };
  });
}

/** D recovered from each sampled arrow by the kind's formula, against the mixture's own D. */
function expectMixtureField(facts: FieldFacts): void {
  const { sigma } = facts;
  expect(facts.samples.length).toBeGreaterThanOrEqual(4);
  for (const [x, y, vx, vy] of facts.samples) {
    const [ex, ey] = mixtureD(x, y, sigma);
    const recovered: [number, number] =
      facts.kind === 'score'
        ? [x + sigma ** 2 * vx, y + sigma ** 2 * vy]
        : facts.kind === 'x0'
          ? [x + vx, y + vy]
          : [x - sigma * vx, y - sigma * vy]; // velocity and ε̂ = (x̃ − D)/σ̃
    const scale = 1e-3 * Math.max(1, Math.hypot(x, y));
    expect(Math.abs(recovered[0] - ex), `D_x at (${x}, ${y}), σ̃ ${sigma}`).toBeLessThan(scale);
    expect(Math.abs(recovered[1] - ey), `D_y at (${x}, ${y}), σ̃ ${sigma}`).toBeLessThan(scale);
  }
}

async function shownStep(page: Page): Promise<number> {
  return Number(await page.getByTestId('scatter-points').getAttribute('data-step'));
}

test('the field layer draws the exact mixture’s field at the scrubbed σ̃, in four forms', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await openPreset(page, 'default');
  await runAndWait(page);
  await expect(page.getByTestId('preview-caption')).toContainText('final samples');

  // An exact denoiser: the four parameterisations and no difference to show.
  const toggle = page.getByTestId('layer-field');
  const kinds = page.getByTestId('field-kind');
  await expect(toggle).toBeVisible();
  await expect(kinds.locator('option')).toHaveText([
    'score',
    'PF-ODE velocity',
    'x̂₀ prediction',
    'ε prediction',
  ]);
  const canvas = page.getByTestId('scatter-field');
  await expect(canvas).not.toHaveAttribute('data-field-kind');

  await toggle.check();
  // The final frame (σ̃ = 0) shows the field of the last level D was evaluated at.
  await expect(canvas).toHaveAttribute('data-field-kind', 'score');
  await expect(canvas).toHaveAttribute('data-field-arrows', String(24 * 24));
  const last = await fieldFacts(canvas);
  expect(last.sigma).toBeCloseTo(karrasSigma(steps! - 1), 8);
  expectMixtureField(last);
  await expect(page.getByTestId('field-legend')).toContainText('opacity ∝ |v|');
  await page.screenshot({ path: '/tmp/fields-score-final.png' });

  // Scrub to the middle: σ̃ follows the scrubber, and so do the arrows.
  await scrubTo(page, 0.45);
  const step = await shownStep(page);
  expect(step).toBeGreaterThan(0);
  expect(step).toBeLessThan(steps!);
  await expect.poll(async () => (await fieldFacts(canvas)).sigma).toBeCloseTo(karrasSigma(step), 6);
  const middle = await fieldFacts(canvas);
  expect(middle.checksum).not.toBe(last.checksum);
  expectMixtureField(middle);
  // With the particles' density contours: the arrows cross them towards the modes.
  await page.getByTestId('layer-contours').check();
  await page.screenshot({ path: '/tmp/fields-score-middle.png' });

  // Another parameterisation of the same D: x̂₀ arrows, a different field at the same σ̃.
  await kinds.selectOption('x0');
  await expect(canvas).toHaveAttribute('data-field-kind', 'x0');
  const x0 = await fieldFacts(canvas);
  expect(x0.sigma).toBe(middle.sigma);
  expect(x0.checksum).not.toBe(middle.checksum);
  expectMixtureField(x0);
  await page.screenshot({ path: '/tmp/fields-x0-middle.png' });

  // ε̂ points away from the data: against the score.
  await kinds.selectOption('eps');
  await expect(canvas).toHaveAttribute('data-field-kind', 'eps');
  const eps = await fieldFacts(canvas);
  expectMixtureField(eps);
  const [, , sx, sy] = middle.samples[2]!;
  const [, , epsX, epsY] = eps.samples[2]!;
  expect(sx * epsX + sy * epsY).toBeLessThan(0);

  // Early in the run σ̃ is large and D is near the mixture's mean everywhere.
  await kinds.selectOption('score');
  await scrubTo(page, 0);
  await expect(page.getByTestId('scatter-points')).toHaveAttribute('data-step', '0');
  await expect.poll(async () => (await fieldFacts(canvas)).sigma).toBeCloseTo(sigmaMax!, 6);
  expectMixtureField(await fieldFacts(canvas));

  // Off again: nothing drawn, nothing claimed.
  await toggle.uncheck();
  await expect(canvas).not.toHaveAttribute('data-field-kind');
  expect(errors).toEqual([]);
});

test('a learned denoiser offers its difference from an exact one on the same data, only then', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await openPreset(page, 'train-a-denoiser');
  await runAndWait(page);
  const kinds = page.getByTestId('field-kind');
  await page.getByTestId('layer-field').check();
  const canvas = page.getByTestId('scatter-field');
  await expect(canvas).toHaveAttribute('data-field-kind', 'score');
  // The MLP alone: nothing exact to compare with.
  await expect(kinds.locator('option')).toHaveCount(4);

  // The exact (empirical) denoiser of the MLP's own training data.
  await dragFromLibrary(page, 'empirical-denoiser', { x: 40, y: 40 });
  await wire(page, ['data', 'dataset'], ['denoiser_2', 'data']);
  await runAndWait(page);
  await expect(kinds.locator('option')).toHaveCount(5);
  await scrubTo(page, 0.6);
  await kinds.selectOption('difference');
  await expect(canvas).toHaveAttribute('data-field-kind', 'difference');
  await expect(canvas).toHaveAttribute('data-field-arrows', String(24 * 24));
  const difference = await fieldFacts(canvas);
  expect(difference.sigma).toBeCloseTo(karrasSigma(await shownStep(page)), 6);
  // A trained MLP is close to the exact denoiser, but not equal to it.
  const sizes = difference.samples.map(([, , vx, vy]) => Math.hypot(vx, vy));
  expect(Math.max(...sizes)).toBeGreaterThan(0);
  expect(Math.max(...sizes)).toBeLessThan(2);
  await expect(page.getByTestId('field-legend')).toContainText('D_learned − D_exact');
  await page.screenshot({ path: '/tmp/fields-difference.png' });
  expect(errors).toEqual([]);
});

test('an ONNX denoiser, which answers asynchronously, draws its field too', async ({ page }) => {
  await openPreset(page, 'bring-your-own-onnx');
  await runAndWait(page);
  await page.getByTestId('layer-field').check();
  const canvas = page.getByTestId('scatter-field');
  await expect(canvas).toHaveAttribute('data-field-kind', 'score', { timeout: 30_000 });
  await expect(canvas).toHaveAttribute('data-field-arrows', String(24 * 24));
  // No exact denoiser in the graph: no difference to offer.
  await expect(page.getByTestId('field-kind').locator('option')).toHaveCount(4);
  const facts = await fieldFacts(canvas);
  expect(facts.samples.every((sample) => sample.every(Number.isFinite))).toBe(true);
});
