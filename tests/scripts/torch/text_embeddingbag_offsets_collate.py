# A bag-of-words sentiment toy in the style of PyTorch's text-classification tutorial: a
# vocabulary built from whitespace tokens, a collate_fn that concatenates the token ids and
# records each review's offset (cumsum), nn.EmbeddingBag averaging each bag, a linear head,
# SGD with gradient clipping and a StepLR; a second model pads the batch with pad_sequence and
# sums an EmbeddingBag over 2-D bags with padding_idx.
import random

import torch
from torch import nn
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import DataLoader

random.seed(3)
torch.manual_seed(3)

GOOD = "great fine lovely superb happy excellent wonderful nice".split()
BAD = "awful poor boring terrible sad dull bad horrible".split()
FILLER = "the a movie film plot was is it and this".split()


def review(label):
    words = random.choices(GOOD if label else BAD, k=random.randint(1, 3))
    words += random.choices(FILLER, k=random.randint(2, 6))
    random.shuffle(words)
    return " ".join(words)


train_iter = [(lab, review(lab)) for lab in (random.randint(0, 1) for _ in range(400))]
test_iter = [(lab, review(lab)) for lab in (random.randint(0, 1) for _ in range(100))]

vocab = {"<pad>": 0, "<unk>": 1}
for _, text in train_iter:
    for token in text.split():
        vocab.setdefault(token, len(vocab))


def text_pipeline(text):
    return [vocab.get(token, vocab["<unk>"]) for token in text.split()]


def collate_batch(batch):
    label_list, text_list, offsets = [], [], [0]
    for label, text in batch:
        label_list.append(label)
        processed = torch.tensor(text_pipeline(text), dtype=torch.int64)
        text_list.append(processed)
        offsets.append(processed.size(0))
    label_list = torch.tensor(label_list, dtype=torch.int64)
    offsets = torch.tensor(offsets[:-1]).cumsum(dim=0)
    return label_list, torch.cat(text_list), offsets


class TextClassificationModel(nn.Module):
    def __init__(self, vocab_size, embed_dim, num_class):
        super(TextClassificationModel, self).__init__()
        self.embedding = nn.EmbeddingBag(vocab_size, embed_dim, sparse=False)
        self.fc = nn.Linear(embed_dim, num_class)
        self.init_weights()

    def init_weights(self):
        initrange = 0.5
        self.embedding.weight.data.uniform_(-initrange, initrange)
        self.fc.weight.data.uniform_(-initrange, initrange)
        self.fc.bias.data.zero_()

    def forward(self, text, offsets):
        return self.fc(self.embedding(text, offsets))


model = TextClassificationModel(len(vocab), 16, 2)
print(model)
criterion = torch.nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=5.0)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 1.0, gamma=0.5)
train_dataloader = DataLoader(train_iter, batch_size=16, shuffle=True, collate_fn=collate_batch)
test_dataloader = DataLoader(test_iter, batch_size=16, shuffle=False, collate_fn=collate_batch)


def evaluate(dataloader):
    model.eval()
    total_acc, total_count = 0, 0
    with torch.no_grad():
        for label, text, offsets in dataloader:
            predicted_label = model(text, offsets)
            total_acc += (predicted_label.argmax(1) == label).sum().item()
            total_count += label.size(0)
    return total_acc / total_count


for epoch in range(1, 6):
    model.train()
    for idx, (label, text, offsets) in enumerate(train_dataloader):
        optimizer.zero_grad()
        predicted_label = model(text, offsets)
        loss = criterion(predicted_label, label)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 0.1)
        optimizer.step()
    scheduler.step()
    print(f"| end of epoch {epoch:3d} | valid accuracy {evaluate(test_dataloader):8.3f} "
          f"| lr {scheduler.get_last_lr()[0]:.4f}")

accuracy = evaluate(test_dataloader)
print(f"test accuracy {accuracy:8.3f}")
assert accuracy > 0.9, accuracy

label_names = {0: "negative", 1: "positive"}


def predict(text):
    with torch.no_grad():
        ids = torch.tensor(text_pipeline(text))
        return model(ids, torch.tensor([0])).argmax(1).item()


print(label_names[predict("what a wonderful lovely film")])
assert predict("what a wonderful lovely film") == 1
assert predict("a dull and boring plot") == 0


# The same task with padded 2-D bags: pad_sequence(batch_first=True) and a summing bag that
# skips the padding index.
def collate_padded(batch):
    labels = torch.tensor([label for label, _ in batch])
    texts = [torch.tensor(text_pipeline(text)) for _, text in batch]
    return labels, pad_sequence(texts, batch_first=True, padding_value=vocab["<pad>"])


class PaddedBagModel(nn.Module):
    def __init__(self, vocab_size, embed_dim):
        super().__init__()
        self.bag = nn.EmbeddingBag(vocab_size, embed_dim, mode="sum",
                                   padding_idx=vocab["<pad>"])
        self.out = nn.Linear(embed_dim, 2)

    def forward(self, padded):
        return self.out(self.bag(padded))


padded_model = PaddedBagModel(len(vocab), 8)
opt = torch.optim.Adam(padded_model.parameters(), lr=0.05)
for epoch in range(10):
    for labels, padded in DataLoader(train_iter, batch_size=32, shuffle=True,
                                     collate_fn=collate_padded):
        opt.zero_grad()
        nn.functional.cross_entropy(padded_model(padded), labels).backward()
        opt.step()
labels, padded = collate_padded(test_iter)
with torch.no_grad():
    padded_accuracy = (padded_model(padded).argmax(dim=1) == labels).float().mean().item()
print(f"padded-bag accuracy {padded_accuracy:.3f}")
assert padded_accuracy > 0.9, padded_accuracy
