"""Writes gru_pytorch.json: torch.nn.GRU in float64 on values given by formulas, for GRUTest.

Run from this directory with the Debian interpreter that has torch:
    /usr/bin/python3 gru_pytorch.py > gru_pytorch.json
GRUTest builds the same network and inputs from the same formulas.
"""
import json
import math

import torch

torch.set_default_dtype(torch.float64)
T, N, IN, H, L = 5, 2, 3, 4, 2


def filled(shape, f):
    t = torch.empty(shape)
    flat = t.view(-1)
    for i in range(flat.numel()):
        flat[i] = f(i)
    return t


gru = torch.nn.GRU(IN, H, num_layers=L, bias=True)
with torch.no_grad():
    for k, (name, p) in enumerate(gru.named_parameters()):
        p.copy_(filled(p.shape, lambda i, k=k: 0.5 * math.sin(0.7 * i + 1.3 * k + 0.1)))
x = filled((T, N, IN), lambda i: math.cos(0.3 * i)).requires_grad_()
h0 = filled((L, N, H), lambda i: 0.2 * math.sin(0.5 * i + 0.2)).requires_grad_()
out, hn = gru(x, h0)
u = filled(out.shape, lambda i: math.sin(0.11 * i + 0.3))
v = filled(hn.shape, lambda i: math.cos(0.17 * i))
((out * u).sum() + (hn * v).sum()).backward()
result = {
    "torch": torch.__version__,
    "output": out.detach().view(-1).tolist(),
    "hN": hn.detach().view(-1).tolist(),
    "grad_x": x.grad.view(-1).tolist(),
    "grad_h0": h0.grad.view(-1).tolist(),
}
for name, p in gru.named_parameters():
    result["grad_" + name] = p.grad.view(-1).tolist()
print(json.dumps(result, indent=1))
