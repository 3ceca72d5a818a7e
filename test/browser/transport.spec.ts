// Optimal transport and Schrödinger bridges in the real app: each transport preset opens from the
// gallery and runs without an error; the dock draws a coupling as lines between pairs (and as a
// heat map), node cards draw their coupling thumbnails and Metrics readouts; dragging the ε
// slider with the mouse re-solves live, and the lines and the entropy (in the dock and on the
// Metrics card) follow it; a bridge's trajectory scrubs in t from 0 to 1 with its predicted
// endpoints; images get a heat map and their heaviest pairs.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { openPreset, runAndWait, scrubTo } from './editor-helpers';

function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

const realErrors = (errors: string[]) => errors.filter((text) => !/WebGPU|adapter/i.test(text));

async function numberAttribute(locator: Locator, name: string): Promise<number> {
  return Number(await locator.getAttribute(name));
}

/** What the coupling view and the readouts show now. */
async function couplingState(page: Page) {
  const view = page.getByTestId('coupling-view');
  return {
    run: await numberAttribute(view, 'data-run'),
    lines: await numberAttribute(view, 'data-lines'),
    epsilon: await numberAttribute(view, 'data-epsilon'),
    entropy: await numberAttribute(page.getByTestId('coupling-value-entropy'), 'data-value'),
    metricsEntropy: await numberAttribute(
      page.getByTestId('metrics-readout-metrics').locator('[data-name="entropy"]'),
      'data-value',
    ),
  };
}

test('entropic OT: the plan draws as lines and a heat map; dragging ε re-solves live', async ({
  page,
}, testInfo) => {
  const errors = collectErrors(page);
  await openPreset(page, 'entropic-ot-moons-to-gaussians');
  await runAndWait(page);

  // With no trajectory in the graph the dock shows the plan, lines first.
  const view = page.getByTestId('coupling-view');
  await expect(page.getByTestId('coupling-dock')).toBeVisible();
  await expect(view).toHaveAttribute('data-mode', 'lines');
  await expect(view).toHaveAttribute('data-node', 'ot');
  await expect.poll(() => numberAttribute(view, 'data-lines')).toBeGreaterThan(100);
  await expect(page.getByTestId('preview-caption')).toContainText('300 × 300 plan');
  for (const key of ['epsilon', 'transport_cost', 'entropic_objective', 'entropy', 'duality_gap']) {
    await expect(page.getByTestId(`coupling-value-${key}`)).toBeVisible();
  }
  await expect(page.getByTestId('coupling-value-iterations')).toBeVisible();
  // Cards: a lines thumbnail on both OT nodes, the values on both Metrics nodes.
  await expect(page.getByTestId('node-preview-ot')).toHaveAttribute('data-kind', 'coupling');
  await expect(page.getByTestId('node-preview-exact')).toHaveAttribute('data-kind', 'coupling');
  await expect(page.getByTestId('metrics-readout-metrics')).toContainText('transport_cost');
  await expect(page.getByTestId('metrics-readout-metrics_exact')).toContainText('transport_cost');
  await page.screenshot({ path: testInfo.outputPath('entropic-lines.png') });

  // Selecting the exact plan shows it; selecting the entropic one brings it back.
  await page.getByTestId('node-exact').click();
  await expect(view).toHaveAttribute('data-node', 'exact');
  await expect(page.getByTestId('coupling-value-epsilon')).toContainText('exact');
  await page.getByTestId('node-ot').click();
  await expect(view).toHaveAttribute('data-node', 'ot');

  // Live ε: auto-run on, a real mouse drag on the ε slider towards smaller ε.
  await page.getByTestId('auto-run').check();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-phase', 'done');
  const before = await couplingState(page);
  expect(before.epsilon).toBeCloseTo(0.1, 6);
  await view.evaluate((canvas) => {
    const painted: { epsilon: number; lines: number }[] = [];
    (window as unknown as { __painted: typeof painted }).__painted = painted;
    new MutationObserver(() => {
      const { epsilon, lines } = (canvas as HTMLCanvasElement).dataset;
      painted.push({ epsilon: Number(epsilon), lines: Number(lines) });
    }).observe(canvas, { attributes: true, attributeFilter: ['data-draws'] });
  });
  const slider = page.getByRole('slider', { name: 'ε slider' });
  // As a person would: scroll the inspector until the slider shows, then drag it.
  await slider.scrollIntoViewIfNeeded();
  const box = (await slider.boundingBox())!;
  // The thumb sits at log10(0.1) on [−3, 1]: halfway. Range inputs keep the thumb ~8 px inside.
  const xAt = (fraction: number) => box.x + 8 + fraction * (box.width - 16);
  const y = box.y + box.height / 2;
  await page.mouse.move(xAt(0.5), y);
  await page.mouse.down();
  for (let k = 1; k <= 10; k++) {
    await page.mouse.move(xAt(0.5 - 0.025 * k), y, { steps: 2 });
    await page.waitForTimeout(60);
  }
  // While the button is still down the plan has already been redrawn at smaller ε's.
  await expect
    .poll(async () =>
      page.evaluate(
        () =>
          new Set(
            (window as unknown as { __painted: { epsilon: number }[] }).__painted
              .map((paint) => paint.epsilon)
              .filter((epsilon) => epsilon < 0.1),
          ).size,
      ),
    )
    .toBeGreaterThan(1);
  await page.mouse.up();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-phase', 'done');
  // ε = 10^(−1 − 4 · 0.25) = 0.01: the plan concentrates, its entropy falls, fewer lines show.
  await expect.poll(async () => (await couplingState(page)).epsilon).toBeLessThan(0.02);
  const after = await couplingState(page);
  expect(after.run).toBeGreaterThan(before.run);
  expect(after.entropy).toBeLessThan(before.entropy);
  expect(after.metricsEntropy).toBeLessThan(before.metricsEntropy);
  expect(after.metricsEntropy).toBeCloseTo(after.entropy, 9);
  expect(after.lines).not.toEqual(before.lines);
  expect(after.lines).toBeGreaterThan(0);
  // The slider's field says the value it set.
  const epsilonText = await page.getByRole('textbox', { name: 'ε', exact: true }).inputValue();
  expect(Number(epsilonText)).toBeCloseTo(after.epsilon, 9);
  await page.screenshot({ path: testInfo.outputPath('entropic-small-epsilon.png') });

  // π as a heat map, on a log scale too.
  await page.getByTestId('coupling-mode-heat').click();
  await expect(view).toHaveAttribute('data-mode', 'heat');
  await page.getByTestId('coupling-heat-log').check();
  await page.waitForTimeout(100);
  await page.screenshot({ path: testInfo.outputPath('entropic-heat-log.png') });

  // The dual potentials f and g as the points' colours, each over its own range.
  await page.getByTestId('coupling-mode-potentials').click();
  await expect(view).toHaveAttribute('data-mode', 'potentials');
  for (const range of ['data-f-range', 'data-g-range']) {
    const [low, high] = (await view.getAttribute(range))!.split(' ').map(Number);
    expect(high!).toBeGreaterThan(low!);
  }
  await page.screenshot({ path: testInfo.outputPath('entropic-potentials.png') });
  await page.getByTestId('coupling-mode-lines').click();
  expect(realErrors(errors)).toEqual([]);
});

