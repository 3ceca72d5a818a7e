#!/usr/bin/env python3
"""Train the bundled Fashion-MNIST image denoiser, export it to ONNX, and write reference samples.

What it does
------------
1. Trains a small class-conditional U-Net on the committed Fashion-MNIST subset
   (presets/data/fashion-mnist-subset*.npy: 2000 images, 200 per class), with EDM
   preconditioning (Karras et al. 2022, sigma_data = 0.5) built into the model, so the model maps
   (x, sigma, class) to the denoised image D(x; sigma) ~ E[x_0 | x_sigma] ("x0" prediction, EDM
   schedule: alpha = 1, sigma(t) = t). Pixels are scaled to [-1, 1]. Class ids 0-9 are the
   Fashion-MNIST classes and id 10 means "no class"; 15% of every batch is trained with id 10, so
   the same network is also the unconditional model that classifier-free guidance needs.
2. Exports the exponential moving average (EMA) of the weights to ONNX (opset 17). The interface
   is a contract the engine relies on:
       inputs   x             float32 [batch, 1, 28, 28]
                sigma         float32 [batch]
                class_labels  int64   [batch]
       output   denoised      float32 [batch, 1, 28, 28]
   ("batch" is a symbolic dimension.) Training metadata goes into the model's metadata_props.
3. Writes k-diffusion-style reference samples (test/fixtures/fashion-unet/): from a fixed x_T, on a
   10-step Karras grid, class 7 (Sneaker), the deterministic samplers euler, heun and dpmpp_2m,
   written here as k-diffusion's sample_euler, sample_heun and sample_dpmpp_2m define them (no
   churn), driving the PyTorch EMA model in float32. The engine's tests run the same samplers
   through the exported ONNX model and compare.

How to run
----------
    python3 scripts/train-fashion-unet.py [--steps N] [--seed S]
        [--out-model presets/weights/fashion-unet.onnx]
        [--out-reference test/fixtures/fashion-unet]
        [--save-checkpoint FILE] [--load-checkpoint FILE] [--preview-dir DIR]

It needs PyTorch (1.13 was used: Debian's python3-torch, CPU only), NumPy and the onnx package
(Debian's python3-onnx); Debian installs them for /usr/bin/python3, so run it with that interpreter
if `python3` on your PATH is another one. With the defaults (2500 steps of batch 128) it trains in
20-30 minutes on two CPU cores. --load-checkpoint skips training and re-exports /
re-samples from saved EMA weights; --preview-dir writes PNG grids of the reference samples and a
classifier-free-guidance example for a human to look at.

CI never runs this script: the committed ONNX file and reference arrays are what the tests use.
Re-running it with the same options and the same PyTorch build reproduces them; a different
PyTorch version or CPU may change the last bits of the weights, and the samples with them.
"""

import argparse
import json
import math
import os
import struct
import sys
import time
import zlib

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

SIGMA_DATA = 0.5
NUM_CLASSES = 10
NO_CLASS = 10  # the "unconditional" class id
LABEL_DROPOUT = 0.15
P_MEAN, P_STD = -1.2, 1.2  # training distribution of ln(sigma)
CLASS_NAMES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',
               'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']

# Reference-sample settings (the tests read them back from reference.json).
REF_SEED = 20261204
REF_BATCH = 16
REF_CLASS = 7
REF_STEPS = 10
REF_SIGMA_MIN, REF_SIGMA_MAX, REF_RHO = 0.002, 80.0, 7.0

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))


# --------------------------------------------------------------------------------------------
# Model
# --------------------------------------------------------------------------------------------

class NoiseFeatures(nn.Module):
    """Sines and cosines of c_noise at fixed, geometrically spaced frequencies.

    c_noise = ln(sigma)/4 lies in about [-1.6, 1.1] for sigma in [0.002, 80], so frequencies from 1
    to 32 rad per unit of c_noise cover it from slowly to quickly varying features."""

    def __init__(self, count=16, low=1.0, high=32.0):
        super().__init__()
        freqs = torch.exp(torch.linspace(math.log(low), math.log(high), count))
        self.register_buffer('freqs', freqs)

    def forward(self, c_noise):
        angles = c_noise[:, None] * self.freqs[None, :]
        return torch.cat([torch.sin(angles), torch.cos(angles)], dim=1)


