"""Checkpoints as scripts save them with torch.save: a dict of the epoch, the model's and the
optimizer's state_dicts and the last loss comes back from pynn.load as it was saved (tensors as
tensors, arrays as arrays, numbers, strings, None, tuples and int keys as they were), training
resumes from it exactly, and a damaged checkpoint is refused with a ValueError."""
import json
import math
from collections import OrderedDict

import numpy as np
import pytest

import pynn
from pynn import checkpoint, nn, optim


def _trained(steps, model=None, opt=None):
    pynn.manual_seed(0)
    model = model or nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
    opt = opt or optim.Adam(model.parameters(), lr=0.01)
    x, y = pynn.randn(16, 3), pynn.randn(16, 1)
    for _ in range(steps):
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
    return model, opt, loss


def test_a_training_checkpoint_round_trips(tmp_path):
    model, opt, loss = _trained(5)
    state = {"epoch": 5, "model_state_dict": model.state_dict(),
             "optimizer_state_dict": opt.state_dict(), "loss": loss.item(), "note": "best",
             "best": None, "shape": (3, 4), "history": [1.0, 0.5, float("inf")],
             "flag": True}
    pynn.save(state, tmp_path / "checkpoint.pth")
    back = pynn.load(tmp_path / "checkpoint.pth")
    assert back["epoch"] == 5 and isinstance(back["epoch"], int)
    assert back["loss"] == loss.item() and back["note"] == "best" and back["best"] is None
    assert back["shape"] == (3, 4) and back["history"] == [1.0, 0.5, math.inf]
    assert back["flag"] is True
    assert isinstance(back["model_state_dict"], OrderedDict)
    for name, value in model.state_dict().items():
        assert isinstance(back["model_state_dict"][name], pynn.Tensor)
        assert pynn.equal(back["model_state_dict"][name], value)
    saved_opt = back["optimizer_state_dict"]
    assert sorted(saved_opt["state"]) == [0, 1, 2, 3]
    assert saved_opt["param_groups"][0]["betas"] == (0.9, 0.999)


def test_training_resumes_from_a_checkpoint_exactly(tmp_path):
    model, opt, _ = _trained(3)
    pynn.save({"epoch": 3, "model": model.state_dict(), "optim": opt.state_dict()},
              tmp_path / "ckpt.pth")
    _, _, straight = _trained(3, model, opt)  # three more steps without stopping
    fresh = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
    fresh_opt = optim.Adam(fresh.parameters(), lr=0.5)
    loaded = pynn.load(tmp_path / "ckpt.pth")
    fresh.load_state_dict(loaded["model"])
    fresh_opt.load_state_dict(loaded["optim"])
    _, _, resumed = _trained(3, fresh, fresh_opt)
    assert resumed.item() == straight.item()
    assert fresh_opt.param_groups[0]["lr"] == 0.01


def test_a_plain_state_dict_file_is_as_before(tmp_path):
    sd = nn.Linear(2, 3).state_dict()
    pynn.save(sd, tmp_path / "sd.npz")
    with np.load(tmp_path / "sd.npz") as npz:
        assert sorted(npz.files) == ["bias", "weight"]
    assert checkpoint.is_flat_state_dict(sd) and not checkpoint.is_flat_state_dict({"e": 1})


def test_a_checkpoint_file_is_still_a_plain_npz_of_numbers(tmp_path):
    pynn.save({"epoch": 1, "w": pynn.ones(2), "a": np.arange(3)}, tmp_path / "c.pth")
    with np.load(tmp_path / "c.pth", allow_pickle=False) as npz:
        assert all(npz[name].dtype.kind in "biuf" for name in npz.files)
        skeleton = json.loads(npz[checkpoint.SKELETON].tobytes())
    assert skeleton["dict"][0] == ["epoch", {"v": 1}]
    back = pynn.load(tmp_path / "c.pth")
    assert isinstance(back["w"], pynn.Tensor) and isinstance(back["a"], np.ndarray)


@pytest.mark.parametrize("obj, match", [
    ({"optimizer": pynn.optim.SGD(nn.Linear(2, 1).parameters(), lr=0.1)},
     "save its state_dict"),
    ({"f": lambda x: x}, "is a function"),
    ({"w": np.array(["text"])}, "numbers only"),
    ({"nested": {2.5: 1}}, "must be str or int"),
    ({"nested": [{"x": {1, 2}}]}, r"state_dict\['nested'\]\[0\]\['x'\] is a set"),
])
def test_what_a_checkpoint_cannot_hold_is_refused_before_writing(tmp_path, obj, match):
    with pytest.raises(TypeError, match=match):
        pynn.save(obj, tmp_path / "c.pth")
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("skeleton", [
    b"not json", b"\xff\xfe", json.dumps({"dict": [["w", {"tensor": "elsewhere"}]]}).encode(),
    json.dumps({"dict": [["w", {"code": "print(1)"}]]}).encode(),
    json.dumps({"f": "1e5"}).encode(), json.dumps({"dict": [[1.5, {"v": 1}]]}).encode(),
    json.dumps({"list": [{"v": [1, 2]}]}).encode(), b"[" * 100_000 + b"]" * 100_000,
])
def test_a_damaged_checkpoint_is_a_value_error(tmp_path, skeleton):
    np.savez(tmp_path / "bad.npz", **{checkpoint.SKELETON: np.frombuffer(skeleton, np.uint8),
                                     "checkpoint/0": np.zeros(2)})
    with pytest.raises(ValueError, match="corrupt checkpoint"):
        pynn.load(tmp_path / "bad.npz")


def test_a_file_naming_classes_or_functions_imports_nothing_by_default(tmp_path):
    import pickle
    for node in ({"module": {"class": "os:system", "training": True, "entries": []}},
                 {"function": "os:system"}):
        path = tmp_path / "hostile.npz"
        text = json.dumps({"dict": [["x", node]]}).encode()
        np.savez(path, **{checkpoint.SKELETON: np.frombuffer(text, np.uint8)})
        with pytest.raises(pickle.UnpicklingError, match="weights_only"):
            pynn.load(path)
    with pytest.raises(ValueError, match="not an nn.Module"):
        text = json.dumps({"module": {"class": "os:system", "training": True,
                                      "entries": []}}).encode()
        np.savez(tmp_path / "m.npz", **{checkpoint.SKELETON: np.frombuffer(text, np.uint8)})
        pynn.load(tmp_path / "m.npz", weights_only=False)
