// The exact denoisers as tfjs kernels on WebGPU, in the real app in Chromium with WebGPU switched
// on. These machines have no GPU: Chromium's WebGPU adapter is SwiftShader's, on the CPU, so the
// kernels run slowly but for real, through tfjs's WebGPU backend, and must give the CPU kernels'
// samples.
import { expect, test } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH, WEBGPU_SWITCHES } from './chromium-launch';
import { fashionTrajectory, largestFinalDifference } from './exact-denoiser-helpers';

test.use({
  launchOptions: { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...WEBGPU_SWITCHES] },
});

test('on WebGPU the exact denoiser’s kernels give the CPU kernels’ samples', async ({ page }) => {
  const onDevice = await fashionTrajectory(page, 'webgpu', 'device');
  const onCpu = await fashionTrajectory(page, 'webgpu', 'cpu');
  expect(onDevice.shape).toEqual(onCpu.shape);
  expect(largestFinalDifference(onDevice, onCpu)).toBeLessThan(1e-3);
});