class ResBlock(nn.Module):
    """GroupNorm-SiLU-conv twice, with the embedding applied as a per-channel scale and shift."""

    def __init__(self, c_in, c_out, emb_dim, groups=8):
        super().__init__()
        self.norm1 = nn.GroupNorm(groups, c_in)
        self.conv1 = nn.Conv2d(c_in, c_out, 3, padding=1)
        self.emb = nn.Linear(emb_dim, 2 * c_out)
        self.norm2 = nn.GroupNorm(groups, c_out)
        self.conv2 = nn.Conv2d(c_out, c_out, 3, padding=1)
        self.skip = nn.Conv2d(c_in, c_out, 1) if c_in != c_out else nn.Identity()
        nn.init.zeros_(self.conv2.weight)  # each block starts as (almost) its skip path
        nn.init.zeros_(self.conv2.bias)

    def forward(self, x, emb):
        h = self.conv1(F.silu(self.norm1(x)))
        scale, shift = self.emb(emb)[:, :, None, None].chunk(2, dim=1)
        h = self.norm2(h) * (1 + scale) + shift
        h = self.conv2(F.silu(h))
        return (self.skip(x) + h) * (1 / math.sqrt(2))


class UNet(nn.Module):
    """F(x_in, c_noise, class): 28x28 (32 ch) -> 14x14 (64 ch) -> 7x7 (64 ch) and back, with skips."""

    def __init__(self, ch=(32, 64, 64), emb_dim=128, num_labels=NUM_CLASSES + 1):
        super().__init__()
        c0, c1, c2 = ch
        self.noise_features = NoiseFeatures()
        self.noise_mlp = nn.Sequential(nn.Linear(32, emb_dim), nn.SiLU(), nn.Linear(emb_dim, emb_dim))
        self.class_emb = nn.Embedding(num_labels, emb_dim)
        self.conv_in = nn.Conv2d(1, c0, 3, padding=1)
        self.enc0 = ResBlock(c0, c0, emb_dim)
        self.down0 = nn.Conv2d(c0, c1, 3, stride=2, padding=1)  # 28 -> 14
        self.enc1 = ResBlock(c1, c1, emb_dim)
        self.down1 = nn.Conv2d(c1, c2, 3, stride=2, padding=1)  # 14 -> 7
        self.mid0 = ResBlock(c2, c2, emb_dim)
        self.mid1 = ResBlock(c2, c2, emb_dim)
        self.up1 = nn.Conv2d(c2, c1, 3, padding=1)  # applied after 7 -> 14 upsampling
        self.dec1 = ResBlock(2 * c1, c1, emb_dim)
        self.up0 = nn.Conv2d(c1, c0, 3, padding=1)  # applied after 14 -> 28 upsampling
        self.dec0 = ResBlock(2 * c0, c0, emb_dim)
        self.norm_out = nn.GroupNorm(8, c0)
        self.conv_out = nn.Conv2d(c0, 1, 3, padding=1)
        nn.init.zeros_(self.conv_out.weight)
        nn.init.zeros_(self.conv_out.bias)

    def forward(self, x, c_noise, class_labels):
        emb = F.silu(self.noise_mlp(self.noise_features(c_noise)) + self.class_emb(class_labels))
        h0 = self.enc0(self.conv_in(x), emb)
        h1 = self.enc1(self.down0(h0), emb)
        h = self.mid1(self.mid0(self.down1(h1), emb), emb)
        h = self.up1(F.interpolate(h, scale_factor=2.0, mode='nearest'))
        h = self.dec1(torch.cat([h, h1], dim=1), emb)
        h = self.up0(F.interpolate(h, scale_factor=2.0, mode='nearest'))
        h = self.dec0(torch.cat([h, h0], dim=1), emb)
        return self.conv_out(F.silu(self.norm_out(h)))


class EDMDenoiser(nn.Module):
    """D(x; sigma, class) = c_skip x + c_out F(c_in x, c_noise, class), sigma_data = 0.5.

    sigma is clamped to >= 1e-20 inside ln only, so that D(x; 0) = x instead of NaN; for every
    sigma the engine samples with (>= 0.002) the formula is exactly EDM's."""

    def __init__(self, net, sigma_data=SIGMA_DATA):
        super().__init__()
        self.net = net
        self.sigma_data = sigma_data

    def forward(self, x, sigma, class_labels):
        sd2 = self.sigma_data ** 2
        s = sigma.reshape(-1, 1, 1, 1)
        c_skip = sd2 / (s * s + sd2)
        c_out = s * self.sigma_data / torch.sqrt(s * s + sd2)
        c_in = 1 / torch.sqrt(s * s + sd2)
        c_noise = torch.log(torch.clamp(sigma, min=1e-20)) * 0.25
        return c_skip * x + c_out * self.net(c_in * x, c_noise, class_labels)


