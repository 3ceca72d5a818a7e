// Live runs in the real app: a preset runs and streams its trajectory; scrubbing to the first and
// last steps shows particles spread like σ_max at the start and like the data at the end; a long
// run is cancelled within a second; a run that overflows to Inf fails on the solver node with the
// step and σ̃; auto-run re-runs only what an edit changed; node cards draw their previews.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { OnnxGraphBuilder } from '../../graph-nodes/onnx/onnx-graph';
import {
  openPreset,
  runAndWait,
  scrubTo,
  timeUntilPhase,
  waitForCanvasToSettle,
} from './editor-helpers';

interface PresetDocument {
  nodes: { id: string; type: string; params: Record<string, unknown> }[];
}

const preset = JSON.parse(
  readFileSync(new URL('../../presets/default.graph.json', import.meta.url), 'utf8'),
) as PresetDocument;
const params = (id: string) => preset.nodes.find((node) => node.id === id)!.params;
const sigmaMax = params('timesteps')['sigma_max'] as number;
const steps = params('timesteps')['steps'] as number;
const means = params('denoiser')['means'] as [number, number][];
const stds = params('denoiser')['stds'] as number[];

/** RMS deviation per coordinate of the equal-weight mixture: what the final frame should show. */
function mixtureSpread(): number {
  const centre = [0, 1].map((d) => means.reduce((sum, m) => sum + m[d]!, 0) / means.length);
  let sum = 0;
  means.forEach((mean, k) => {
    sum += ((mean[0] - centre[0]!) ** 2 + (mean[1] - centre[1]!) ** 2) / 2 + stds[k]! ** 2;
  });
  return Math.sqrt(sum / means.length);
}

async function openApp(page: Page, errors: string[]): Promise<void> {
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/?backend=wasm');
  await expect(page.getByTestId('backend')).toHaveText('wasm', { timeout: 60_000 });
  await waitForCanvasToSettle(page);
}

async function shownFrame(page: Page): Promise<{ step: number; spread: number }> {
  const canvas = page.getByTestId('scatter-points');
  return {
    step: Number(await canvas.getAttribute('data-step')),
    spread: Number(await canvas.getAttribute('data-spread')),
  };
}

/** Sets a param in the inspector by typing into its field, as a user would. */
async function setParam(page: Page, node: string, label: string, value: string): Promise<void> {
  await page.getByTestId(`node-${node}`).click();
  const field = page.getByRole('textbox', { name: label, exact: true });
  await field.fill(value);
  await field.press('Enter');
}

test('a run streams its trajectory; scrubbing shows σ_max spread first and the data last', async ({
  page,
}, testInfo) => {
  const errors: string[] = [];
  await openApp(page, errors);
  await runAndWait(page);

  // Every step arrived and the dock follows the last one: the final samples.
  await expect(page.getByTestId('preview-caption')).toContainText('final samples · 2000 points');
  await expect(page.getByTestId('frame-readout')).toContainText(`step ${steps} / ${steps}`);
  await expect(page.getByTestId('node-solver')).toContainText(/\d+ ms · 39 NFE/);
  await page.screenshot({ path: testInfo.outputPath('dock-after-run.png') });

  await scrubTo(page, 0);
  await expect(page.getByTestId('scatter-points')).toHaveAttribute('data-step', '0');
  await expect(page.getByTestId('frame-readout')).toContainText(`σ̃ ${sigmaMax}`);
  const first = await shownFrame(page);
  expect(first.spread / sigmaMax).toBeGreaterThan(0.9);
  expect(first.spread / sigmaMax).toBeLessThan(1.1);

  await scrubTo(page, 1);
  await expect(page.getByTestId('scatter-points')).toHaveAttribute('data-step', String(steps));
  const last = await shownFrame(page);
  expect(Math.abs(last.spread - mixtureSpread()) / mixtureSpread()).toBeLessThan(0.1);

  // ← and → step through the frames once the dock has the focus.
  await page.getByTestId('scatter-points').click();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('scatter-points')).toHaveAttribute('data-step', String(steps - 2));
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('scatter-points')).toHaveAttribute('data-step', String(steps - 1));

  // Play runs through the steps on its own.
  await page.getByTestId('timeline-play').click();
  await expect(page.getByTestId('scatter-points')).toHaveAttribute('data-step', '2');
  await page.getByTestId('timeline-play').click();

  // Layers draw onto the plot and the screenshot shows them.
  await page.getByTestId('layer-x0hat').check();
  await page.getByTestId('layer-contours').check();
  await scrubTo(page, 0.45);
  await page.waitForTimeout(200);
  await page.screenshot({ path: testInfo.outputPath('dock-mid-run-layers.png') });

  // Node cards show what their node produced.
  await expect(page.getByTestId('node-preview-schedule')).toHaveAttribute('data-kind', 'schedule');
  await expect(page.getByTestId('node-preview-timesteps')).toHaveAttribute(
    'data-kind',
    'timesteps',
  );
  await expect(page.getByTestId('node-preview-solver')).toHaveAttribute('data-kind', 'samples');
  expect(errors.filter((text) => !/WebGPU|adapter/i.test(text))).toEqual([]);
});

