// Building a pipeline by hand: clear the canvas with a box selection, drag five nodes from the
// library, wire them with the mouse, run, and read the samples and the wires' live facts.
import { expect, test } from '@playwright/test';
import { dragFromLibrary, dragMouse, port, waitForCanvasToSettle, wire } from './editor-helpers';

test('five nodes dragged from the library and wired by hand run and show samples', async ({
  page,
}, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/?backend=wasm');
  await expect(page.getByTestId('node-solver')).toBeVisible();
  await waitForCanvasToSettle(page);

  // Zoom out so the graph sits well inside the canvas, then box-select everything (Shift+drag
  // from empty canvas above the minimap up to the top-left corner) and delete it.
  await page.locator('.react-flow__controls-zoomout').click();
  await page.locator('.react-flow__controls-zoomout').click();
  await waitForCanvasToSettle(page);
  const canvas = (await page.getByTestId('canvas').boundingBox())!;
  await dragMouse(
    page,
    { x: canvas.x + canvas.width - 8, y: canvas.y + canvas.height - 170 },
    { x: canvas.x + 4, y: canvas.y + 4 },
    { modifiers: ['Shift'] },
  );
  await expect(page.locator('.react-flow__node.selected')).toHaveCount(5);
  await page.keyboard.press('Delete');
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
  await expect(page.locator('.react-flow__edge')).toHaveCount(0);

  await dragFromLibrary(page, 'edm-schedule', { x: 30, y: 160 });
  await dragFromLibrary(page, 'karras-timesteps', { x: 250, y: 160 });
  await dragFromLibrary(page, 'gaussian-prior', { x: 470, y: 120 });
  await dragFromLibrary(page, 'gmm-denoiser', { x: 250, y: 420 });
  await dragFromLibrary(page, 'solver', { x: 560, y: 340 });
  for (const id of ['schedule', 'timesteps', 'prior', 'denoiser', 'solver']) {
    await expect(page.getByTestId(`node-${id}`)).toBeVisible();
  }

  await wire(page, ['schedule', 'schedule'], ['timesteps', 'schedule']);
  await wire(page, ['timesteps', 'timesteps'], ['prior', 'timesteps']);
  await wire(page, ['timesteps', 'timesteps'], ['solver', 'timesteps']);
  await wire(page, ['prior', 'samples'], ['solver', 'noise']);
  await wire(page, ['denoiser', 'denoiser'], ['solver', 'denoiser']);
  await expect(page.locator('.react-flow__edge')).toHaveCount(5);

  await expect(page.getByTestId('backend')).toHaveText('wasm', { timeout: 60_000 });
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-phase', 'done', {
    timeout: 150_000,
  });
  // The prior's default count.
  await expect(page.getByTestId('scatter-points')).toHaveAttribute('data-point-count', '1000');

  // Hovering a port or a wire shows what it carried.
  await port(page, 'prior', 'output', 'samples').hover();
  await expect(page.getByTestId('hover-card')).toContainText('samples 1000 × [2]');
  await port(page, 'timesteps', 'output', 'timesteps').hover();
  await expect(page.getByTestId('hover-card')).toContainText(/σ̃ from 80 to 0, 20 steps/);

  const screenshot = testInfo.outputPath('editor-pipeline.png');
  await page.screenshot({ path: screenshot });
  await testInfo.attach('hand-built pipeline after a run', {
    path: screenshot,
    contentType: 'image/png',
  });
  expect(errors).toEqual([]);
});
