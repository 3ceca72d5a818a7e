#!/usr/bin/env python3
"""The PyTorch side of `npm run bench`: the same workloads driven by k-diffusion-style samplers on
PyTorch's CPU, so that the figures recorded in scripts/bench.ts can be reproduced on another
machine. A development script: CI never runs it.

    /usr/bin/python3 scripts/bench-pytorch.py points|images [--threads N]
    /usr/bin/python3 scripts/bench-pytorch.py unet --checkpoint EMA.pt [--threads N]

- points: 20,000 particles, 1,000 two-moons points (d = 2), 20 dpmpp_2m Karras steps, the exact
  empirical denoiser as one matrix product for the distances, a softmax and a second product;
- images: 512 particles, the 2,000 committed Fashion-MNIST images (d = 784), the same;
- unet: the bundled U-Net (the PyTorch model of scripts/train-fashion-unet.py, with the EMA weights
  that script saves with --save-checkpoint), 64 samples, class 7, 20 Heun Karras steps (39 calls).

Prints the seconds the sampling took; time the whole process from outside for the comparison
with the CLI (which is timed whole, start-up included).
"""
import argparse
import math
import os
import sys
import time

import numpy as np
import torch

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))


def karras(n, sigma_min=0.002, sigma_max=80.0, rho=7.0):
    ramp = torch.linspace(0, 1, n, dtype=torch.float64)
    lo, hi = sigma_min ** (1 / rho), sigma_max ** (1 / rho)
    sigmas = (hi + ramp * (lo - hi)) ** rho
    return torch.cat([sigmas, torch.zeros(1, dtype=torch.float64)])


def empirical_denoiser(data):
    norms = (data * data).sum(1)

    def denoise(x, sigma):
        # ‖x − y‖² through one matrix product, softmax over the data, the weighted mean as another.
        sq = (x * x).sum(1, keepdim=True) - 2 * x @ data.T + norms[None, :]
        weights = torch.softmax(-sq / (2 * sigma * sigma), dim=1)
        return weights @ data

    return denoise


def sample_dpmpp_2m(denoise, x, sigmas):
    old = None
    for i in range(len(sigmas) - 1):
        sigma, nxt = float(sigmas[i]), float(sigmas[i + 1])
        denoised = denoise(x, sigma)
        if nxt == 0:
            x = denoised
        else:
            t, t_next = -math.log(sigma), -math.log(nxt)
            h = t_next - t
            if old is None:
                d = denoised
            else:
                r = (t - (-math.log(float(sigmas[i - 1])))) / h
                d = (1 + 1 / (2 * r)) * denoised - (1 / (2 * r)) * old
            x = (nxt / sigma) * x - math.expm1(-h) * d
        old = denoised
    return x


def sample_heun(denoise, x, sigmas):
    for i in range(len(sigmas) - 1):
        sigma, nxt = float(sigmas[i]), float(sigmas[i + 1])
        d = (x - denoise(x, sigma)) / sigma
        if nxt == 0:
            x = x + d * (nxt - sigma)
        else:
            x2 = x + d * (nxt - sigma)
            d2 = (x2 - denoise(x2, nxt)) / nxt
            x = x + (d + d2) / 2 * (nxt - sigma)
    return x


def time_unet(args, generator):
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        'train_fashion_unet', os.path.join(REPO, 'scripts/train-fashion-unet.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = module.build_model()
    model.load_state_dict(torch.load(args.checkpoint)['ema'])
    model.eval()
    labels = torch.full((64,), 7, dtype=torch.int64)
    x = torch.randn(64, 1, 28, 28, generator=generator) * 80

    def denoise(x, sigma):
        return model(x, torch.full((x.shape[0],), sigma, dtype=torch.float32), labels)

    started = time.perf_counter()
    with torch.no_grad():
        sample_heun(denoise, x, karras(20))
    print(f'unet: {time.perf_counter() - started:.2f} s sampling, torch {torch.__version__}, '
          f'{args.threads} threads')


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('workload', choices=['points', 'images', 'unet'])
    parser.add_argument('--threads', type=int, default=os.cpu_count())
    parser.add_argument('--checkpoint', help='the U-Net EMA weights (train-fashion-unet.py)')
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    generator = torch.Generator().manual_seed(0)
    if args.workload == 'unet':
        return time_unet(args, generator)
    if args.workload == 'points':
        angles = torch.rand(1000, generator=generator) * math.pi
        data = torch.stack([torch.cos(angles), torch.sin(angles)], 1)
        x = torch.randn(20000, 2, generator=generator) * 80
    else:
        raw = np.load(os.path.join(REPO, 'presets/data/fashion-mnist-subset.npy'))
        data = torch.from_numpy(raw.astype(np.float32) / 127.5 - 1)
        x = torch.randn(512, 784, generator=generator) * 80
    started = time.perf_counter()
    with torch.no_grad():
        sample_dpmpp_2m(empirical_denoiser(data.float()), x.float(), karras(20))
    print(f'{args.workload}: {time.perf_counter() - started:.2f} s sampling, torch {torch.__version__}, '
          f'{args.threads} threads')


if __name__ == '__main__':
    main()
