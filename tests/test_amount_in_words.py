"""Amounts in Vietnamese words, as the fund's receipts and payment vouchers print them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from khuyenhoc_desktop.domain.text import amount_in_words

LIMIT = 10**15


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "Không đồng"),
        (1, "Một đồng"),
        (5, "Năm đồng"),
        (10, "Mười đồng"),
        (11, "Mười một đồng"),
        (14, "Mười bốn đồng"),
        (15, "Mười lăm đồng"),
        (20, "Hai mươi đồng"),
        (21, "Hai mươi mốt đồng"),
        (24, "Hai mươi bốn đồng"),
        (25, "Hai mươi lăm đồng"),
        (51, "Năm mươi mốt đồng"),
        (100, "Một trăm đồng"),
        (105, "Một trăm lẻ năm đồng"),
        (110, "Một trăm mười đồng"),
        (111, "Một trăm mười một đồng"),
        (115, "Một trăm mười lăm đồng"),
        (505, "Năm trăm lẻ năm đồng"),
        (1_001, "Một nghìn không trăm lẻ một đồng"),
        (1_010, "Một nghìn không trăm mười đồng"),
        (2_024, "Hai nghìn không trăm hai mươi bốn đồng"),
        (15_000, "Mười lăm nghìn đồng"),
        (500_000, "Năm trăm nghìn đồng"),
        (1_000_005, "Một triệu không trăm lẻ năm đồng"),
        (1_200_500, "Một triệu hai trăm nghìn năm trăm đồng"),
        (9_700_000, "Chín triệu bảy trăm nghìn đồng"),
        (21_050_000, "Hai mươi mốt triệu không trăm năm mươi nghìn đồng"),
        (1_000_000_000, "Một tỷ đồng"),
        (9_700_000_000, "Chín tỷ bảy trăm triệu đồng"),
        (1_000_000_001, "Một tỷ không trăm lẻ một đồng"),
        (1_000_000_000_000, "Một nghìn tỷ đồng"),
        (1_000_000_005_000, "Một nghìn tỷ không trăm lẻ năm nghìn đồng"),
        (2_000_001_000_000_000, "Hai triệu không trăm lẻ một tỷ đồng"),
    ],
)
def test_reads_like_a_voucher(amount: int, words: str) -> None:
    assert amount_in_words(amount) == words


def test_refuses_a_negative_amount() -> None:
    with pytest.raises(ValueError, match="âm"):
        amount_in_words(-1)


@given(st.integers(min_value=0, max_value=LIMIT))
def test_every_amount_reads_cleanly(amount: int) -> None:
    words = amount_in_words(amount)
    assert "  " not in words
    assert words[0].isupper() and words[1:] == words[1:].lower()
    assert words.endswith(" đồng")
    read = words.lower().split()
    if amount:  # "không" only ever stands before "trăm" ("một nghìn không trăm lẻ năm")
        assert all(read[i + 1] == "trăm" for i, word in enumerate(read) if word == "không")


@given(
    st.integers(min_value=0, max_value=LIMIT - 1),
    st.integers(min_value=0, max_value=4),
    st.integers(min_value=0, max_value=999),
)
def test_changing_one_group_changes_the_reading(amount: int, group: int, value: int) -> None:
    scale = 1000**group
    current = amount // scale % 1000
    other = amount - current * scale + value * scale
    if other != amount:
        assert amount_in_words(other) != amount_in_words(amount)
