// Where the app puts the exact denoisers: on the GPU only for a WebGL/WebGPU backend on hardware,
// never on Chromium's software rasterisers, and where it was asked to.
import { describe, expect, it } from 'vitest';
import { decidePlacement } from '../../renderer/engine/exact-denoiser-placement';
import { isSoftwareRenderer } from '../../renderer/engine/gpu-device';

const NVIDIA =
  'ANGLE (NVIDIA, NVIDIA GeForce RTX 4090 (0x00002684) Direct3D11 vs_5_0 ps_5_0, D3D11)';
const SWIFTSHADER =
  'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)';

describe('the renderers', () => {
  it('tells software rasterisers from GPUs', () => {
    expect(isSoftwareRenderer(SWIFTSHADER)).toBe(true);
    expect(isSoftwareRenderer('google swiftshader')).toBe(true);
    expect(isSoftwareRenderer('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(isSoftwareRenderer('Microsoft Basic Render Driver')).toBe(true);
    expect(isSoftwareRenderer(NVIDIA)).toBe(false);
    expect(isSoftwareRenderer('apple metal-3 Apple M2')).toBe(false);
    expect(
      isSoftwareRenderer('ANGLE (Intel, Mesa Intel(R) UHD Graphics 620 (KBL GT2), OpenGL 4.6)'),
    ).toBe(false);
  });
});

describe('the placement', () => {
  it('is the GPU for WebGL or WebGPU on hardware, and names it', () => {
    const report = decidePlacement('webgl', 'auto', { name: NVIDIA, software: false });
    expect(report).toEqual({ on: 'device', why: `webgl on ${NVIDIA}` });
    expect(decidePlacement('webgpu', 'auto', { name: 'nvidia ada', software: false }).on).toBe(
      'device',
    );
  });

  it('is the CPU on software renderers, CPU backends and unidentified devices, saying why', () => {
    expect(decidePlacement('webgl', 'auto', { name: SWIFTSHADER, software: true })).toEqual({
      on: 'cpu',
      why: `webgl runs on a software renderer (${SWIFTSHADER}), not a GPU`,
    });
    expect(decidePlacement('wasm', 'auto', undefined).why).toBe(
      'the wasm backend computes on the CPU',
    );
    expect(decidePlacement('webgpu', 'auto', new Error('no adapter'))).toEqual({
      on: 'cpu',
      why: 'the webgpu device could not be identified (no adapter)',
    });
  });

  it('is what was asked for when forced', () => {
    expect(decidePlacement('webgl', 'cpu', { name: NVIDIA, software: false }).on).toBe('cpu');
    expect(decidePlacement('wasm', 'device', undefined)).toEqual({
      on: 'device',
      why: 'asked for (?exact=device), on wasm',
    });
  });
});