def build_model():
    return EDMDenoiser(UNet())


def count_parameters(model):
    return sum(p.numel() for p in model.parameters())


# --------------------------------------------------------------------------------------------
# Training
# --------------------------------------------------------------------------------------------

def load_data():
    data_dir = os.path.join(REPO, 'presets', 'data')
    pixels = np.load(os.path.join(data_dir, 'fashion-mnist-subset.npy'))
    labels = np.load(os.path.join(data_dir, 'fashion-mnist-subset-labels.npy'))
    assert pixels.shape == (2000, 784) and pixels.dtype == np.uint8, pixels.shape
    assert labels.shape == (2000,) and labels.max() < NUM_CLASSES
    images = torch.from_numpy(pixels.astype(np.float32) * (2 / 255) - 1).reshape(-1, 1, 28, 28)
    return images, torch.from_numpy(labels.astype(np.int64))


def learning_rate(step, total, peak, warmup=200, final_fraction=0.05):
    """Linear warm-up, then cosine decay from peak to final_fraction * peak."""
    if step < warmup:
        return peak * (step + 1) / warmup
    progress = (step - warmup) / max(1, total - warmup)
    return peak * (final_fraction + (1 - final_fraction) * 0.5 * (1 + math.cos(math.pi * progress)))


def train(model, ema, images, labels, args):
    gen = torch.Generator().manual_seed(args.seed + 1)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    n = images.shape[0]
    start = time.time()
    running = None
    history = []
    order, cursor = torch.randperm(n, generator=gen), 0
    for step in range(args.steps):
        if cursor + args.batch > n:  # epochs without replacement
            order, cursor = torch.randperm(n, generator=gen), 0
        idx = order[cursor:cursor + args.batch]
        cursor += args.batch
        y, c = images[idx], labels[idx].clone()
        c[torch.rand(len(idx), generator=gen) < LABEL_DROPOUT] = NO_CLASS
        sigma = torch.exp(torch.randn(len(idx), generator=gen) * P_STD + P_MEAN)
        noise = torch.randn(y.shape, generator=gen) * sigma.reshape(-1, 1, 1, 1)
        weight = (sigma ** 2 + SIGMA_DATA ** 2) / (sigma * SIGMA_DATA) ** 2
        denoised = model(y + noise, sigma, c)
        loss = (weight.reshape(-1, 1, 1, 1) * (denoised - y) ** 2).mean()

        for group in opt.param_groups:
            group['lr'] = learning_rate(step, args.steps, args.lr)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()

        decay = min(args.ema, (1 + step) / (10 + step))
        with torch.no_grad():
            for p_ema, p in zip(ema.parameters(), model.parameters()):
                p_ema.lerp_(p, 1 - decay)

        running = loss.item() if running is None else 0.98 * running + 0.02 * loss.item()
        if (step + 1) % 100 == 0 or step == 0:
            elapsed = time.time() - start
            print(f'step {step + 1:6d}/{args.steps}  loss {loss.item():.4f}  smoothed {running:.4f}  '
                  f'lr {opt.param_groups[0]["lr"]:.2e}  {elapsed:7.1f}s', flush=True)
            history.append((step + 1, running))
    return {'seconds': time.time() - start, 'final_smoothed_loss': running, 'history': history}


# --------------------------------------------------------------------------------------------
# Samplers (k-diffusion conventions: the model returns D; d = (x - D) / sigma)
# --------------------------------------------------------------------------------------------

def karras_sigmas(n, sigma_min, sigma_max, rho):
    """get_sigmas_karras in float64, with the final 0 appended: n + 1 values."""
    ramp = np.linspace(0, 1, n)
    inv_max, inv_min = sigma_max ** (1 / rho), sigma_min ** (1 / rho)
    sigmas = (inv_max + ramp * (inv_min - inv_max)) ** rho
    return np.append(sigmas, 0.0).astype(np.float64)


class CountingModel:
    """Calls D(x; sigma) with one class label for the whole batch, and counts the calls (NFE)."""

    def __init__(self, model, class_label):
        self.model = model
        self.class_label = class_label
        self.nfe = 0

    def __call__(self, x, sigma):
        self.nfe += 1
        batch = x.shape[0]
        s = torch.full((batch,), float(sigma), dtype=torch.float32)
        c = torch.full((batch,), self.class_label, dtype=torch.int64)
        return self.model(x, s, c)


