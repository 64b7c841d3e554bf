#!/usr/bin/env python3
"""PyTorch reference of `edgedigits bench --train`: the same network, data and recipe.

Network c16,p,c32,p,c64,p,c128,gap,fc: 3x3 conv (pad 1, no bias) + BatchNorm + ReLU per cN,
2x2 max pool per p, global average pool, dropout 0.1, linear to 10 classes. MNIST training
images scaled to [0,1], reshuffled every epoch, no augmentation. AdamW (lr 3e-3, weight decay
5e-4 on conv/linear weights only), one-cycle schedule (30% linear warm-up from lr/25, cosine to
lr/1e4, no momentum cycling), cross-entropy with label smoothing 0.05, batch 128.

    python3 tools/scripts/bench-train-pytorch.py --data data/mnist --threads 2 --epochs 1 [--json]

Only for measuring (Debian's python3-torch, OpenBLAS); not part of CI.
"""
import argparse
import json
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn


def read_idx(path):
    if not os.path.exists(path) and os.path.exists(path + ".gz"):
        import gzip
        opener = lambda: gzip.open(path + ".gz", "rb")
    else:
        opener = lambda: open(path, "rb")
    with opener() as f:
        data = f.read()
    _, _, dtype, rank = struct.unpack(">BBBB", data[:4])
    if dtype != 0x08:
        sys.exit(f"{path}: not an unsigned-byte IDX file")
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def build(arch, classes, dropout):
    layers, channels = [], 1
    for token in arch.split(","):
        token = token.strip()
        if token == "p":
            layers.append(nn.MaxPool2d(2))
        elif token == "a":
            layers.append(nn.AvgPool2d(2))
        elif token == "gap":
            layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten()]
        elif token == "fc":
            if dropout > 0:
                layers.append(nn.Dropout(dropout))
            layers.append(nn.Linear(channels, classes))
        elif token.startswith("c") and token[1:].isdigit():
            out = int(token[1:])
            layers += [nn.Conv2d(channels, out, 3, padding=1, bias=False), nn.BatchNorm2d(out), nn.ReLU(inplace=True)]
            channels = out
        else:
            sys.exit(f"architecture '{arch}': unknown token '{token}'")
    return nn.Sequential(*layers)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="data/mnist")
    ap.add_argument("--arch", default="c16,p,c32,p,c64,p,c128,gap,fc")
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    images = read_idx(os.path.join(a.data, "train-images-idx3-ubyte"))
    labels = read_idx(os.path.join(a.data, "train-labels-idx1-ubyte"))
    if a.limit:
        images, labels = images[:a.limit], labels[:a.limit]
    x = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)
    y = torch.from_numpy(labels.astype(np.int64))
    n = x.shape[0]

    model = build(a.arch, 10, 0.1)
    decay = [p for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear)) for name, p in m.named_parameters() if name == "weight"]
    others = [p for p in model.parameters() if all(p is not q for q in decay)]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 5e-4}, {"params": others, "weight_decay": 0.0}], lr=3e-3)
    batches = (n + a.batch - 1) // a.batch
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=batches * a.epochs, pct_start=0.3,
                                                div_factor=25.0, final_div_factor=400.0, cycle_momentum=False)
    loss_fn = nn.CrossEntropyLoss(label_smoothing=0.05)

    epoch_seconds, loss_sum, correct = [], 0.0, 0
    for epoch in range(a.epochs):
        model.train()
        start = time.perf_counter()
        order = torch.randperm(n)
        loss_sum, correct = 0.0, 0
        for b in range(batches):
            idx = order[b * a.batch:(b + 1) * a.batch]
            xb, yb = x[idx], y[idx]
            opt.zero_grad(set_to_none=True)
            out = model(xb)
            loss = loss_fn(out, yb)
            loss.backward()
            opt.step()
            sched.step()
            loss_sum += loss.item() * len(idx)
            correct += (out.argmax(1) == yb).sum().item()
        epoch_seconds.append(time.perf_counter() - start)

    test_acc = None
    test_path = os.path.join(a.data, "t10k-images-idx3-ubyte")
    if os.path.exists(test_path) or os.path.exists(test_path + ".gz"):
        tx = torch.from_numpy(read_idx(test_path).astype(np.float32) / 255.0).unsqueeze(1)
        ty = torch.from_numpy(read_idx(os.path.join(a.data, "t10k-labels-idx1-ubyte")).astype(np.int64))
        model.eval()
        with torch.no_grad():
            test_acc = sum((model(tx[i:i + 256]).argmax(1) == ty[i:i + 256]).sum().item() for i in range(0, len(ty), 256)) / len(ty)

    per_epoch = sum(epoch_seconds) / len(epoch_seconds)
    report = {
        "benchmark": "train-pytorch", "torch": torch.__version__, "architecture": a.arch, "images": n,
        "epochs": a.epochs, "batch": a.batch, "threads": a.threads,
        "epochSeconds": [round(s, 2) for s in epoch_seconds], "imagesPerSecond": round(n / per_epoch, 1),
        "loss": round(loss_sum / n, 5), "trainAccuracy": round(correct / n, 5),
        "testAccuracy": None if test_acc is None else round(test_acc, 5),
        "cpuSeconds": round(time.process_time(), 2), "loadAverage": " ".join(open("/proc/loadavg").read().split()[:3]),
    }
    if a.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"pytorch {torch.__version__}: {a.arch}, {n} images, batch {a.batch}, {a.threads} threads: "
              f"epoch seconds {' '.join(f'{s:.2f}' for s in epoch_seconds)}; {report['imagesPerSecond']} images/s; "
              f"loss {report['loss']}, train accuracy {report['trainAccuracy']}, test accuracy {report['testAccuracy']}")


if __name__ == "__main__":
    main()
