"""Reading a data file names the key of a text it refuses, and refuses a key given twice, the same
way however the walk is done (issue 19 made the path lazy and the duplicate test a dict build)."""

from __future__ import annotations

import json

import pytest

from juesuan.data_file import _unique_keys, check_texts
from juesuan.errors import InputError


@pytest.mark.parametrize("data, key", [
    ({"表5": {"2010301": {"基本支出": "ok\x00"}}}, "表5/2010301/基本支出"),
    ({"": {"a": "bad\x01"}}, "a"),  # an empty key adds no step, as before
    ({"": [{"": "bad\x02"}]}, "/1/"),
    ({"a\x03": 1}, "a\ufffd"),  # the key itself, shown printable
    ({"notes": {"l": ["ok", ["deep", "x" * 40000]]}}, "notes/l/2/2"),  # too long for a cell
    ({"k": [[["a\x04"]]]}, "k/1/1/1"),
    ({"a": "ok", "b": ["\ud800"]}, "b/1"),
    ({"y" * 60: "z\x05"}, "y" * 40 + "…"),
])
def test_a_refused_text_names_its_key(data: dict, key: str) -> None:
    with pytest.raises(InputError) as caught:
        check_texts(data)
    assert caught.value.where.key == key


def test_clean_data_and_deep_data() -> None:
    check_texts({"表5": {"2010301": {"基本支出": 1}}, "notes": {"x": ["a", {"b": "c"}]}})
    deep: dict = {"x": 1}
    for _ in range(40):
        deep = {"n": deep}
    with pytest.raises(RecursionError):
        check_texts(deep)


@pytest.mark.parametrize("text, key", [('{"a":1,"a":2}', "a"), ('{"b":{"c":1,"d":2,"c":3}}', "c")])
def test_a_key_given_twice_is_refused(text: str, key: str) -> None:
    with pytest.raises(InputError) as caught:
        json.loads(text, object_pairs_hook=_unique_keys)
    assert caught.value.where.key == key


def test_keys_given_once_keep_their_order() -> None:
    got = json.loads('{"z":1,"a":[{"x":1},{"x":2}],"m":{}}', object_pairs_hook=_unique_keys)
    assert list(got) == ["z", "a", "m"] and got["a"] == [{"x": 1}, {"x": 2}]
