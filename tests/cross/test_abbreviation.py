"""Abbreviations no list holds, read against the other name (nlp.cross.abbreviation)."""

from __future__ import annotations

import pytest

from nlp.cross.abbreviation import is_abbreviation, read_against, unread_name_for
from nlp.cross.link import same_unit


@pytest.mark.parametrize("word", ["tand", "ql", "hqck", "ptdtbt", "nhno", "agribank", "kv", "cdc"])
def test_words_that_are_no_syllable_are_abbreviations(word):
    assert is_abbreviation(word)


@pytest.mark.parametrize("word", ["tam", "khu", "nguoi", "khuyen", "quyen", "nghieng", "oanh", "ea", "a"])
def test_syllables_are_not(word):
    assert not is_abbreviation(word)


@pytest.mark.parametrize(
    ("key", "other", "read"),
    [
        ("tand khu vuc 4", "toa an nhan dan khu vuc 4 doan khe", "toa an nhan dan khu vuc 4"),
        ("ban ql khu du lich vung may", "ban quan li khu du lich bien vung may", "ban quan li khu du lich vung may"),
        ("hqck khau mia", "chi cuc hai quan cua khau khau mia", "hai quan cua khau khau mia"),
        # a letter group opens a word, and "và" between the words may be left out
        ("nhno ptnt", "ngan hang nong nghiep va phat trien nong thon", "ngan hang nong phat trien nong thon"),
    ],
)
def test_an_abbreviation_is_read_as_the_words_of_the_other_name_that_spell_it(key, other, read):
    assert read_against(key, other) == read


def test_nothing_is_read_where_the_other_name_does_not_spell_it():
    assert read_against("pkdk dong lac", "truong trung hoc co so dong lac") == "pkdk dong lac"
    assert read_against("tram y te dong lac", "truong trung hoc co so dong lac") == "tram y te dong lac"


def test_same_unit_after_reading_an_abbreviation_and_not_for_another_kind_of_unit():
    assert same_unit("tand khu vuc 4", "toa an nhan dan khu vuc 4 doan khe")
    assert same_unit("truong ptdtbt tieu hoc trung hoc co so khau vang", "truong pho thong dan toc ban tru")
    assert not same_unit("pkdk dong lac", "truong trung hoc co so dong lac")
    assert not same_unit("vksnd khu vuc 4", "toa an nhan dan khu vuc 4 doan khe")


def test_a_brand_name_for_the_rest_of_a_unit_s_name():
    full = "ngan hang nong nghiep va phat trien nong thon chi nhanh khu vuc con van"
    assert unread_name_for("agribank chi nhanh khu vuc con van", full)
    assert not unread_name_for("agribank chi nhanh khu vuc con van", "vietcombank chi nhanh khu vuc con van")
    assert not unread_name_for("agribank con van", full)  # two words in common are too few
    assert not unread_name_for("buu dien khu vuc con van", full)  # words, not a name nothing reads
