// The exact denoisers as tfjs kernels on WebGPU, in the real app in Chromium with WebGPU switched
// on. These machines have no GPU: Chromium's WebGPU adapter is SwiftShader's, on the CPU, so the
// kernels run slowly but for real, through tfjs's WebGPU backend, and must give the CPU kernels'
// samples.
import { expect, test } from '@playwright/test';
import { fashionTrajectory, largestFinalDifference } from './exact-denoiser-helpers';

test.use({
  launchOptions: {
    executablePath:
      process.env['PRINCIPIA_CHROMIUM'] ?? process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--enable-unsafe-swiftshader',
      // WebGPU on Linux (Chromium's default there is off), as scripts/gpu-check.ts asks for it.
      '--enable-unsafe-webgpu',
      '--enable-features=Vulkan,WebGPU',
      '--use-angle=vulkan',
      '--ignore-gpu-blocklist',
    ],
  },
});

test('on WebGPU the exact denoiser’s kernels give the CPU kernels’ samples', async ({ page }) => {
  const onDevice = await fashionTrajectory(page, 'webgpu', 'device');
  const onCpu = await fashionTrajectory(page, 'webgpu', 'cpu');
  expect(onDevice.shape).toEqual(onCpu.shape);
  expect(largestFinalDifference(onDevice, onCpu)).toBeLessThan(1e-3);
});
