// The run history strip under the preview: each finished run with a thumbnail, its timing and
// what changed since the run before; clicking one shows that run's trajectory again, scrubbable,
// under a banner with the way back; a new run returns to live; a slider drag with auto-run leaves
// one entry, not one per tick; the history outlives opening another document.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { centreOf, openPreset, runAndWait, scrubTo, waitForCanvasToSettle } from './editor-helpers';

async function openApp(page: Page, errors: string[]): Promise<void> {
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/?backend=wasm');
  await expect(page.getByTestId('backend')).toHaveText('wasm', { timeout: 60_000 });
  await waitForCanvasToSettle(page);
}

/** Types a param into the inspector's field, as a user would. */
async function setParam(page: Page, node: string, label: string, value: string): Promise<void> {
  await page.getByTestId(`node-${node}`).click();
  const field = page.getByRole('textbox', { name: label, exact: true });
  await field.fill(value);
  await field.press('Enter');
}

const entries = (page: Page) => page.getByTestId('run-history').locator('[data-run]');
const dock = (page: Page) => page.getByTestId('trajectory-dock');
const scatter = (page: Page) => page.getByTestId('scatter-points');

function presetTitle(name: string): string {
  const url = new URL(`../../presets/${name}.graph.json`, import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { title: string }).title;
}

const realErrors = (errors: string[]) => errors.filter((text) => !/WebGPU|adapter/i.test(text));

test('two runs with a param changed between them; the older one shows again', async ({ page }) => {
  const errors: string[] = [];
  await openApp(page, errors);
  await expect(page.getByTestId('run-history')).toHaveCount(0);

  await runAndWait(page);
  await expect(entries(page)).toHaveCount(1);
  await expect(entries(page).first().getByTestId('history-changes')).toHaveText(
    /^first run of Eight Gaussians/,
  );
  const firstRun = await entries(page).first().getAttribute('data-run');

  await setParam(page, 'timesteps', 'Steps', '40');
  await runAndWait(page);
  await expect(entries(page)).toHaveCount(2);
  const newest = entries(page).first();
  await expect(newest.getByTestId('history-changes')).toHaveText('timesteps.steps 20 → 40');
  await expect(newest).toHaveAttribute('data-steps', '40');
  await expect(newest).toContainText(/\d+(\.\d+)? m?s/);
  await expect(entries(page).nth(1)).toHaveAttribute('data-run', firstRun!);
  await expect(dock(page)).toHaveAttribute('data-shown-run', 'latest');
  await expect(page.getByTestId('frame-readout')).toContainText('step 40 / 40');
  await page.waitForTimeout(200);
  await page.screenshot({ path: '/tmp/history-two-runs.png' });

  // The older run, from its final samples, labelled as such; scrubbing walks its 20 steps.
  await entries(page).nth(1).click();
  await expect(dock(page)).toHaveAttribute('data-shown-run', firstRun!);
  await expect(page.getByTestId('history-banner')).toContainText(`Older run #${firstRun}`);
  await expect(page.getByTestId('preview-caption')).toContainText('final samples · 2000 points');
  await expect(page.getByTestId('frame-readout')).toContainText('step 20 / 20');
  await expect(scatter(page)).toHaveAttribute('data-step', '20');
  await expect(scatter(page)).toHaveAttribute('data-point-count', '2000');
  await expect(page.getByTestId('export-png')).toHaveCount(0);
  await scrubTo(page, 0);
  await expect(scatter(page)).toHaveAttribute('data-step', '0');
  await scrubTo(page, 0.5);
  await expect(scatter(page)).toHaveAttribute('data-step', '10');
  await page.waitForTimeout(200);
  await page.screenshot({ path: '/tmp/history-older-run.png' });

  await page.getByTestId('history-back-to-latest').click();
  await expect(dock(page)).toHaveAttribute('data-shown-run', 'latest');
  await expect(page.getByTestId('history-banner')).toHaveCount(0);
  await expect(page.getByTestId('frame-readout')).toContainText('step 40 / 40');
  await expect(page.getByTestId('export-png')).toBeVisible();

  // A new run returns the dock to live, whichever run it showed.
  await entries(page).nth(1).click();
  await expect(dock(page)).toHaveAttribute('data-shown-run', firstRun!);
  await runAndWait(page);
  await expect(dock(page)).toHaveAttribute('data-shown-run', 'latest');
  await expect(entries(page)).toHaveCount(3);
  await expect(entries(page).first().getByTestId('history-changes')).toHaveText(
    'no changes (re-run)',
  );
  expect(realErrors(errors)).toEqual([]);
});

