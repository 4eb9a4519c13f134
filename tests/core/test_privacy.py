"""Masked NIK and KK numbers (domain.md §9); a correction says which digit changed (issue 22)."""

from __future__ import annotations

from lindungi.core.privacy import mask_identity_change, mask_identity_number, mask_identity_numbers


def test_a_number_shows_its_region_prefix_and_last_two_digits():
    assert mask_identity_number("6402061205800001") == "6402**********01"
    assert mask_identity_number("64020612058") == "***********"
    assert mask_identity_number(None) == ""


def test_a_one_digit_correction_shows_that_digit_before_and_after():
    assert mask_identity_change("6402061205800004", "6402061205801004") == (
        "6402********0*04",
        "6402********1*04",
    )


def test_a_day_and_month_swap_shows_its_four_places():
    assert mask_identity_change("6402061205800001", "6402060512800001") == (
        "6402**1205****01",
        "6402**0512****01",
    )


def test_another_number_altogether_only_marks_the_changed_places():
    before, after = mask_identity_change("6402061205800001", "6471019876540001")
    assert (before, after) == ("6402*#######**01", "6471*#######**01")
    assert "0612" not in before and "9876" not in after


def test_a_new_or_odd_number_is_simply_masked():
    assert mask_identity_change(None, "6402061205800001") == (None, "6402**********01")
    assert mask_identity_change("640206120580001", "6402061205800001") == (
        "***************",
        "6402**********01",
    )
    assert mask_identity_numbers(
        {"heir.nik": ["6402064101820002", "6402064101821002"], "full_name": ["A", "B"]}
    ) == {"heir.nik": ["6402********0*02", "6402********1*02"], "full_name": ["A", "B"]}
