"""Names in pinyin: the member list sorts by it and finds people by their initials (张三: zs).

Names repeat a great deal in a registry (surname and given name drawn from small sets), so
the conversion is cached: the large demo's 320,000 people cost a few thousand conversions.
"""

from functools import lru_cache

from pypinyin import lazy_pinyin

# Surnames read otherwise than the character's usual reading (曾国藩 is Zeng, not Ceng).
SURNAMES = {
    "万俟": ["mo", "qi"], "尉迟": ["yu", "chi"], "长孙": ["zhang", "sun"],
    "澹台": ["tan", "tai"], "单于": ["chan", "yu"],
    "曾": ["zeng"], "单": ["shan"], "解": ["xie"], "仇": ["qiu"], "朴": ["piao"],
    "区": ["ou"], "查": ["zha"], "乐": ["yue"], "盖": ["ge"], "缪": ["miao"], "覃": ["qin"],
    "翟": ["zhai"], "召": ["shao"], "繁": ["po"], "牟": ["mou"], "种": ["chong"],
    "秘": ["bi"], "员": ["yun"], "宿": ["su"], "句": ["gou"], "能": ["nai"], "尉": ["yu"],
    "郇": ["huan"], "柏": ["bai"], "薄": ["bo"], "藏": ["zang"], "隗": ["wei"],
    "阚": ["kan"], "重": ["chong"], "沈": ["shen"], "任": ["ren"], "纪": ["ji"],
    "黑": ["he"], "都": ["du"], "朝": ["chao"], "晟": ["cheng"], "冼": ["xian"],
}  # fmt: skip


def _surname(name: str) -> tuple[list[str], str]:
    """The surname's syllables where it is read otherwise, and the rest of the name."""
    for length in (2, 1):
        if name[:length] in SURNAMES:
            return SURNAMES[name[:length]], name[length:]
    return [], name


def _other(text: str) -> list[str]:
    """Latin letters and digits kept as they are (lower case); anything else dropped."""
    word = "".join(c for c in text.lower() if c.isascii() and c.isalnum())
    return [word] if word else []


@lru_cache(maxsize=200_000)
def pinyin_keys(name: str) -> tuple[str, str]:
    """(syllables joined by spaces, for sorting: 安 "an" before 昂 "ang"; initials)."""
    surname, rest = _surname(name.strip())
    syllables = surname + [s for s in lazy_pinyin(rest, errors=_other) if s]
    return " ".join(syllables)[:160], "".join(s[0] for s in syllables)[:60]


def with_pinyin(row: dict) -> dict:
    """A member row (for COPY or bulk creation) with its pinyin columns."""
    row["name_pinyin"], row["name_initials"] = pinyin_keys(row["name"])
    return row
