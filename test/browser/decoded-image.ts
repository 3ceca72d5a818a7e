// What Chromium's own decoder makes of an exported image: its size and a few pixel statistics,
// computed in the page so only numbers cross back.
import type { Page } from '@playwright/test';

export interface DecodedImage {
  readonly width: number;
  readonly height: number;
  /** Distinct values of the red channel: a blank or flat image has few. */
  readonly redLevels: number;
  /** Pixels that are clearly red (R > 200, G and B < 60), and clearly blue. */
  readonly red: number;
  readonly blue: number;
}

export function decodeInBrowser(
  page: Page,
  bytes: Buffer,
  mime: 'image/png' | 'image/gif',
): Promise<DecodedImage> {
  return page.evaluate(
    async ([base64, type]) => {
      const image = new Image();
      image.src = `data:${type};base64,${base64}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.naturalWidth;
      canvas.height = image.naturalHeight;
      const context = canvas.getContext('2d')!;
      context.drawImage(image, 0, 0);
      const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
      const levels = new Set<number>();
      let red = 0;
      let blue = 0;
      for (let p = 0; p < data.length; p += 4) {
        levels.add(data[p]!);
        if (data[p]! > 200 && data[p + 1]! < 60 && data[p + 2]! < 60) red++;
        if (data[p + 2]! > 200 && data[p]! < 60 && data[p + 1]! < 60) blue++;
      }
      return {
        width: image.naturalWidth,
        height: image.naturalHeight,
        redLevels: levels.size,
        red,
        blue,
      };
    },
    [bytes.toString('base64'), mime] as const,
  );
}