test('Schrödinger bridge: the trajectory scrubs in t from 0 to 1 with predicted endpoints', async ({
  page,
}, testInfo) => {
  const errors = collectErrors(page);
  await openPreset(page, 'schrodinger-bridge-moons-to-gaussians');
  await runAndWait(page);

  const dock = page.getByTestId('trajectory-dock');
  await expect(dock).toHaveAttribute('data-kind', 'bridge');
  const readout = page.getByTestId('frame-readout');
  await expect(readout).toContainText('t = 1');
  await expect(readout).not.toContainText('σ̃');
  await expect(page.getByTestId('preview-caption')).toContainText('bridge · t = 1 · endpoints');
  await expect(page.getByText('predicted endpoints E[X₁ | X_t]')).toBeVisible();

  const points = page.getByTestId('scatter-points');
  await scrubTo(page, 0);
  await expect(points).toHaveAttribute('data-step', '0');
  await expect(readout).toContainText('t = 0 ·');
  await scrubTo(page, 0.5);
  await expect.poll(() => numberAttribute(points, 'data-t')).toBeGreaterThan(0.3);
  expect(await numberAttribute(points, 'data-t')).toBeLessThan(0.7);
  const middle = await numberAttribute(points, 'data-step');
  expect(await readout.getAttribute('data-t')).toEqual(await points.getAttribute('data-t'));
  await page.getByTestId('layer-x0hat').check();
  await page.waitForTimeout(150);
  await page.screenshot({ path: testInfo.outputPath('bridge-middle.png') });
  await page.getByTestId('scatter-points').click();
  await page.keyboard.press('ArrowRight');
  await expect(points).toHaveAttribute('data-step', String(middle + 1));

  // Both bridges are in the dock's menu, and the coupling they follow.
  await page.getByTestId('preview-node').selectOption('bridge');
  await expect(page.getByTestId('preview-caption')).toContainText('bridge · bridge ·');
  await page.getByTestId('node-ot').click();
  await expect(page.getByTestId('coupling-view')).toHaveAttribute('data-node', 'ot');
  await expect
    .poll(() => numberAttribute(page.getByTestId('coupling-view'), 'data-lines'))
    .toBeGreaterThan(0);
  await expect(page.getByTestId('node-preview-ot')).toHaveAttribute('data-kind', 'coupling');

  // With auto-run, a new ε redraws the plan as soon as OT is done, while the bridges still run.
  await page.getByTestId('auto-run').check();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-phase', 'done');
  await page.getByTestId('coupling-view').evaluate((canvas) => {
    const painted: { epsilon: number; phase: string | null }[] = [];
    (window as unknown as { __painted: typeof painted }).__painted = painted;
    new MutationObserver(() =>
      painted.push({
        epsilon: Number((canvas as HTMLCanvasElement).dataset['epsilon']),
        phase: document.querySelector('[data-testid="run-status"]')!.getAttribute('data-phase'),
      }),
    ).observe(canvas, { attributes: true, attributeFilter: ['data-draws'] });
  });
  await page.getByRole('slider', { name: 'ε slider' }).focus();
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-phase', 'running');
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-phase', 'done');
  const painted = await page.evaluate(
    () => (window as unknown as { __painted: { epsilon: number; phase: string }[] }).__painted,
  );
  expect(painted.some((paint) => paint.epsilon < 0.1 && paint.phase === 'running')).toBe(true);
  expect(realErrors(errors)).toEqual([]);
});

