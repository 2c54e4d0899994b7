"""model.summary() prints Keras 3's table, character for character: the expected texts below
are what Keras 3.15 printed for the same models (80 columns, not a terminal)."""
import pytest

from pynn import keras
from pynn.keras import layers

SEQUENTIAL = """\
Model: "sequential"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ dense (Dense)                   │ (None, 4)              │            12 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_1 (Dense)                 │ (None, 1)              │             5 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 17 (68.00 B)
 Trainable params: 17 (68.00 B)
 Non-trainable params: 0 (0.00 B)
"""

FUNCTIONAL = """\
Model: "two_heads"
┏━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┓
┃ Layer (type)        ┃ Output Shape      ┃    Param # ┃ Connected to      ┃
┡━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━┩
│ a (InputLayer)      │ (None, 3)         │          0 │ -                 │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ b (InputLayer)      │ (None, 2)         │          0 │ -                 │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ ha (Dense)          │ (None, 4)         │         16 │ a[0][0]           │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ hb (Dense)          │ (None, 4)         │         12 │ b[0][0]           │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ joined              │ (None, 8)         │          0 │ ha[0][0],         │
│ (Concatenate)       │                   │            │ hb[0][0]          │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ out1 (Dense)        │ (None, 1)         │          9 │ joined[0][0]      │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ out2 (Dense)        │ (None, 2)         │         18 │ joined[0][0]      │
└─────────────────────┴───────────────────┴────────────┴───────────────────┘
 Total params: 55 (220.00 B)
 Trainable params: 55 (220.00 B)
 Non-trainable params: 0 (0.00 B)
"""

UNBUILT = """\
Model: "lazy"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ d1 (Dense)                      │ ?                      │   0 (unbuilt) │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ d2 (Dense)                      │ ?                      │   0 (unbuilt) │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 0 (0.00 B)
 Trainable params: 0 (0.00 B)
 Non-trainable params: 0 (0.00 B)
"""

TRAINABLE = """\
Model: "lazy"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━┓
┃ Layer (type)                ┃ Output Shape          ┃    Param # ┃ Trai… ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━┩
│ d1 (Dense)                  │ (None, 3)             │         18 │   Y   │
├─────────────────────────────┼───────────────────────┼────────────┼───────┤
│ d2 (Dense)                  │ (None, 1)             │          4 │   Y   │
└─────────────────────────────┴───────────────────────┴────────────┴───────┘
 Total params: 22 (88.00 B)
 Trainable params: 22 (88.00 B)
 Non-trainable params: 0 (0.00 B)
"""

WRAPPED = """\
Model: "s"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ a_rather_long_layer_name_for_w… │ (None, 3)              │            15 │
│ (Dense)                         │                        │               │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ wide (Dense)                    │ (None, 2000)           │         8,000 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 8,015 (31.31 KB)
 Trainable params: 8,015 (31.31 KB)
 Non-trainable params: 0 (0.00 B)
"""


@pytest.fixture(autouse=True)
def eighty_columns(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")


def printed(model, capsys, **kwargs):
    model.summary(**kwargs)
    return capsys.readouterr().out


def xor_model():
    return keras.Sequential([keras.Input(shape=(2,)),
                             layers.Dense(4, activation="relu", name="dense"),
                             layers.Dense(1, activation="sigmoid", name="dense_1")],
                            name="sequential")


def test_a_sequential_model(capsys):
    assert printed(xor_model(), capsys) == SEQUENTIAL


def test_a_functional_model_with_branches_names_what_each_layer_is_connected_to(capsys):
    a, b = keras.Input(shape=(3,), name="a"), keras.Input(shape=(2,), name="b")
    joined = layers.concatenate([layers.Dense(4, name="ha")(a), layers.Dense(4, name="hb")(b)],
                                name="joined")
    model = keras.Model([a, b], [layers.Dense(1, name="out1")(joined),
                                 layers.Dense(2, activation="softmax", name="out2")(joined)],
                        name="two_heads")
    assert printed(model, capsys) == FUNCTIONAL


def test_an_unbuilt_model_then_built_with_the_trainable_column(capsys):
    model = keras.Sequential([layers.Dense(3, name="d1"), layers.Dense(1, name="d2")],
                             name="lazy")
    assert printed(model, capsys) == UNBUILT
    model.build((None, 5))
    assert printed(model, capsys, show_trainable=True) == TRAINABLE


def test_long_names_wrap_and_are_cut_as_rich_cuts_them(capsys):
    model = keras.Sequential([keras.Input((4,)),
                              layers.Dense(3, name="a_rather_long_layer_name_for_wrapping"),
                              layers.Dense(2000, name="wide")], name="s")
    assert printed(model, capsys) == WRAPPED


def test_print_fn_gets_the_whole_text_once(capsys):
    texts = []
    xor_model().summary(print_fn=texts.append)
    assert texts == [SEQUENTIAL] and capsys.readouterr().out == ""


def test_a_functional_chain_gets_three_columns_and_its_input_layer(capsys):
    inputs = keras.Input(shape=(3,), name="x")
    model = keras.Model(inputs, layers.Dense(2, name="top")(layers.Dense(5, name="h")(inputs)),
                        name="chain")
    text = printed(model, capsys)
    assert "Connected to" not in text
    assert [line.split()[1] for line in text.splitlines() if "(" in line and "│" in line] == \
        ["x", "h", "top"]
