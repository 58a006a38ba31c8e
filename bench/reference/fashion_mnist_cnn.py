#!/usr/bin/env python3
"""PyTorch reference for the SmallCnn of Pipelines.Torch's TorchImageClassifier on Fashion-MNIST.

The same network (3x3 conv without bias + batch norm + ReLU + 2x2 max pool per stage, flatten, dropout, hidden
linear layer of 4 x width, ReLU, dropout, linear classifier), the same per-channel standardization, Adam with the
learning rate given at batch 64 and scaled by sqrt(batch / 64), no augmentation, the full training set, evaluated on
the 10,000 test images. It cross-checks that our TorchSharp training reaches what PyTorch reaches with the same
recipe, and measures GPU throughput per batch size where a GPU is present. Not part of the product or its tests.

usage: python3 fashion_mnist_cnn.py DATA_DIR [--batch-sizes 32,128,512] [--epochs 5] [--device cuda] [--out FILE]
"""
import argparse, gzip, json, math, struct, time
import numpy as np
import torch
from torch import nn
import torch.nn.functional as F


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


class SmallCnn(nn.Module):
    def __init__(self, width=32, depth=2, dropout=0.25, classes=10, size=28):
        super().__init__()
        layers, channels = [], 1
        for s in range(depth):
            out = width << s
            layers += [nn.Conv2d(channels, out, 3, padding=1, bias=False), nn.BatchNorm2d(out, eps=1e-5), nn.ReLU(), nn.MaxPool2d(2)]
            channels, size = out, size // 2
        self.features = nn.Sequential(*layers)
        self.drop = nn.Dropout(dropout)
        self.hidden = nn.Linear(channels * size * size, 4 * width)
        self.classifier = nn.Linear(4 * width, classes)

    def forward(self, x):
        x = self.features(x).flatten(1)
        x = F.relu(self.hidden(self.drop(x)))
        return self.classifier(self.drop(x))


def accuracy(model, x, y, chunk=4096):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), chunk):
            correct += (model(x[i:i + chunk]).argmax(1) == y[i:i + chunk]).sum().item()
    return correct / len(x)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("data")
    p.add_argument("--batch-sizes", default="32,128,512")
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    p.add_argument("--out")
    a = p.parse_args()
    dev = torch.device(a.device)
    xtr = torch.tensor(read_idx(f"{a.data}/train-images-idx3-ubyte.gz"), dtype=torch.float32) / 255
    ytr = torch.tensor(read_idx(f"{a.data}/train-labels-idx1-ubyte.gz"), dtype=torch.long)
    xte = torch.tensor(read_idx(f"{a.data}/t10k-images-idx3-ubyte.gz"), dtype=torch.float32) / 255
    yte = torch.tensor(read_idx(f"{a.data}/t10k-labels-idx1-ubyte.gz"), dtype=torch.long)
    mean, std = xtr.mean().item(), xtr.std(unbiased=False).item()
    xtr = ((xtr - mean) / std).unsqueeze(1).to(dev)
    xte = ((xte - mean) / std).unsqueeze(1).to(dev)
    ytr, yte = ytr.to(dev), yte.to(dev)
    rows = []
    for batch in [int(b) for b in a.batch_sizes.split(",")]:
        torch.manual_seed(1)
        model = SmallCnn().to(dev)
        lr = a.lr * math.sqrt(batch / 64)
        opt = torch.optim.Adam(model.parameters(), lr=lr)
        epoch_rates = []
        start = time.perf_counter()
        for epoch in range(a.epochs):
            model.train()
            if dev.type == "cuda": torch.cuda.synchronize()
            t0 = time.perf_counter()
            order = torch.randperm(len(xtr), device=dev)
            xs, ys = xtr[order], ytr[order]
            for i in range(0, len(xs), batch):
                loss = F.cross_entropy(model(xs[i:i + batch]), ys[i:i + batch])
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
            if dev.type == "cuda": torch.cuda.synchronize()
            epoch_rates.append(len(xs) / (time.perf_counter() - t0))
        seconds = time.perf_counter() - start
        row = dict(batch=batch, lr=lr, epochs=a.epochs, seconds=round(seconds, 1),
                   samples_per_second=round(sorted(epoch_rates)[len(epoch_rates) // 2]),
                   train_accuracy=round(accuracy(model, xtr, ytr), 4), test_accuracy=round(accuracy(model, xte, yte), 4))
        print(json.dumps(row), flush=True)
        rows.append(row)
    info = dict(device=str(dev), gpu=torch.cuda.get_device_name(0) if dev.type == "cuda" else None, torch=torch.__version__, rows=rows)
    if a.out:
        with open(a.out, "w") as f:
            json.dump(info, f, indent=1)


if __name__ == "__main__":
    main()
