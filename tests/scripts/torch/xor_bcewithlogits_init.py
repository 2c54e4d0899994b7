# XOR with logits and nn.BCEWithLogitsLoss, weights initialised with nn.init, Adam.
import torch
import torch.nn as nn

torch.manual_seed(0)

X = torch.tensor([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=torch.float32)
y = torch.tensor([[0], [1], [1], [0]], dtype=torch.float32)


class XORModel(nn.Module):
    def __init__(self, hidden=16):
        super().__init__()
        self.layer_1 = nn.Linear(2, hidden)
        self.layer_2 = nn.Linear(hidden, 1)
        nn.init.xavier_uniform_(self.layer_1.weight)
        nn.init.zeros_(self.layer_1.bias)
        nn.init.xavier_uniform_(self.layer_2.weight)
        nn.init.zeros_(self.layer_2.bias)

    def forward(self, x):
        return self.layer_2(torch.relu(self.layer_1(x)))


model = XORModel()
loss_fn = nn.BCEWithLogitsLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.02)

epochs = 1000
for epoch in range(epochs):
    model.train()
    logits = model(X)
    loss = loss_fn(logits, y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if epoch % 100 == 0:
        preds = torch.round(torch.sigmoid(logits))
        acc = (preds == y).float().mean().item() * 100
        print(f"Epoch: {epoch} | Loss: {loss:.5f} | Acc: {acc:.1f}%")

model.eval()
with torch.inference_mode():
    probs = torch.sigmoid(model(X))
    preds = torch.round(probs)

print(probs)
print(preds.squeeze().tolist())
assert preds.squeeze().tolist() == [0.0, 1.0, 1.0, 0.0]
assert loss.item() < 0.05
