"""Vietnamese text rules shared by search, sort, display and (later) duplicate detection.

Everything that compares or shows Vietnamese text goes through here, so that "nguyen van duc" finds
"Nguyễn Văn Đức" in the register exactly as it will in an import or a merge.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

_SPACES = re.compile(r"\s+")

# Combining marks: the five tones and the three letter-forming marks (breve, circumflex, horn).
_TONE_MARKS = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}

# Vietnamese alphabet, with the Latin letters used in foreign names slotted in Latin order.
_ALPHABET = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n",
    "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
]  # fmt: skip
_LETTER_RANK = {letter: chr(0x41 + i) for i, letter in enumerate(_ALPHABET)}

_FOLD_TABLE: dict[int, str | None] = {ord(m): None for m in (*_TONE_MARKS, *_LETTER_MARKS)}
_FOLD_TABLE.update({0x0110: "d", 0x0111: "d"})
_FOLD_TABLE.update({cp: None for cp in range(0x0300, 0x0370)})


def nfc(text: str | None) -> str:
    """NFC-normalise, trim and collapse inner white space: the form every stored text takes."""
    if not text:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def fold(text: str | None) -> str:
    """Search form: no diacritics, đ→d, lower case, single spaces."""
    if not text:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFD", text).translate(_FOLD_TABLE).lower()).strip()


def matches(folded_haystack: str, query: str) -> bool:
    """True when every word of the query occurs in the folded text, in any order."""
    return all(word in folded_haystack for word in fold(query).split())


def _word_key(word: str) -> tuple[str, str]:
    primary: list[str] = []
    tones: list[str] = []
    for ch in unicodedata.normalize("NFD", word.lower()):
        if ch in _TONE_MARKS:
            if tones:
                tones[-1] = _TONE_MARKS[ch]
            continue
        if ch in _LETTER_MARKS:
            if primary and primary[-1] >= "A":
                composed = unicodedata.normalize("NFC", _ALPHABET[ord(primary[-1]) - 0x41] + ch)
                primary[-1] = _LETTER_RANK.get(composed, primary[-1])
            continue
        if unicodedata.combining(ch):
            continue
        if ch in _LETTER_RANK:
            primary.append(_LETTER_RANK[ch])
            tones.append("0")
        elif ch.isdigit():
            primary.append(ch)
            tones.append("0")
    return _DIGIT_RUN.sub(_number_key, "".join(primary)), "".join(tones)


_DIGIT_RUN = re.compile(r"\d+")


def _number_key(run: re.Match[str]) -> str:
    """Numbers in their value order ("Khu phố 2" before "Khu phố 10"): a length mark, then the digits.

    The mark (below "0" for short runs) sorts every number before any letter, as before.
    """
    digits = run.group().lstrip("0") or "0"
    return chr(0x21 + min(len(digits), 14)) + digits


def sort_key(text: str | None) -> str:
    """Vietnamese alphabetical key: each syllable by its letters in the Vietnamese alphabet, then its tone.

    Returned as a string so it can be stored in SQLite and compared with plain `<`.
    """
    keys = [_word_key(w) for w in nfc(text).split()]
    # Syllable by syllable, as dictionaries order them ("ba ba" before "bà").
    return " ".join(letters + "\x01" + tones for letters, tones in keys)


def name_sort_key(full_name: str | None) -> str:
    """Person names sort by given name (the last word), then family and middle names."""
    words = nfc(full_name).split()
    return sort_key(" ".join(words[-1:] + words[:-1]))


def format_count(count: int) -> str:
    """Dot thousands, as Vietnamese reports write counts: 41500 → "41.500"."""
    return f"{count:,}".replace(",", ".")


def format_vnd(amount: int) -> str:
    """Whole VND with dot thousands: 9700000000 → "9.700.000.000 đ"."""
    return f"{format_count(amount)} đ"


def format_percent(ratio: float | None) -> str:
    """0.882 → "88,2%" (Vietnamese decimal comma); over 1 stays as it is (1.643 → "164,3%", "đạt 164% chỉ tiêu");
    "—" when there was nothing to divide by."""
    return "—" if ratio is None else f"{ratio * 100:.1f}%".replace(".", ",")


def format_date(value: date | datetime | None) -> str:
    """dd/MM/yyyy, the only date form a Vietnamese officer reads."""
    return value.strftime("%d/%m/%Y") if value else ""


def format_local_time(iso_utc: str) -> str:
    """A stored UTC timestamp ("2025-12-15T01:30:00Z") as the officer's own clock showed it: dd/MM/yyyy HH:mm."""
    return datetime.fromisoformat(iso_utc.replace("Z", "+00:00")).astimezone().strftime("%d/%m/%Y %H:%M")


def parse_date(text: str) -> date:
    """Parse dd/MM/yyyy (also with '-' or '.'); raises ValueError with a Vietnamese message."""
    parts = re.split(r"[/.\-]", nfc(text))
    try:
        day, month, year = (int(p) for p in parts)
        if len(parts[2].strip()) != 4:  # "15/12/25" would be the year 25
            raise ValueError(parts[2])
        return date(year, month, day)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"Ngày «{text}» không đúng dạng ngày/tháng/năm (năm đủ 4 chữ số)") from exc


_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_GROUP_NAMES = ("", "nghìn", "triệu")  # above that the count of "tỷ" is read with these again
_BILLION = 1_000_000_000


def _read_group(value: int, full: bool) -> list[str]:
    """One group of three digits; `full` once a higher group was read ("một triệu không trăm lẻ năm")."""
    hundreds, tens, units = value // 100, value // 10 % 10, value % 10
    words: list[str] = []
    if full or hundreds:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            words += ["lẻ", _DIGITS[units]] if words else [_DIGITS[units]]
        return words
    words += ["mười"] if tens == 1 else [_DIGITS[tens], "mươi"]
    if units == 1 and tens >= 2:
        words.append("mốt")
    elif units == 5:
        words.append("lăm")
    elif units:
        words.append(_DIGITS[units])
    return words


def _read_number(value: int, full: bool) -> list[str]:
    """Below a billion by groups (zero groups skipped); above it the count of "tỷ" is read the same way."""
    if value >= _BILLION:
        billions, rest = divmod(value, _BILLION)
        return [*_read_number(billions, full), "tỷ", *(_read_number(rest, True) if rest else [])]
    words: list[str] = []
    for scale in (2, 1, 0):
        group = value // 1000**scale % 1000
        if group:
            words += _read_group(group, full or bool(words))
            if scale:
                words.append(_GROUP_NAMES[scale])
    return words


def amount_in_words(amount: int) -> str:
    """A whole VND amount as receipts write it: 2024 → "Hai nghìn không trăm hai mươi bốn đồng".

    num2words 'vi' reads 2024 as "hai nghìn lẻ hai mươi bốn", which no Vietnamese voucher says.
    """
    if amount < 0:
        raise ValueError(f"Không đọc được số tiền âm ({amount}).")
    words = _read_number(amount, False) or ["không"]
    text = " ".join([*words, "đồng"])
    return text[0].upper() + text[1:]