test('one slider drag with auto-run leaves one entry, counted from before the drag', async ({
  page,
}) => {
  const errors: string[] = [];
  await openApp(page, errors);
  await page.getByTestId('auto-run').check();
  await expect(entries(page)).toHaveCount(1, { timeout: 60_000 });

  await page.getByTestId('node-timesteps').click();
  const slider = page.getByRole('slider', { name: 'ρ slider' });
  await slider.scrollIntoViewIfNeeded();
  const box = (await slider.boundingBox())!;
  const start = await centreOf(slider);
  // A slow drag by hand: the graph re-runs many times while the thumb moves.
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  for (let k = 1; k <= 12; k++) {
    await page.mouse.move(start.x + (k * (box.width / 2 - 10)) / 12, start.y);
    await page.waitForTimeout(120);
  }
  await page.mouse.up();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-phase', 'done');
  await page.waitForTimeout(500);
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-phase', 'done');

  await expect(entries(page)).toHaveCount(2);
  const drag = entries(page).first();
  await expect(drag.getByTestId('history-changes')).toHaveText(/^timesteps\.rho 7 → \d/);
  const runs = Number(await drag.getAttribute('data-runs'));
  expect(runs).toBeGreaterThan(1);
  await expect(drag).toHaveAttribute('title', new RegExp(`${runs} auto-runs of one slider drag`));
  await page.screenshot({ path: '/tmp/history-slider-drag.png' });
  expect(realErrors(errors)).toEqual([]);
});

test('the history outlives opening another graph, each run tagged with its own', async ({
  page,
}) => {
  await openPreset(page, 'default');
  await runAndWait(page);
  await expect(entries(page)).toHaveCount(1);
  const defaultRun = await entries(page).first().getAttribute('data-run');

  await page.getByTestId('open-gallery').click();
  await page.getByTestId('preset-vp-ddim').click();
  await waitForCanvasToSettle(page);
  // The dock is cleared for the new graph; its history is not.
  await expect(page.getByTestId('preview-caption')).toHaveText(
    'Run the graph to see its trajectory',
  );
  await expect(entries(page)).toHaveCount(1);
  const kept = entries(page).first();
  await expect(kept).toHaveClass(/other-document/);
  await expect(kept).toContainText('Eight Gaussians');
  await expect(kept).toHaveAttribute('title', /of Eight Gaussians/);

  // The earlier graph's run still shows, over its own data.
  await kept.click();
  await expect(dock(page)).toHaveAttribute('data-shown-run', defaultRun!);
  await expect(scatter(page)).toHaveAttribute('data-step', '20');
  await page.waitForTimeout(200);
  await page.screenshot({ path: '/tmp/history-other-document.png' });

  await runAndWait(page);
  await expect(dock(page)).toHaveAttribute('data-shown-run', 'latest');
  await expect(entries(page)).toHaveCount(2);
  await expect(entries(page).first().getByTestId('history-changes')).toHaveText(
    `first run of ${presetTitle('vp-ddim')}`,
  );
  await expect(entries(page).nth(1)).toHaveAttribute('data-run', defaultRun!);
});

test('image and bridge runs keep their own pictures: tiles, and a bridge over its target', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await openPreset(page, 'fashion-mnist-memorises');
  // 41 frames of 16 images and their x̂₀ are more than an entry keeps: it keeps fewer frames.
  await setParam(page, 'timesteps', 'Steps', '40');
  await runAndWait(page);
  await expect(entries(page)).toHaveCount(1);
  const imageRun = await entries(page).first().getAttribute('data-run');
  await expect(entries(page).first()).toHaveAttribute('data-steps', '40');
  await expect(entries(page).first()).toHaveAttribute(
    'title',
    /kept 16 of 16 images, \d+ of 41 frames/,
  );

  await page.getByTestId('open-gallery').click();
  await page.getByTestId('preset-schrodinger-bridge-moons-to-gaussians').click();
  // The edited steps are not saved: let the preset replace them.
  await page.getByTestId('prompt-discard').click();
  await waitForCanvasToSettle(page);
  await runAndWait(page);
  await expect(entries(page)).toHaveCount(2);
  await expect(dock(page)).toHaveAttribute('data-kind', 'bridge');

  // The image run replays as image grids, x̃ beside x̂₀, at its own steps.
  await entries(page).nth(1).click();
  await expect(dock(page)).toHaveAttribute('data-shown-run', imageRun!);
  const images = page.getByTestId('image-frame-x');
  await expect(images).toHaveAttribute('data-step', '40');
  await expect(images).toHaveAttribute('data-count', '16');
  await expect(page.getByTestId('frame-readout')).toContainText('step 40 / 40');
  // The kept frames span the whole track: its middle is the run's middle, its start step 0.
  await scrubTo(page, 0.5);
  const middle = Number(await images.getAttribute('data-step'));
  expect(Math.abs(middle - 20)).toBeLessThanOrEqual(2);
  await expect(page.getByTestId('frame-readout')).toContainText(`step ${middle} / 40`);
  await page.waitForTimeout(200);
  await page.screenshot({ path: '/tmp/history-image-run.png' });
  await scrubTo(page, 0);
  await expect(images).toHaveAttribute('data-step', '0');
  await page.getByTestId('run-history').screenshot({ path: '/tmp/history-strip.png' });

  await page.getByTestId('history-back-to-latest').click();
  await expect(dock(page)).toHaveAttribute('data-kind', 'bridge');
  await expect(page.getByTestId('preview-caption')).toContainText('bridge · t = 1 · endpoints');
  await page.waitForTimeout(200);
  await page.screenshot({ path: '/tmp/history-bridge-latest.png' });
  expect(errors).toEqual([]);
});
