// How the browser tests and the browser benches launch the system Chromium (Playwright cannot
// download browsers on these machines): where it is, the switches every launch takes, and the
// ones that turn WebGPU on (Chromium's default on Linux is off).
export const CHROMIUM_PATH =
  process.env['PRINCIPIA_CHROMIUM'] ?? process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Keep WebGL2 available through SwiftShader when no GPU is present.
  '--enable-unsafe-swiftshader',
];

export const WEBGPU_SWITCHES: readonly string[] = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan,WebGPU',
  '--use-angle=vulkan',
  '--ignore-gpu-blocklist',
];