def to_d(x, sigma, denoised):
    return (x - denoised) / sigma


def sample_euler(model, x, sigmas):
    """k-diffusion sample_euler with s_churn = 0: sigma_hat = sigma_i, x += d * (sigma_{i+1} - sigma_i)."""
    for i in range(len(sigmas) - 1):
        sigma = float(sigmas[i])
        denoised = model(x, sigma)
        d = to_d(x, sigma, denoised)
        x = x + d * (float(sigmas[i + 1]) - sigma)
    return x


def sample_heun(model, x, sigmas):
    """k-diffusion sample_heun with s_churn = 0 (EDM Algorithm 1); an Euler step onto sigma = 0."""
    for i in range(len(sigmas) - 1):
        sigma, sigma_next = float(sigmas[i]), float(sigmas[i + 1])
        denoised = model(x, sigma)
        d = to_d(x, sigma, denoised)
        dt = sigma_next - sigma
        if sigma_next == 0:
            x = x + d * dt
        else:
            x_2 = x + d * dt
            denoised_2 = model(x_2, sigma_next)
            d_2 = to_d(x_2, sigma_next, denoised_2)
            x = x + (d + d_2) / 2 * dt
    return x


def sample_dpmpp_2m(model, x, sigmas):
    """k-diffusion sample_dpmpp_2m (DPM-Solver++(2M)), with t = -ln(sigma), h = t_{i+1} - t_i.

    The first step and the step onto sigma = 0 are first order; onto 0 the update
    (sigma_{i+1}/sigma_i) x - expm1(-h) D is exactly D, which is what is returned."""
    old_denoised = None
    for i in range(len(sigmas) - 1):
        sigma, sigma_next = float(sigmas[i]), float(sigmas[i + 1])
        denoised = model(x, sigma)
        if sigma_next == 0:
            x = denoised
        else:
            h = math.log(sigma) - math.log(sigma_next)
            if old_denoised is None:
                denoised_d = denoised
            else:
                h_last = math.log(float(sigmas[i - 1])) - math.log(sigma)
                r = h_last / h
                denoised_d = (1 + 1 / (2 * r)) * denoised - (1 / (2 * r)) * old_denoised
            x = (sigma_next / sigma) * x - math.expm1(-h) * denoised_d
        old_denoised = denoised
    return x


SAMPLERS = {'euler': sample_euler, 'heun': sample_heun, 'dpmpp_2m': sample_dpmpp_2m}


class CFGModel:
    """Classifier-free guidance on D: D_u + w (D_c - D_u), with the unconditional id 10."""

    def __init__(self, model, class_label, scale):
        self.cond = CountingModel(model, class_label)
        self.uncond = CountingModel(model, NO_CLASS)
        self.scale = scale

    def __call__(self, x, sigma):
        d_c, d_u = self.cond(x, sigma), self.uncond(x, sigma)
        return d_u + self.scale * (d_c - d_u)


# --------------------------------------------------------------------------------------------
# Export and outputs
# --------------------------------------------------------------------------------------------

def export_onnx(model, path, metadata):
    import onnx

    model.eval()
    x = torch.zeros(2, 1, 28, 28)
    sigma = torch.tensor([1.0, 0.1])
    labels = torch.tensor([0, NO_CLASS], dtype=torch.int64)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    torch.onnx.export(
        model, (x, sigma, labels), path, opset_version=17,
        input_names=['x', 'sigma', 'class_labels'], output_names=['denoised'],
        dynamic_axes={'x': {0: 'batch'}, 'sigma': {0: 'batch'}, 'class_labels': {0: 'batch'},
                      'denoised': {0: 'batch'}},
        do_constant_folding=True)
    proto = onnx.load(path)
    # The exporter names the output's broadcast dimensions itself; state the contract instead.
    for dim, value in zip(proto.graph.output[0].type.tensor_type.shape.dim, ['batch', 1, 28, 28]):
        if isinstance(value, str):
            dim.dim_param = value
        else:
            dim.dim_value = value
    proto.doc_string = ('Class-conditional Fashion-MNIST denoiser with EDM preconditioning '
                        '(sigma_data 0.5): denoised = D(x; sigma, class), pixels in [-1, 1], '
                        'class 10 = unconditional. Written by scripts/train-fashion-unet.py.')
    del proto.metadata_props[:]
    for key, value in metadata.items():
        entry = proto.metadata_props.add()
        entry.key, entry.value = key, str(value)
    onnx.checker.check_model(proto)
    onnx.save(proto, path)
    return os.path.getsize(path)


