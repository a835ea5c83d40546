"""The static encoder's faster segmentation (issue 13, the cost of the cross-checks): trying a longer word only while
the syllables read so far begin a vocabulary entry gives the very words, and so the very vectors, of trying every
length at every syllable."""

from __future__ import annotations

import random

import numpy as np

from nlp.cross.static_encoder import MAX_WORD, default_encoder, segment, syllables, word_starts
from nlp.normalize import fold

TEXTS = [
    "Việc thu quỹ quốc phòng an ninh năm 2025 mới đạt 78% kế hoạch, chậm so với chỉ tiêu được giao.",
    "Bản thân chưa kịp thời khắc phục hạn chế, khuyết điểm đã được chỉ ra ở kỳ kiểm điểm trước.",
    "Chi bộ chưa lãnh đạo giải quyết dứt điểm đơn thư khiếu nại về đất đai ở thôn Bàu Sen.",
    "Tôi chịu trách nhiệm người đứng đầu về công tác cải cách hành chính của Ủy ban nhân dân xã.",
    "",
    "2025 — 78%",
]


def _reference_indices(encoder, text: str) -> list[int]:
    """The encoder's word indices as the first version computed them (every length tried at every syllable)."""
    tokens = syllables(text)
    folded = [fold(t) for t in tokens]
    lookup = encoder._folded if folded == tokens else encoder.vocab
    words = segment(folded if lookup is encoder._folded else tokens, lookup)
    return [lookup[w] for w in words if w in lookup]


def test_word_starts_are_the_leading_syllables_of_entries_of_two_to_four():
    starts = word_starts({"khắc phục": 0, "ban chấp hành": 1, "a b c d e": 2, "năm": 3})
    assert starts == {"khắc phục", "ban chấp", "ban chấp hành"}


def test_segmenting_with_word_starts_gives_the_same_words_on_random_syllables():
    known = {"a b": 0, "a b c d": 1, "b c": 2, "c": 3, "d e f": 4, "a c": 5, "e f": 6}
    starts = word_starts(known)
    draw = random.Random(13)
    for _ in range(2000):
        tokens = [draw.choice("abcdefg") for _ in range(draw.randint(0, 12))]
        for max_word in (1, 2, 3, MAX_WORD):
            expected = segment(tokens, known, max_word)
            assert segment(tokens, known, max_word, starts=word_starts(known, max_word)) == expected, tokens
        assert segment(tokens, known, starts=starts) == segment(tokens, known)


def test_the_encoder_reads_the_same_words_and_vectors_as_before():
    encoder = default_encoder()
    vocabulary = sorted(encoder.vocab)
    draw = random.Random(7)
    texts = [*TEXTS, *(fold(t) for t in TEXTS)]
    texts += [" ".join(draw.choice(vocabulary) for _ in range(draw.randint(1, 25))) for _ in range(300)]
    texts += [fold(t) for t in texts[-100:]]  # written without diacritics: read through the folded entries
    for text in texts:
        assert encoder.indices(text) == _reference_indices(encoder, text), text
    expected = np.zeros((len(texts), encoder.dimensions), np.float32)
    for row, text in enumerate(texts):
        found = _reference_indices(encoder, text)
        if found:
            ids = np.asarray(found)
            weights = encoder.weights[ids]
            vector = weights @ encoder.vectors[ids] / float(weights.sum()) - encoder.mean
            norm = float(np.linalg.norm(vector))
            if norm > 0:
                expected[row] = vector / norm
    assert encoder.encode(texts).tobytes() == expected.tobytes()
