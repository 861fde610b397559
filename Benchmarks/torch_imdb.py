"""PyTorch side of Benchmarks/train-speed.sh: the same model, optimizer (RMSprop as Keras defines it:
rho 0.9, epsilon 1e-7), loss, batch size and validation as the Keras and modelc runs; prints
`epoch <n> <seconds> <val_accuracy>` per epoch (seconds include validation).
Usage: python torch_imdb.py VARIANT ARRAYS_DIR EPOCHS"""
import os
import sys
import time

import numpy as np
import torch
from torch import nn

variant, arrays, epochs = sys.argv[1], sys.argv[2], int(sys.argv[3])
torch.set_num_threads(2)
torch.manual_seed(0)
load = lambda name: np.load(os.path.join(arrays, name))
x_train = torch.from_numpy(load("x_train.npy").astype(np.int64))
y_train = torch.from_numpy(load("y_train.npy").astype(np.float32)).unsqueeze(1)
x_val = torch.from_numpy(load("x_validation.npy").astype(np.int64))
y_val = torch.from_numpy(load("y_validation.npy").astype(np.float32)).unsqueeze(1)


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(500, 16)
        if variant == "lstm":
            self.rnn, width = nn.LSTM(16, 8, batch_first=True), 8
        elif variant == "gru":
            self.rnn, width = nn.GRU(16, 8, batch_first=True), 8
        elif variant == "stacked":
            self.rnn, width = nn.LSTM(16, 8, num_layers=2, batch_first=True), 8
        else:
            self.rnn, width = nn.LSTM(16, 16, batch_first=True, bidirectional=True), 32
        self.dense = nn.Linear(width, 1)

    def forward(self, x):
        out, _ = self.rnn(self.embedding(x))
        if variant == "bilstm":
            half = out.shape[2] // 2
            last = torch.cat([out[:, -1, :half], out[:, 0, half:]], dim=1)
        else:
            last = out[:, -1, :]
        return torch.sigmoid(self.dense(last))


model = Model()
optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-4, alpha=0.9, eps=1e-7)
loss_fn = nn.BCELoss()
for epoch in range(epochs):
    start = time.perf_counter()
    model.train()
    order = torch.randperm(len(x_train))
    for first in range(0, len(x_train), 64):
        batch = order[first:first + 64]
        optimizer.zero_grad()
        loss = loss_fn(model(x_train[batch]), y_train[batch])
        loss.backward()
        optimizer.step()
    model.eval()
    correct = 0
    with torch.no_grad():
        for first in range(0, len(x_val), 64):
            out = model(x_val[first:first + 64])
            correct += ((out > 0.5).float() == y_val[first:first + 64]).sum().item()
    print(f"epoch {epoch + 1} {time.perf_counter() - start:.4f} {correct / len(x_val):.4f}", flush=True)
