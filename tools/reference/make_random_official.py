"""Writes a random TokenFormer state dict in the official GPT-NeoX layout at a released size, with
its GPT-NeoX config, to measure import speed and memory (nothing here is committed):

  /usr/bin/python3 tools/reference/make_random_official.py 150M OUT_DIR [--shared]

OUT_DIR/pytorch_model.bin is a torch.save zip (float32; --shared: every tensor a view of one flat
storage, as DeepSpeed's zero_to_fp32 writes) and OUT_DIR/config.yml the matching arguments.
"""
import json
import os
import sys

import torch

SIZES = {  # reference/tokenformer.md §3.1
    "150M": (12, 768, 12), "450M": (24, 1024, 16), "900M": (32, 1280, 16), "1-5B": (40, 1536, 16),
}


def main():
    size, out = sys.argv[1], sys.argv[2]
    layers, d, heads = SIZES[size]
    gen = torch.Generator().manual_seed(0)
    sd = torch.nn.Module().state_dict()
    sd["sequential.0.word_embeddings.weight"] = torch.randn(50304, d, generator=gen) * 0.02
    for i in range(layers):
        for name, n in (("attention.query", d), ("attention.key", d), ("attention.value", d), ("attention.proj", d), ("mlp", 4 * d)):
            sd[f"sequential.{i + 2}.{name}.key_param_tokens"] = torch.randn(n, d, generator=gen) * 0.02
            sd[f"sequential.{i + 2}.{name}.value_param_tokens"] = torch.randn(n, d, generator=gen) * (2 / (layers * d ** 0.5))
    sd[f"sequential.{layers + 3}.norm.weight"] = torch.ones(d)
    sd[f"sequential.{layers + 3}.norm.bias"] = torch.zeros(d)
    if "--shared" in sys.argv:
        flat = torch.cat([t.reshape(-1) for t in sd.values()])
        offset = 0
        for k, t in list(sd.items()):
            sd[k] = flat[offset:offset + t.numel()].view(t.shape)
            offset += t.numel()
    os.makedirs(out, exist_ok=True)
    torch.save(sd, os.path.join(out, "pytorch_model.bin"))
    config = {"num_layers": layers, "hidden_size": d, "num_attention_heads": heads, "qkv_slot_num": d,
              "proj_slot_num": d, "ffn_slot_num": 4 * d, "seq_length": 2048, "rotary_pct": 0.25}
    with open(os.path.join(out, "config.yml"), "w") as f:
        json.dump(config, f, indent=1)
    print(f"{size}: {sum(t.numel() for t in sd.values()):,} parameters -> {out}")


if __name__ == "__main__":
    main()
