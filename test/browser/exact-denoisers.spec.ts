// GPU backends in the real app in Chromium. Here WebGL runs on SwiftShader (Chromium's software
// rasteriser: no GPU on these machines), so the 'auto' backend passes it over for wasm, and WebGL
// asked for keeps the exact denoisers on the CPU, each saying why; ?exact=device puts them on
// WebGL anyway, so the tfjs kernels (two products and a log-sum-exp, with the rows float32 cannot
// settle redone in float64) run in a real browser's WebGL, and the Fashion-MNIST preset's samples
// match the CPU kernels'.
import { expect, test, type Page } from '@playwright/test';
import { parseNpy } from '../../graph-nodes/math/npy';
import { runAndWait, waitForCanvasToSettle } from './editor-helpers';
import { downloadBytes, withoutFileSystemAccess } from './files-helpers';

const STEPS = 8;

/** The Fashion-MNIST preset with 8 particles and 8 Karras steps, run; its trajectory's .npy. */
async function fashionTrajectory(page: Page, exact: 'device' | 'cpu') {
  await withoutFileSystemAccess(page);
  await page.goto(`/?backend=webgl&exact=${exact}`);
  await expect(page.getByTestId('backend')).toHaveText('webgl', { timeout: 60_000 });
  await expect(page.getByTestId('exact-denoisers')).toHaveText(
    exact === 'device' ? 'on webgl' : 'CPU float64',
  );
  await waitForCanvasToSettle(page);
  await page.getByTestId('auto-run').uncheck();
  await page.getByTestId('open-gallery').click();
  await page.getByTestId('preset-fashion-mnist-memorises').click();
  await waitForCanvasToSettle(page);
  for (const [node, label, value] of [
    ['prior', 'Count', '8'],
    ['timesteps', 'Steps', String(STEPS)],
  ] as const) {
    await page.getByTestId(`node-${node}`).click();
    const field = page.getByRole('textbox', { name: label, exact: true });
    await field.fill(value);
    await field.press('Enter');
  }
  await runAndWait(page);
  const file = await downloadBytes(page, 'export-npy');
  return parseNpy(new Uint8Array(file.bytes));
}

test('the auto backend passes over WebGL on a software renderer and says why', async ({ page }) => {
  await page.goto('/');
  const backend = page.getByTestId('backend');
  await expect(backend).toHaveText('wasm', { timeout: 60_000 });
  await expect(backend.locator('..')).toHaveAttribute(
    'title',
    /webgl: runs on a software renderer \(.*SwiftShader.*\), not a GPU/iu,
  );
  await expect(page.getByTestId('exact-denoisers')).toHaveText('CPU float64');
});

test('auto keeps exact denoisers on the CPU when WebGL is a software renderer, and says so', async ({
  page,
}) => {
  await page.goto('/?backend=webgl');
  await expect(page.getByTestId('backend')).toHaveText('webgl', { timeout: 60_000 });
  const exact = page.getByTestId('exact-denoisers');
  await expect(exact).toHaveText('CPU float64');
  await expect(exact.locator('..')).toHaveAttribute('title', /software renderer \(.*SwiftShader/iu);
});

test('on WebGL the exact denoiser’s kernels give the CPU kernels’ samples', async ({ page }) => {
  const onDevice = await fashionTrajectory(page, 'device');
  const onCpu = await fashionTrajectory(page, 'cpu');
  expect(onDevice.shape).toEqual(onCpu.shape);
  expect(onDevice.shape[0]).toBe(STEPS + 1);
  const frame = onDevice.data.length / (STEPS + 1);
  let largest = 0;
  for (let k = onDevice.data.length - frame; k < onDevice.data.length; k++) {
    largest = Math.max(largest, Math.abs(onDevice.data[k]! - onCpu.data[k]!));
  }
  // Each sample lands on a training image in both, to float32's precision (pixels in [−1, 1]).
  expect(largest).toBeLessThan(1e-3);
  // And the samples moved: the last frame is not the first.
  expect(onDevice.data[frame * STEPS]).not.toBe(onDevice.data[0]);
});
