"""Writes tools/fixtures/optimizer.json from PyTorch's own AdamW and clip_grad_norm_.

Run with Debian's PyTorch: /usr/bin/python3 tools/reference/make_optimizer_fixtures.py
Two parameters (one with weight decay, one without, as the official recipe exempts LayerNorm
parameters), six steps with seeded gradients and a per-step learning rate, in float32.
"""
import json
import os

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "optimizer.json")


def main():
    g = torch.Generator().manual_seed(7)
    decay = torch.randn(4, 3, generator=g)
    no_decay = torch.randn(5, generator=g)
    params = {"decay": decay.clone().requires_grad_(True), "noDecay": no_decay.clone().requires_grad_(True)}
    opt = torch.optim.AdamW(
        [
            {"params": [params["decay"]], "weight_decay": 0.1},
            {"params": [params["noDecay"]], "weight_decay": 0.0},
        ],
        lr=6e-4,
        betas=(0.9, 0.95),
        eps=1e-8,
    )
    lrs = [1e-3, 2e-3, 3e-3, 2.5e-3, 1e-3, 5e-4]
    steps = []
    for lr in lrs:
        grads = {k: torch.randn(v.shape, generator=g) * 0.5 for k, v in params.items()}
        for group in opt.param_groups:
            group["lr"] = lr
        for k, v in params.items():
            v.grad = grads[k].clone()
        opt.step()
        steps.append(
            {
                "lr": lr,
                "grads": {k: grads[k].flatten().tolist() for k in grads},
                "params": {k: v.detach().flatten().tolist() for k, v in params.items()},
            }
        )
    # global-norm clipping, as torch.nn.utils.clip_grad_norm_ (max_norm 1.0)
    clip_in = {"a": (torch.randn(3, 4, generator=g) * 2).requires_grad_(False), "b": torch.randn(6, generator=g)}
    tensors = [t.clone() for t in clip_in.values()]
    for t in tensors:
        t.grad = t.clone()
    total = torch.nn.utils.clip_grad_norm_(tensors, max_norm=1.0)
    fixture = {
        "adamw": {
            "betas": [0.9, 0.95],
            "eps": 1e-8,
            "weightDecay": {"decay": 0.1, "noDecay": 0.0},
            "shapes": {"decay": [4, 3], "noDecay": [5]},
            "initial": {"decay": decay.flatten().tolist(), "noDecay": no_decay.flatten().tolist()},
            "steps": steps,
        },
        "clip": {
            "maxNorm": 1.0,
            "grads": {k: v.flatten().tolist() for k, v in clip_in.items()},
            "shapes": {k: list(v.shape) for k, v in clip_in.items()},
            "totalNorm": float(total),
            "clipped": {k: t.grad.flatten().tolist() for k, t in zip(clip_in, tensors)},
        },
        "torch": torch.__version__,
    }
    with open(OUT, "w") as f:
        json.dump(fixture, f, indent=1)


if __name__ == "__main__":
    main()