test('frames stream in during a long run, and Cancel stops it within a second', async ({
  page,
}, testInfo) => {
  const errors: string[] = [];
  await openApp(page, errors);
  // 8000 particles over 1000 Heun steps: long enough to watch and to cancel midway.
  await setParam(page, 'timesteps', 'Steps', '1000');
  await setParam(page, 'prior', 'Count', '8000');
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('node-solver')).toContainText(/running \d+\/1000/, {
    timeout: 30_000,
  });
  // Scrubbing works while frames arrive: pin an early step, then follow again.
  await expect
    .poll(async () => Number(await page.getByTestId('scatter-points').getAttribute('data-step')))
    .toBeGreaterThan(5);
  await scrubTo(page, 0);
  await expect(page.getByTestId('scatter-points')).toHaveAttribute('data-step', '0');
  await page.getByTestId('timeline-follow').click();
  await expect
    .poll(async () => Number(await page.getByTestId('scatter-points').getAttribute('data-step')))
    .toBeGreaterThan(10);
  await page.screenshot({ path: testInfo.outputPath('dock-during-run.png') });

  expect(await timeUntilPhase(page, 'cancel-button', 'run-status', 'cancelled')).toBeLessThan(1000);
  await expect(page.getByTestId('node-solver')).toContainText('run cancelled');
  // The frames that arrived stay scrubbable.
  const shown = Number(await page.getByTestId('scatter-points').getAttribute('data-step'));
  expect(shown).toBeGreaterThan(10);
  expect(shown).toBeLessThan(1000);
  expect(errors.filter((text) => !/WebGPU|adapter/i.test(text))).toEqual([]);
});

/** An ONNX denoiser that predicts x̂₀ = 3·10³⁸ x: it overflows float32 once x̃ is far from 0. */
function overflowingModel(): Buffer {
  const graph = new OnnxGraphBuilder('overflowing');
  const scale = graph.constant('scale', [3e38], [1]);
  graph.op('Mul', ['x', scale], {}, 'denoised');
  return Buffer.from(
    graph.toModel(
      [
        { name: 'x', shape: ['batch', 2] },
        { name: 'sigma', shape: ['batch'] },
      ],
      [{ name: 'denoised', shape: ['batch', 2] }],
    ),
  );
}

test('a model that returns Inf fails the solver with the step and σ̃', async ({ page }) => {
  // Every param is bounded, so no setting overflows any more; a model still can. The preset's
  // ONNX file is answered by one that does.
  await page.route('**/presets/weights/two-moons-denoiser.onnx', (route) =>
    route.fulfill({ body: overflowingModel(), contentType: 'application/octet-stream' }),
  );
  await openPreset(page, 'bring-your-own-onnx');
  await runAndWait(page, 'failed');
  const badge = page.getByTestId('node-solver').locator('.run-badge.failed');
  await expect(badge).toContainText(
    /step 1 of 20 \(σ̃ 80 → [\d.]+\) produced -?Infinity in the denoiser’s x̂₀/,
  );
  // The nodes before it did their work and say so.
  await expect(page.getByTestId('node-prior')).toContainText(/\d+ ms/);
});

test('a run too large for memory is refused before the solver starts, with the estimate', async ({
  page,
}) => {
  const errors: string[] = [];
  await openApp(page, errors);
  await setParam(page, 'timesteps', 'Steps', '1000');
  await setParam(page, 'prior', 'Count', '200000');
  const started = Date.now();
  await runAndWait(page, 'failed');
  expect(Date.now() - started).toBeLessThan(10_000);
  await expect(page.getByTestId('node-solver').locator('.run-badge.failed')).toContainText(
    /trajectory would need 3\.0 GiB \(1001 frames × 200000 points × 2 dims.*more than the 1\.0 GiB allowed/,
  );
});

test('auto-run re-runs after an edit, computing only the changed node and what follows', async ({
  page,
}) => {
  const errors: string[] = [];
  await openApp(page, errors);
  await page.getByTestId('auto-run').check();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-phase', 'done', {
    timeout: 60_000,
  });

  await page.getByTestId('node-timesteps').click();
  const slider = page.getByRole('slider', { name: 'ρ slider' });
  await slider.focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-phase', 'done');
  await expect(page.getByTestId('node-timings')).toContainText('schedule cached');
  await expect(page.getByTestId('node-timings')).toContainText('denoiser cached');
  await expect(page.getByTestId('node-timesteps')).not.toContainText('cached');
  await expect(page.getByTestId('node-solver')).toContainText('39 NFE');
  expect(errors.filter((text) => !/WebGPU|adapter/i.test(text))).toEqual([]);
});
