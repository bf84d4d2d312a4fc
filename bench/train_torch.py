#!/usr/bin/env python3
"""PyTorch reference run for bench/train: the same net, data, order and settings as
convnet-bench, in one process per (net, threads), printing one JSON line.

Reads the Fashion-MNIST IDX .gz files and the shuffled order that convnet-bench wrote
(little-endian int32), converts pixels to x/255 - 0.5, trains one epoch with softmax
cross-entropy and SGD momentum 0.9 (lr 0.01 at batch 32, 0.001 at batch 1 on a prefix
of the order), then measures inference on the 10,000 test images.
"""
import argparse
import gzip
import json
import resource
import sys
import time

parser = argparse.ArgumentParser()
parser.add_argument("--net", default="B")
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
parser.add_argument("--order", required=True)
parser.add_argument("--init", help="initial weights written by convnet-bench --write-init (else PyTorch's own init)")
parser.add_argument("--batch1-images", type=int, default=5000)
parser.add_argument("--train-images", type=int, default=0, help="train on only this prefix of the order (0: all)")
parser.add_argument("--inference-batch", type=int, default=250)
parser.add_argument("--launched-at-ns", type=int, default=None)
args = parser.parse_args()
launched = args.launched_at_ns or time.time_ns()

import numpy as np  # noqa: E402  (imports are part of the start-up time measured)
import torch  # noqa: E402
from torch import nn  # noqa: E402

torch.set_num_threads(args.threads)
torch.manual_seed(1)


def read_idx(path, header):
    with gzip.open(path, "rb") as f:
        data = f.read()
    return np.frombuffer(data, dtype=np.uint8, offset=header)


def load(kind, crop):
    images = read_idx(f"{args.data}/{kind}-images-idx3-ubyte.gz", 16).reshape(-1, 1, 28, 28)
    labels = read_idx(f"{args.data}/{kind}-labels-idx1-ubyte.gz", 8).astype(np.int64)
    if crop:
        images = images[:, :, 2:26, 2:26]
    x = torch.from_numpy(images.astype(np.float32) / 255.0 - 0.5)
    return x.contiguous(), torch.from_numpy(labels)


def make_net(name):
    if name == "A":
        return nn.Sequential(nn.Conv2d(1, 8, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(12 * 12 * 8, 10))
    if name == "B":
        return nn.Sequential(
            nn.Conv2d(1, 8, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(3 * 3 * 32, 64), nn.ReLU(), nn.Linear(64, 10))
    if name == "C":
        return nn.Sequential(
            nn.Conv2d(1, 8, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 5, padding=2), nn.ReLU(), nn.MaxPool2d(3),
            nn.Flatten(), nn.Linear(4 * 4 * 16, 10))
    raise SystemExit(f"no net {name}")


def initialised(net):
    """Loads the engine's initial weights, so both runs start from the same point."""
    if args.init:
        values = torch.from_numpy(np.fromfile(args.init, dtype="<f4"))
        offset = 0
        with torch.no_grad():
            for p in net.parameters():
                p.copy_(values[offset:offset + p.numel()].view_as(p))
                offset += p.numel()
        assert offset == len(values), f"{args.init} holds {len(values)} values, the net {offset}"
    return net


def train(net, x, y, order, batch, lr, on_first_step=None):
    optimizer = torch.optim.SGD(net.parameters(), lr=lr, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    net.train()
    start = time.perf_counter()
    for b in range(0, len(order), batch):
        if on_first_step is not None and b == 0:
            on_first_step()
        idx = order[b:b + batch]
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(net(x[idx]), y[idx])
        loss.backward()
        optimizer.step()
    return len(order) / (time.perf_counter() - start)


crop = args.net == "C"
x_train, y_train = load("train", crop)
order = torch.from_numpy(np.fromfile(args.order, dtype="<i4").astype(np.int64))
full_order = order
if args.train_images > 0:
    order = order[:args.train_images]
first_step = []
net = initialised(make_net(args.net))
cpu_before = time.process_time()
train32 = train(net, x_train, y_train, order, 32, 0.01, lambda: first_step.append(time.time_ns()))

train32_cpu = time.process_time() - cpu_before
x_test, y_test = load("t10k", crop)
net.eval()
correct = 0
loss_sum = 0.0
start = time.perf_counter()
inference_cpu_before = time.process_time()
with torch.no_grad():
    for b in range(0, len(x_test), args.inference_batch):
        out = net(x_test[b:b + args.inference_batch])
        loss_sum += nn.functional.cross_entropy(out, y_test[b:b + args.inference_batch], reduction="sum").item()
        correct += (out.argmax(1) == y_test[b:b + args.inference_batch]).sum().item()
inference = len(x_test) / (time.perf_counter() - start)
inference_cpu = time.process_time() - inference_cpu_before

train1 = 0.0
if args.batch1_images > 0:
    torch.manual_seed(1)
    train1 = train(initialised(make_net(args.net)), x_train, y_train, full_order[:args.batch1_images], 1, 0.001)

print(json.dumps({
    "engine": "pytorch", "torch": torch.__version__, "net": args.net, "threads": args.threads,
    "train32_images_per_s": train32, "train32_cpu_seconds": train32_cpu,
    "train32_images_per_cpu_s": len(order) / train32_cpu, "train1_images_per_s": train1,
    "train1_images": min(args.batch1_images, len(order)),
    "inference_images_per_s": inference, "inference_cpu_seconds": inference_cpu,
    "test_accuracy": correct / len(x_test), "test_loss": loss_sum / len(x_test),
    "start_to_first_step_s": (first_step[0] - launched) / 1e9,
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}, sort_keys=True))
