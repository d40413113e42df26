"""Writes the parity fixtures under tools/fixtures/parity/ from the PyTorch reference.

Run with Debian's PyTorch (apt-get install -y python3-torch):  /usr/bin/python3 tools/reference/make_fixtures.py
Each fixture directory holds config.json + model.safetensors (a checkpoint in our format),
expected.safetensors (logits, per-token losses, gradients) and meta.json (ids, targets, loss,
gradient norms, greedy tokens). The reference computes in float64 from the float32 weights.
"""
import json
import math
import os
import struct

import torch
import torch.nn.functional as F

from tokenformer_reference import SLOTS, Reference, pattention

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures")


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        t = tensors[name].detach().to(torch.float32).contiguous()
        data = t.numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * ((8 - len(raw) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)


def make_config(vocab, d, layers, heads, slots_per_layer, rotary_pct, norm, max_seq_len=64, taus=None):
    cfg_layers = []
    for i in range(layers):
        q, p, f = slots_per_layer[i]
        layer = {s: {"paramTokenNum": n, "tau": None} for s, n in zip(SLOTS, (q, q, q, p, f))}
        for (li, slot), tau in (taus or {}).items():
            if li == i:
                layer[slot]["tau"] = tau
        cfg_layers.append(layer)
    return {
        "format": "tokenformer-ts/1", "vocabSize": vocab, "hiddenSize": d, "numLayers": layers,
        "numAttentionHeads": heads, "layers": cfg_layers, "rotaryPct": rotary_pct, "rotaryEmbBase": 10000,
        "maxSeqLen": max_seq_len, "normActivationType": norm, "layerNormEps": 1e-5, "initMethodStd": 0.02,
    }


def random_weights(config, gen):
    d = config["hiddenSize"]
    w = {"wordEmbeddings": torch.randn(config["vocabSize"], d, generator=gen) * 0.2}
    for i, layer in enumerate(config["layers"]):
        for slot in SLOTS:
            prefix = f"layers.{i}.mlp" if slot == "ffn" else f"layers.{i}.attention.{slot}"
            n = layer[slot]["paramTokenNum"]
            w[prefix + ".keyParamTokens"] = torch.randn(n, d, generator=gen) * 0.3
            w[prefix + ".valueParamTokens"] = torch.randn(n, d, generator=gen) * 0.2
    w["finalNorm.weight"] = 1 + 0.1 * torch.randn(d, generator=gen)
    w["finalNorm.bias"] = 0.1 * torch.randn(d, generator=gen)
    return w


def model_fixture(name, config, seed, batch, seq):
    gen = torch.Generator().manual_seed(seed)
    w32 = random_weights(config, gen)
    w64 = {k: v.double().requires_grad_(True) for k, v in w32.items()}
    ref = Reference(config, w64)
    ids = torch.randint(0, config["vocabSize"], (batch, seq), generator=gen)
    targets = torch.randint(0, config["vocabSize"], (batch, seq), generator=gen)
    targets[0, 1] = -100
    targets[-1, -1] = -100
    logits, _ = ref.forward(ids)
    losses = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=-100,
                             reduction="none").reshape(batch, seq)
    loss = losses.sum() / (targets != -100).sum()
    loss.backward()
    grads = {f"grad.{k}": v.grad for k, v in w64.items()}

    # KV-cache consistency of the reference itself: prefill then one token at a time.
    with torch.no_grad():
        _, cache = ref.forward(ids[:, : seq - 3])
        for t in range(seq - 3, seq):
            step_logits, cache = ref.forward(ids[:, t : t + 1], cache)
            assert torch.allclose(step_logits[:, 0], logits[:, t], atol=1e-9), "reference cache mismatch"
        prompt = ids[0, :5].tolist()
        greedy, margins = ref.greedy(prompt, 10)

    out = os.path.join(ROOT, "parity", name)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    write_safetensors(os.path.join(out, "model.safetensors"), w32)
    write_safetensors(os.path.join(out, "expected.safetensors"),
                      {"logits": logits, "tokenLosses": losses, **grads})
    meta = {
        "ids": ids.tolist(), "targets": targets.tolist(), "ignoreIndex": -100, "loss": loss.item(),
        "gradNorms": {k[5:]: v.norm().item() for k, v in grads.items()},
        "greedy": {"prompt": prompt, "tokens": greedy, "minMargin": min(margins)},
        "torch": torch.__version__,
    }
    with open(os.path.join(out, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1)
        f.write("\n")
    print(f"{name}: loss {loss.item():.6f}, greedy {greedy}, min top-2 margin {min(margins):.4f}")


def pattention_fixture(seed):
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(6, 12, generator=gen)
    k = torch.randn(7, 12, generator=gen) * 0.5
    v = torch.randn(7, 9, generator=gen) * 0.5
    r = torch.randn(6, 9, generator=gen)
    tensors = {"x": x, "keyParamTokens": k, "valueParamTokens": v, "upstream": r}
    for kind in ("l2_norm_gelu", "gelu_l2_norm", "softmax"):
        for tau_name, tau in (("default", None), ("pinned", 1.7)):
            xs, ks, vs = (t.double().requires_grad_(True) for t in (x, k, v))
            out = pattention(xs, ks, vs, kind, tau)
            (out * r.double()).sum().backward()
            tag = f"{kind}.{tau_name}"
            tensors[f"{tag}.out"] = out
            tensors[f"{tag}.dx"] = xs.grad
            tensors[f"{tag}.dKey"] = ks.grad
            tensors[f"{tag}.dValue"] = vs.grad
    os.makedirs(ROOT, exist_ok=True)
    write_safetensors(os.path.join(ROOT, "pattention.safetensors"), tensors)
    print("pattention: 3 norms x 2 tau settings")


if __name__ == "__main__":
    torch.set_num_threads(1)
    pattention_fixture(1)
    model_fixture("l2-norm-gelu", make_config(128, 32, 2, 4, [(24, 20, 64), (16, 28, 48)], 0.25, "l2_norm_gelu",
                                              taus={(1, "ffn"): 5.0}), seed=2, batch=2, seq=16)
    model_fixture("gelu-l2-norm", make_config(128, 48, 1, 3, [(20, 20, 40)], 0.5, "gelu_l2_norm"), seed=3,
                  batch=2, seq=12)
    model_fixture("softmax-full-rotary", make_config(256, 32, 2, 2, [(16, 16, 32), (16, 16, 32)], 1.0, "softmax"),
                  seed=4, batch=1, seq=20)