test('a diffusion model is a bridge: the VP plan and its noising paths', async ({
  page,
}, testInfo) => {
  const errors = collectErrors(page);
  await openPreset(page, 'diffusion-as-a-bridge');
  await runAndWait(page);
  await expect(page.getByTestId('trajectory-dock')).toHaveAttribute('data-kind', 'bridge');
  await expect(page.getByTestId('scatter-points')).toHaveAttribute('data-step', '50');
  await scrubTo(page, 0.3);
  await expect
    .poll(() => numberAttribute(page.getByTestId('scatter-points'), 'data-step'))
    .toBeLessThan(50);
  await page.screenshot({ path: testInfo.outputPath('diffusion-bridge.png') });
  await page.getByTestId('node-ot').click();
  await expect(page.getByTestId('coupling-view')).toHaveAttribute('data-node', 'ot');
  await expect(page.getByTestId('preview-caption')).toContainText('VP reference');
  // KL(π ‖ μ⊗ν) ≈ 0: the plan is almost the independent coupling (dock and Metrics card agree).
  const kl = await numberAttribute(page.getByTestId('coupling-value-kl'), 'data-value');
  expect(kl).toBeLessThan(1e-2);
  await page.getByTestId('metrics-readout-more-metrics').click();
  const card = page.getByTestId('metrics-readout-metrics').locator('[data-name="kl"]');
  expect(await numberAttribute(card, 'data-value')).toBe(kl);
  await page.screenshot({ path: testInfo.outputPath('diffusion-coupling.png') });
  expect(realErrors(errors)).toEqual([]);
});

test('Fashion-MNIST bridge: images morph along t; the plan shows as a heat map and pairs', async ({
  page,
}, testInfo) => {
  const errors = collectErrors(page);
  await openPreset(page, 'fashion-mnist-sneakers-to-boots');
  await runAndWait(page);
  await expect(page.getByTestId('trajectory-dock')).toHaveAttribute('data-kind', 'bridge');
  await expect(page.getByTestId('image-frames')).toContainText('the predicted endpoint');
  await scrubTo(page, 0.5);
  await expect(page.getByTestId('image-frame-x')).not.toHaveAttribute('data-step', '20');
  await page.screenshot({ path: testInfo.outputPath('fashion-bridge.png') });

  await page.getByTestId('node-ot').click();
  const view = page.getByTestId('coupling-view');
  await expect(view).toHaveAttribute('data-mode', 'heat');
  await page.screenshot({ path: testInfo.outputPath('fashion-heat.png') });
  await page.getByTestId('coupling-mode-pairs').click();
  await expect(page.getByTestId('coupling-pairs-source')).toHaveAttribute('data-count', '8');
  await expect(page.getByTestId('coupling-pairs-target')).toHaveAttribute('data-count', '8');
  await page.screenshot({ path: testInfo.outputPath('fashion-pairs.png') });
  await page.getByTestId('coupling-mode-heat').click();
  expect(realErrors(errors)).toEqual([]);
});
