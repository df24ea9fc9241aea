"""Vietnamese text rules: search folding, NFC, collation, money and dates (domain/text.py)."""

from __future__ import annotations

import random
import unicodedata
from datetime import date, datetime

import pytest

from khuyenhoc_desktop.domain.text import (
    fold,
    format_date,
    format_percent,
    format_vnd,
    matches,
    name_sort_key,
    nfc,
    parse_date,
    sort_key,
)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# --- fold and matches ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Nguyễn Văn Đức", "nguyen van duc"),
        ("Đ", "d"),
        ("đ", "d"),
        ("ĐẶNG THỊ ƯỚC", "dang thi uoc"),
        ("Ấp Phước Lợi", "ap phuoc loi"),
        ("  Trường   THCS  Phước Vĩnh Tây ", "truong thcs phuoc vinh tay"),
        ("Hồ Thị Ngọc Hương", "ho thi ngoc huong"),
    ],
)
def test_fold_strips_marks_folds_d_and_case(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_fold_gives_the_same_result_for_nfd_input() -> None:
    composed = "Nguyễn Văn Đức, Ấp Đông Điền, Trương Thị Ước"
    decomposed = nfd(composed)
    assert decomposed != composed
    assert fold(decomposed) == fold(composed) == "nguyen van duc, ap dong dien, truong thi uoc"


def test_fold_of_nothing_is_empty() -> None:
    assert fold(None) == ""
    assert fold("") == ""


@pytest.mark.parametrize(
    "query",
    ["nguyen van duc", "Nguyễn Văn Đức", "NGUYEN", "duc nguyen", "d", "đức", "van", nfd("Nguyễn Đức")],
)
def test_matches_finds_a_name_whatever_the_marks_order_or_case(query: str) -> None:
    assert matches(fold("Nguyễn Văn Đức"), query)


@pytest.mark.parametrize("query", ["nguyen van tuan", "phuoc", "nguyen x", "duc nguyen thi"])
def test_matches_requires_every_word(query: str) -> None:
    assert not matches(fold("Nguyễn Văn Đức"), query)


def test_matches_d_finds_words_spelled_with_dj() -> None:
    assert matches(fold("Đào"), "d")
    assert matches(fold("Ấp Đông Điền"), "dong dien")
    assert not matches(fold("Ấp Vĩnh Thạnh"), "d")


# --- nfc ----------------------------------------------------------------------------------------------------


def test_nfc_composes_decomposed_text() -> None:
    decomposed = nfd("Lê Thị Hoa")
    result = nfc(decomposed)
    assert result == "Lê Thị Hoa"
    assert unicodedata.is_normalized("NFC", result)
    assert len(result) == len("Lê Thị Hoa") < len(decomposed)


def test_nfc_trims_and_collapses_white_space() -> None:
    assert nfc("  Nguyễn \t Văn\n\nTư  ") == "Nguyễn Văn Tư"
    assert nfc(None) == ""
    assert nfc("   ") == ""


# --- sort_key -----------------------------------------------------------------------------------------------


def test_sort_key_follows_the_vietnamese_alphabet() -> None:
    # One syllable per letter, in the order of the alphabet: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y.
    alphabet = list("aăâbcdđeêghiklmnoôơpqrstuưvxy")
    words = [letter + "a" if letter not in "aăâeêioôơuư" else letter for letter in alphabet]
    shuffled = words[:]
    random.Random(2025).shuffle(shuffled)
    assert sorted(shuffled, key=sort_key) == words


def test_sort_key_letters_before_tones() -> None:
    # ă and â are letters of their own, after every a-word, even a toned one.
    expected = ["an", "án", "ăn", "ằn", "ân", "ẩn", "ba"]
    assert sorted(reversed(expected), key=sort_key) == expected


def test_sort_key_tones_in_dictionary_order() -> None:
    # Within one spelling: ngang, huyền, hỏi, ngã, sắc, nặng; đ after every d.
    expected = ["da", "dà", "dả", "dã", "dá", "dạ", "đa", "đà", "đạ"]
    assert sorted(reversed(expected), key=sort_key) == expected


def test_sort_key_dj_after_d_unlike_byte_or_ascii_order() -> None:
    assert sort_key("Dung") < sort_key("Đạt") < sort_key("Em")
    assert sort_key("Dũng") < sort_key("Đào")
    # Byte order puts Đ after every Latin letter; folding would put Đạt before Dung.
    assert "Đạt" > "Em"
    assert fold("Đạt") < fold("Dung")


def test_sort_key_is_case_and_normal_form_blind() -> None:
    assert sort_key("ĐẶNG VĂN ÂN") == sort_key("đặng văn ân") == sort_key(nfd("Đặng Văn Ân"))


def test_sort_key_compares_syllable_by_syllable() -> None:
    # Dictionaries list every compound of "ba" before "bà": a syllable's tone counts before the next syllable.
    expected = ["ba", "ba ba", "ba bị", "bà", "bà con", "bả", "hoa", "hoa hồng", "hòa", "hòa bình"]
    assert sorted(reversed(expected), key=sort_key) == expected


def test_sort_key_shorter_word_first() -> None:
    expected = ["An", "An Bình", "Anh", "Ánh", "Ân"]
    assert sorted(reversed(expected), key=sort_key) == expected


# --- name_sort_key ------------------------------------------------------------------------------------------


def test_name_sort_key_sorts_by_given_name_then_family_and_middle_names() -> None:
    register = [
        "Nguyễn Thị Út",
        "Trần Thị Ánh",
        "Võ Văn Dũng",
        "Nguyễn Văn An",
        "Đỗ Văn Ước",
        "Phạm Văn Ân",
        "Trương Văn Anh",
        "Lê Thị Uyên",
        "Bùi Thị Đào",
        "Đỗ Thị An",
        "Hồ Thị Bích",
        "Lê Hoàng Anh",
    ]
    # Worked by hand, given name (last word) first, then "family + middle" for a tie:
    #  - An:  "Đỗ Thị" < "Nguyễn Văn" because đ comes before n (byte order would say the opposite).
    #  - An < Anh (a word that is a prefix of another comes first).
    #  - Anh: "Lê Hoàng" < "Trương Văn".
    #  - Ánh (sắc tone) after every Anh, although "Trần" < "Trương": the given name decides first.
    #  - Ân: â is the letter after a, so after every a-name whatever its tone.
    #  - Bích, Dũng, then Đào (đ after d).
    #  - Út < Uyên (t before y), then Ước (ư is the letter after u).
    expected = [
        "Đỗ Thị An",
        "Nguyễn Văn An",
        "Lê Hoàng Anh",
        "Trương Văn Anh",
        "Trần Thị Ánh",
        "Phạm Văn Ân",
        "Hồ Thị Bích",
        "Võ Văn Dũng",
        "Bùi Thị Đào",
        "Nguyễn Thị Út",
        "Lê Thị Uyên",
        "Đỗ Văn Ước",
    ]
    assert sorted(register, key=name_sort_key) == expected
    assert sorted(register, key=sort_key) != expected  # the family name does not lead


def test_name_sort_key_handles_one_word_and_blank_names() -> None:
    assert name_sort_key("Tư") < name_sort_key("Nguyễn Văn Tư")
    assert name_sort_key("  Lê   Thị  Hoa ") == name_sort_key("Lê Thị Hoa")
    assert name_sort_key("") == name_sort_key(None)


# --- money and dates ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (9_700_000_000, "9.700.000.000 đ"),
        (500_000, "500.000 đ"),
        (1_000, "1.000 đ"),
        (999, "999 đ"),
        (0, "0 đ"),
    ],
)
def test_format_vnd_uses_dot_thousands_and_dong_sign(amount: int, text: str) -> None:
    assert format_vnd(amount) == text