def save_npy(path, array, dtype):
    np.save(path, np.ascontiguousarray(np.asarray(array, dtype=dtype)))


def write_png(path, gray):
    """8-bit grayscale PNG from a 2-D array in [0, 255], with only zlib (no imaging library)."""
    gray = np.asarray(gray, dtype=np.uint8)
    height, width = gray.shape
    raw = b''.join(b'\x00' + gray[row].tobytes() for row in range(height))

    def chunk(kind, data):
        body = kind + data
        return struct.pack('>I', len(data)) + body + struct.pack('>I', zlib.crc32(body) & 0xffffffff)

    png = (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', width, height, 8, 0, 0, 0, 0))
           + chunk(b'IDAT', zlib.compress(raw, 9)) + chunk(b'IEND', b''))
    with open(path, 'wb') as f:
        f.write(png)


def image_grid(rows, scale=3, pad=2):
    """rows: list of [n, 1, 28, 28] arrays in [-1, 1] -> one grey image, one row per array."""
    cols = max(r.shape[0] for r in rows)
    cell = 28 * scale + pad
    out = np.full((len(rows) * cell + pad, cols * cell + pad), 96, dtype=np.uint8)
    for i, batch in enumerate(rows):
        for j, img in enumerate(np.asarray(batch)):
            px = np.clip((img[0] + 1) * 127.5 + 0.5, 0, 255).astype(np.uint8)
            px = np.kron(px, np.ones((scale, scale), dtype=np.uint8))
            out[pad + i * cell:pad + i * cell + 28 * scale, pad + j * cell:pad + j * cell + 28 * scale] = px
    return out


