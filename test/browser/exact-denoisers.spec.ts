// GPU backends in the real app in Chromium. Here WebGL runs on SwiftShader (Chromium's software
// rasteriser: no GPU on these machines), so the 'auto' backend passes it over for wasm, and WebGL
// asked for keeps the exact denoisers on the CPU, each saying why; ?exact=device puts them on
// WebGL anyway, so the tfjs kernels (two products and a log-sum-exp, with the rows float32 cannot
// settle redone in float64) run in a real browser's WebGL, and the Fashion-MNIST preset's samples
// match the CPU kernels'.
import { expect, test } from '@playwright/test';
import { fashionTrajectory, largestFinalDifference, STEPS } from './exact-denoiser-helpers';

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
  const onDevice = await fashionTrajectory(page, 'webgl', 'device');
  const onCpu = await fashionTrajectory(page, 'webgl', 'cpu');
  expect(onDevice.shape).toEqual(onCpu.shape);
  expect(onDevice.shape[0]).toBe(STEPS + 1);
  // Each sample lands on a training image in both, to float32's precision (pixels in [−1, 1]).
  expect(largestFinalDifference(onDevice, onCpu)).toBeLessThan(1e-3);
});
