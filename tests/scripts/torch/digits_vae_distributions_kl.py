# A small variational autoencoder on scikit-learn's 8x8 digits, written with torch.distributions:
# the encoder gives the mean and log-variance of a diagonal Normal (an Independent over the
# latent dims), a reparameterised rsample feeds the decoder, the loss is the Bernoulli negative
# log-likelihood of the pixels plus kl_divergence to the standard Normal prior; the model must
# reconstruct better than the mean image and its KL must stay finite and positive.
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.distributions import Independent, Normal, kl_divergence
from sklearn.datasets import load_digits

torch.manual_seed(0)
X = torch.tensor(load_digits().data / 16.0, dtype=torch.float32)
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(X), batch_size=64,
                                     shuffle=True)


class VAE(nn.Module):
    def __init__(self, latent=4):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(64, 64), nn.ReLU())
        self.mu = nn.Linear(64, latent)
        self.log_var = nn.Linear(64, latent)
        self.decoder = nn.Sequential(nn.Linear(latent, 64), nn.ReLU(), nn.Linear(64, 64))

    def forward(self, x):
        h = self.encoder(x)
        posterior = Independent(Normal(self.mu(h), torch.exp(0.5 * self.log_var(h))), 1)
        z = posterior.rsample()
        return self.decoder(z), posterior


model = VAE()
optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
prior = Independent(Normal(torch.zeros(4), torch.ones(4)), 1)

for epoch in range(25):
    total = 0.0
    for (batch,) in loader:
        logits, posterior = model(batch)
        reconstruction = F.binary_cross_entropy_with_logits(logits, batch, reduction="none")
        kl = kl_divergence(posterior, prior)
        loss = (reconstruction.sum(1) + kl).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * len(batch)
    if epoch % 5 == 0:
        print(f"epoch {epoch}: loss per image {total / len(X):.2f}")

model.eval()
with torch.no_grad():
    h = model.encoder(X)
    recon = torch.sigmoid(model.decoder(model.mu(h)))
    error = F.mse_loss(recon, X).item()
    baseline = F.mse_loss(X.mean(0).expand_as(X), X).item()
    kl = kl_divergence(Independent(Normal(model.mu(h), torch.exp(0.5 * model.log_var(h))), 1),
                       prior).mean().item()
print(f"reconstruction MSE {error:.4f} vs the mean image's {baseline:.4f}, KL {kl:.2f}")
assert error < 0.6 * baseline, (error, baseline)
assert 0.5 < kl < 50 and np.isfinite(kl)
