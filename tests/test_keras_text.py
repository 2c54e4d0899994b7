"""tf.keras.preprocessing.text as TensorFlow's Keras still ships it: Tokenizer's vocabulary,
sequences, texts and matrices, one_hot, hashing_trick, text_to_word_sequence and the JSON
round trip, against the values tf.keras gives."""
import json

import numpy as np
import pytest

from pynn.keras.preprocessing.text import (Tokenizer, hashing_trick, one_hot,
                                           text_to_word_sequence, tokenizer_from_json)

SENTENCES = ["I love my dog", "I love my cat", "You love my dog!",
             "Do you think my dog is amazing?", "Well done, dog. Well done!"]


def fitted(**kwargs):
    tokenizer = Tokenizer(**kwargs)
    tokenizer.fit_on_texts(SENTENCES)
    return tokenizer


def test_the_vocabulary_is_numbered_by_falling_count_after_the_oov_token():
    tok = fitted(num_words=8, oov_token="<OOV>")
    assert tok.word_index == {"<OOV>": 1, "my": 2, "dog": 3, "love": 4, "i": 5, "you": 6,
                              "well": 7, "done": 8, "cat": 9, "do": 10, "think": 11, "is": 12,
                              "amazing": 13}
    assert tok.index_word[3] == "dog" and tok.document_count == 5
    assert tok.word_counts["dog"] == 4 and tok.word_docs["well"] == 1
    assert tok.index_docs[tok.word_index["dog"]] == 4


def test_texts_to_sequences_and_back_keep_words_below_num_words():
    tok = fitted(num_words=8, oov_token="<OOV>")
    seqs = tok.texts_to_sequences(SENTENCES + ["my manatee loves my dog"])
    assert seqs == [[5, 4, 2, 3], [5, 4, 2, 1], [6, 4, 2, 3], [1, 6, 1, 2, 3, 1, 1],
                    [7, 1, 3, 7, 1], [2, 1, 1, 2, 3]]
    assert tok.sequences_to_texts(seqs[:2]) == ["i love my dog", "i love my <OOV>"]
    plain = fitted()
    assert plain.texts_to_sequences(["dog zebra cat"]) == [[2, 8]]  # unknown words dropped


def test_matrices_in_each_mode():
    tok = fitted(num_words=8, oov_token="<OOV>")
    np.testing.assert_array_equal(tok.texts_to_matrix(SENTENCES[:1]),
                                  [[0, 0, 1, 1, 1, 1, 0, 0]])
    np.testing.assert_array_equal(tok.texts_to_matrix(SENTENCES[1:2], mode="count"),
                                  [[0, 1, 1, 0, 1, 1, 0, 0]])
    np.testing.assert_allclose(tok.texts_to_matrix(SENTENCES[1:2], mode="freq"),
                               [[0, 0.25, 0.25, 0, 0.25, 0.25, 0, 0]])
    np.testing.assert_allclose(tok.texts_to_matrix(SENTENCES[:1], mode="tfidf"),
                               [[0, 0, 0.6931, 0.6931, 0.8109, 0.9808, 0, 0]], atol=1e-4)
    assert fitted().texts_to_matrix(["dog cat"]).shape == (1, 13)
    with pytest.raises(ValueError, match="Unknown vectorization mode"):
        tok.texts_to_matrix(SENTENCES, mode="tf")
    with pytest.raises(ValueError, match="fit on some text data first"):
        Tokenizer().texts_to_matrix(["a"])


def test_char_level_and_word_helpers():
    chars = Tokenizer(char_level=True)
    chars.fit_on_texts(["abca", "bb"])
    assert chars.word_index == {"b": 1, "a": 2, "c": 3}
    assert text_to_word_sequence("Hello, World! It's a-test") == ["hello", "world", "it's",
                                                                   "a", "test"]
    assert hashing_trick("a b c", 100, hash_function="md5") == [92, 95, 26]
    numbers = one_hot("hello world hello", 50)
    assert len(numbers) == 3 and numbers[0] == numbers[2] and all(1 <= n < 50 for n in numbers)
    with pytest.raises(TypeError, match="Unrecognized keyword arguments"):
        Tokenizer(num_word=10)


def test_json_round_trip():
    tok = fitted(num_words=8, oov_token="<OOV>")
    text = tok.to_json()
    assert json.loads(text)["class_name"] == "Tokenizer"
    again = tokenizer_from_json(text)
    assert again.word_index == tok.word_index and again.index_word == tok.index_word
    assert again.texts_to_sequences(["I love my manatee"]) == [[5, 4, 2, 1]]
    np.testing.assert_array_equal(again.texts_to_matrix(SENTENCES, mode="tfidf"),
                                  tok.texts_to_matrix(SENTENCES, mode="tfidf"))