def test_format_date_is_day_month_year() -> None:
    assert format_date(date(2025, 12, 15)) == "15/12/2025"
    assert format_date(date(2025, 7, 1)) == "01/07/2025"
    assert format_date(datetime(2025, 1, 2, 23, 59)) == "02/01/2025"
    assert format_date(None) == ""


@pytest.mark.parametrize("text", ["15/12/2025", "15-12-2025", "15.12.2025", " 15/12/2025 ", "15 / 12 / 2025"])
def test_parse_date_reads_day_month_year(text: str) -> None:
    assert parse_date(text) == date(2025, 12, 15)


def test_parse_date_round_trips_format_date() -> None:
    day = date(2024, 2, 29)
    assert parse_date(format_date(day)) == day


@pytest.mark.parametrize("text", ["31/02/2025", "15/13/2025", "2025", "15/12", "mười lăm/12/2025", "", "1/2/3/4"])
def test_parse_date_refuses_with_a_vietnamese_message(text: str) -> None:
    with pytest.raises(ValueError, match="không đúng dạng ngày/tháng/năm") as caught:
        parse_date(text)
    assert f"«{text}»" in str(caught.value)


def test_parse_date_refuses_a_two_digit_year() -> None:
    with pytest.raises(ValueError, match="năm đủ 4 chữ số"):
        parse_date("15/12/25")


def test_numbers_sort_by_value_before_letters() -> None:
    names = ["Khu phố 10", "Khu phố 2", "Ấp 3", "Khu phố 1", "Khu phố 02B", "Khu phố A"]
    assert sorted(names, key=sort_key) == ["Ấp 3", "Khu phố 1", "Khu phố 2", "Khu phố 02B", "Khu phố 10", "Khu phố A"]


@pytest.mark.parametrize(
    ("ratio", "shown"),
    [(0.882, "88,2%"), (1.6433, "164,3%"), (0.0, "0,0%"), (1, "100,0%"), (0.0004, "0,0%"), (None, "—")],
)
def test_format_percent_writes_a_ratio_with_the_vietnamese_decimal_comma(ratio: float | None, shown: str) -> None:
    assert format_percent(ratio) == shown