def write_references(model, out_dir, model_name, train_info, preview_dir):
    os.makedirs(out_dir, exist_ok=True)
    model.eval()
    sigmas = karras_sigmas(REF_STEPS, REF_SIGMA_MIN, REF_SIGMA_MAX, REF_RHO)
    gen = torch.Generator().manual_seed(REF_SEED)
    x_T = torch.randn([REF_BATCH, 1, 28, 28], generator=gen, dtype=torch.float32) * REF_SIGMA_MAX
    save_npy(os.path.join(out_dir, 'x_T.npy'), x_T.numpy(), np.float32)
    save_npy(os.path.join(out_dir, 'sigmas.npy'), sigmas, np.float64)

    nfe, results = {}, {}
    with torch.no_grad():
        for name, sampler in SAMPLERS.items():
            counted = CountingModel(model, REF_CLASS)
            out = sampler(counted, x_T.clone(), sigmas)
            nfe[name] = counted.nfe
            results[name] = out.numpy().astype(np.float32)
            save_npy(os.path.join(out_dir, f'{name}_{REF_STEPS}.npy'), results[name], np.float32)
            print(f'{name}: NFE {counted.nfe}, range [{out.min():.3f}, {out.max():.3f}]', flush=True)

    reference = {
        'model': model_name,
        'class_label': REF_CLASS,
        'class_name': CLASS_NAMES[REF_CLASS],
        'batch': REF_BATCH,
        'sigma_min': REF_SIGMA_MIN,
        'sigma_max': REF_SIGMA_MAX,
        'rho': REF_RHO,
        'steps': REF_STEPS,
        'seed': REF_SEED,
        'nfe': nfe,
        'files': {
            'x_T': 'x_T.npy',
            'sigmas': 'sigmas.npy',
            **{name: f'{name}_{REF_STEPS}.npy' for name in SAMPLERS},
        },
        'torch_version': torch.__version__,
        'training': {'steps': train_info.get('steps'), 'seed': train_info.get('seed')},
        'how': (
            'Written by scripts/train-fashion-unet.py: x_T = 80 * randn([16, 1, 28, 28]) from '
            'torch.Generator().manual_seed(20261204) (x_T.npy already includes the factor 80); '
            'sigmas = Karras (n = 10, sigma_min 0.002, sigma_max 80, rho 7) in float64 with 0 '
            'appended; the PyTorch EMA model (the same weights as the ONNX file) is called in '
            'float32 with sigma as a float32 [16] tensor and class_labels = 7 for every sample; '
            'the samplers are k-diffusion sample_euler, sample_heun (both without churn) and '
            'sample_dpmpp_2m, with step coefficients computed in float64 and applied to float32 '
            'tensors.'),
    }
    with open(os.path.join(out_dir, 'reference.json'), 'w') as f:
        json.dump(reference, f, indent=2)
        f.write('\n')

    if preview_dir:
        os.makedirs(preview_dir, exist_ok=True)
        write_png(os.path.join(preview_dir, 'fashion-unet-samplers.png'),
                  image_grid([results[name] for name in SAMPLERS]))
        cfg_rows = []
        with torch.no_grad():
            for label in (REF_CLASS, NO_CLASS):
                cfg_rows.append(sample_heun(CountingModel(model, label), x_T.clone(), sigmas).numpy())
            cfg_rows.append(sample_heun(CFGModel(model, REF_CLASS, 3.0), x_T.clone(), sigmas).numpy())
            per_class = []
            for label in range(NUM_CLASSES):
                per_class.append(sample_heun(CountingModel(model, label), x_T[:10].clone(), sigmas).numpy())
        write_png(os.path.join(preview_dir, 'fashion-unet-cfg.png'), image_grid(cfg_rows))
        write_png(os.path.join(preview_dir, 'fashion-unet-classes.png'), image_grid(per_class))
        print(f'previews in {preview_dir}', flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--steps', type=int, default=2500, help='training steps (default 2500)')
    parser.add_argument('--seed', type=int, default=0, help='training seed (default 0)')
    parser.add_argument('--batch', type=int, default=128, help='batch size (default 128)')
    parser.add_argument('--lr', type=float, default=2e-3, help='peak Adam learning rate')
    parser.add_argument('--ema', type=float, default=0.999, help='EMA decay of the exported weights')
    parser.add_argument('--threads', type=int, default=2, help='torch CPU threads (default 2)')
    parser.add_argument('--out-model', default=os.path.join(REPO, 'presets', 'weights', 'fashion-unet.onnx'))
    parser.add_argument('--out-reference', default=os.path.join(REPO, 'test', 'fixtures', 'fashion-unet'))
    parser.add_argument('--save-checkpoint', help='also save the EMA weights (torch.save) here')
    parser.add_argument('--load-checkpoint', help='skip training; load EMA weights saved earlier')
    parser.add_argument('--preview-dir', help='write PNG grids of samples here (not committed)')
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    model = build_model()
    ema = build_model()
    ema.load_state_dict(model.state_dict())
    ema.requires_grad_(False)
    print(f'parameters: {count_parameters(model)}', flush=True)

    if args.load_checkpoint:
        saved = torch.load(args.load_checkpoint)
        ema.load_state_dict(saved['ema'])
        train_info = saved['info']
    else:
        images, labels = load_data()
        result = train(model, ema, images, labels, args)
        train_info = {'steps': args.steps, 'seed': args.seed, 'batch': args.batch, 'lr': args.lr,
                      'ema': args.ema, 'seconds': round(result['seconds'], 1),
                      'final_smoothed_loss': result['final_smoothed_loss']}
        print(f'trained {args.steps} steps in {result["seconds"]:.0f}s, '
              f'smoothed loss {result["final_smoothed_loss"]:.4f}', flush=True)
        if args.save_checkpoint:
            torch.save({'ema': ema.state_dict(), 'info': train_info}, args.save_checkpoint)

    metadata = {
        'principia.prediction': 'x0', 'principia.time': 'sigma', 'principia.schedule': 'edm',
        'sigma_data': SIGMA_DATA, 'pixel_range': '[-1, 1]', 'image_shape': '1x28x28',
        'classes': json.dumps(CLASS_NAMES + ['(none: unconditional)']),
        'unconditional_class': NO_CLASS, 'label_dropout': LABEL_DROPOUT,
        'training_steps': train_info['steps'], 'training_seed': train_info['seed'],
        'training_batch': train_info.get('batch', ''), 'ema_decay': train_info.get('ema', ''),
        'parameters': count_parameters(ema), 'torch_version': torch.__version__,
        'source': 'scripts/train-fashion-unet.py, Fashion-MNIST subset (presets/data, MIT licence)',
    }
    size = export_onnx(ema, args.out_model, metadata)
    print(f'wrote {args.out_model} ({size} bytes)', flush=True)
    write_references(ema, args.out_reference, os.path.basename(args.out_model), train_info,
                     args.preview_dir)


if __name__ == '__main__':
    sys.exit(main())
