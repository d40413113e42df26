"""PyTorch yardstick for `pnpm bench:compare`: the same TokenFormer architecture (official GPT-NeoX
layout: Pattention with l2_norm_gelu, partial rotary, non-parametric in-block LayerNorm, tied
embedding), float32, the full training step (forward, cross-entropy, backward, clipping to 1.0,
AdamW 0.9/0.95, wd 0.1), and KV-cache generation, batch 1, greedy.

  /usr/bin/python3 tools/reference/bench_torch.py '{"vocab":4096,"d":256,"layers":4,"heads":4,
      "qkv":256,"proj":256,"ffn":1024,"seq":256,"batch":8,"steps":5,"gen_prompt":16,"gen_tokens":64,"threads":2}'

Prints one JSON line: training tokens/s (median of the timed steps), generation tokens/s, and the
BLAS library torch loaded (from /proc/self/maps). Run with OPENBLAS_NUM_THREADS=1 and Debian's
libopenblas0-pthread for a fair yardstick (see ENVIRONMENT.md); the reference BLAS is ~16x slower.
"""
import json
import math
import statistics
import sys
import time

import torch
import torch.nn.functional as F


class Pattention(torch.nn.Module):
    def __init__(self, d, n, layers):
        super().__init__()
        self.keys = torch.nn.Parameter(torch.randn(n, d) * 0.02)
        self.values = torch.nn.Parameter(torch.randn(n, d) * (2 / (layers * math.sqrt(d))))

    def forward(self, x):
        a = x @ self.keys.t()
        a = a / torch.norm(a, p=2, dim=-1, keepdim=True) * math.sqrt(a.shape[-1])
        return F.gelu(a) @ self.values


def rotate_half(x):
    x1, x2 = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


class Block(torch.nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        self.q, self.k, self.v = (Pattention(c["d"], c["qkv"], c["layers"]) for _ in range(3))
        self.proj = Pattention(c["d"], c["proj"], c["layers"])
        self.mlp = Pattention(c["d"], c["ffn"], c["layers"])

    def forward(self, x, cos, sin, past=None):
        b, t, d = x.shape
        h = self.c["heads"]
        hd = d // h
        r = int(hd * 0.25)
        y = F.layer_norm(x, (d,), eps=1e-5)
        q, k, v = (m(y).view(b, t, h, hd).transpose(1, 2) for m in (self.q, self.k, self.v))  # [b, h, t, hd]
        q = torch.cat((q[..., :r] * cos + rotate_half(q[..., :r]) * sin, q[..., r:]), dim=-1)
        k = torch.cat((k[..., :r] * cos + rotate_half(k[..., :r]) * sin, k[..., r:]), dim=-1)
        if past is not None:
            k = torch.cat((past[0], k), dim=2)
            v = torch.cat((past[1], v), dim=2)
        att = (q @ k.transpose(-2, -1)) / math.sqrt(hd)
        if t > 1:
            att = att.masked_fill(torch.ones(t, k.shape[2], dtype=torch.bool).triu(k.shape[2] - t + 1), float("-inf"))
        ctx = (torch.softmax(att, dim=-1) @ v).transpose(1, 2).reshape(b, t, d)
        x = x + self.proj(ctx)
        x = x + self.mlp(F.layer_norm(x, (d,), eps=1e-5))
        return x, (k, v)


class Model(torch.nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        self.emb = torch.nn.Parameter(torch.randn(c["vocab"], c["d"]) * 0.02)
        self.blocks = torch.nn.ModuleList(Block(c) for _ in range(c["layers"]))
        self.norm = torch.nn.LayerNorm(c["d"])
        r = int(c["d"] // c["heads"] * 0.25)
        inv = 1.0 / (10000 ** (torch.arange(0, r, 2).float() / r))
        freqs = torch.outer(torch.arange(c["seq"] + c["gen_tokens"] + c["gen_prompt"]).float(), inv)
        emb = torch.cat((freqs, freqs), dim=-1)
        self.cos, self.sin = emb.cos(), emb.sin()

    def forward(self, ids, cache=None):
        offset = 0 if cache is None else cache[0][0].shape[2]
        t = ids.shape[1]
        cos, sin = self.cos[offset:offset + t], self.sin[offset:offset + t]
        x = F.embedding(ids, self.emb)
        new = []
        for i, blk in enumerate(self.blocks):
            x, kv = blk(x, cos, sin, None if cache is None else cache[i])
            new.append(kv)
        return self.norm(x) @ self.emb.t(), new


def blas():
    with open("/proc/self/maps") as f:
        libs = {line.split()[-1] for line in f if "blas" in line.lower() or "mkl" in line.lower()}
    return sorted(libs)


def main():
    c = json.loads(sys.argv[1])
    torch.manual_seed(0)
    torch.set_num_threads(c["threads"])
    model = Model(c)
    decay = [p for n, p in model.named_parameters() if not n.startswith("norm")]
    no_decay = [p for n, p in model.named_parameters() if n.startswith("norm")]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}], lr=1e-3, betas=(0.9, 0.95), eps=1e-8)
    ids = torch.randint(0, c["vocab"], (c["batch"], c["seq"] + 1))
    times = []
    for step in range(c["steps"] + 2):
        t0 = time.perf_counter()
        logits, _ = model(ids[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, c["vocab"]), ids[:, 1:].reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if step >= 2:
            times.append(time.perf_counter() - t0)
    train = c["batch"] * c["seq"] / statistics.median(times)
    with torch.no_grad():
        prompt = torch.randint(0, c["vocab"], (1, c["gen_prompt"]))
        gen_times = []
        for _ in range(2):
            t0 = time.perf_counter()
            logits, cache = model(prompt)
            nxt = logits[:, -1].argmax(-1, keepdim=True)
            t1 = time.perf_counter()
            for _ in range(c["gen_tokens"] - 1):
                logits, cache = model(nxt, cache)
                nxt = logits[:, -1].argmax(-1, keepdim=True)
            gen_times.append((c["gen_tokens"] - 1) / (time.perf_counter() - t1))
    print(json.dumps({"trainTokensPerSec": train, "generateTokensPerSec": gen_times[-1], "loss": loss.item(), "blas": blas(), "threads": torch.get_num_threads(), "torch": torch.__version__}))


if __name__ == "__main__":
    main()
