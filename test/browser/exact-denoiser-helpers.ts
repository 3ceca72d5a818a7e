// The Fashion-MNIST preset run in the app on a chosen backend and exact-denoiser placement, for
// the tests of the exact denoisers on GPU backends (exact-denoisers*.spec.ts).
import { expect, type Page } from '@playwright/test';
import { parseNpy } from '../../graph-nodes/math/npy';
import { runAndWait, waitForCanvasToSettle } from './editor-helpers';
import { downloadBytes, withoutFileSystemAccess } from './files-helpers';

export const STEPS = 8;

type Trajectory = ReturnType<typeof parseNpy>;

/** The preset with 8 particles and 8 Karras steps, run; its trajectory's .npy. */
export async function fashionTrajectory(
  page: Page,
  backend: 'webgl' | 'webgpu',
  exact: 'device' | 'cpu',
): Promise<Trajectory> {
  await withoutFileSystemAccess(page);
  await page.goto(`/?backend=${backend}&exact=${exact}`);
  await expect(page.getByTestId('backend')).toHaveText(backend, { timeout: 60_000 });
  await expect(page.getByTestId('exact-denoisers')).toHaveText(
    exact === 'device' ? `on ${backend}` : 'CPU float64',
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

/** max |a − b| over the last frame; fails if the samples did not move from the first. */
export function largestFinalDifference(a: Trajectory, b: Trajectory): number {
  const frame = a.data.length / (STEPS + 1);
  expect(a.data.subarray(frame * STEPS)).not.toEqual(a.data.subarray(0, frame));
  let largest = 0;
  for (let k = a.data.length - frame; k < a.data.length; k++) {
    largest = Math.max(largest, Math.abs(a.data[k]! - b.data[k]!));
  }
  return largest;
}
