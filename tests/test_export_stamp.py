"""The snapshot stamp and the live view's address with its QR code."""
from __future__ import annotations

import datetime as dt

import pytest

from core.export.live import AddressError, check_address, live_url, qr_png, qr_svg
from core.export.stamp import files_digest, make_stamp
from core.filters import Band, Filter, FilterOptions, parse_filters
from core.settings import parse_settings

OPTIONS = FilterOptions(centres=("CH Boulogne-sur-Mer", "CHU Lille"), sexes=("F", "M"), age_range=(19.0, 71.5),
                        prior_lines_range=(0, 6), ifn=("negative", "positive"),
                        extra=(("cohorte", ("A", "B", "C")),))


def test_digest_ignores_file_order_but_not_names_or_bytes():
    files = [("a.csv", b"1"), ("b.csv", b"2")]
    assert files_digest(files) == files_digest(files[::-1])
    assert files_digest(files) != files_digest([("a.csv", b"12"), ("b.csv", b"")])
    assert files_digest(files) != files_digest([("c.csv", b"1"), ("b.csv", b"2")])


def test_stamp_names_subgroup_changed_definitions_version_and_date():
    stamp = make_stamp([("a.csv", b"1")], parse_filters(["sex=F"]), parse_settings(["shift_tolerance=0.15"]),
                       today=dt.date(2025, 6, 1))
    line = stamp.line("fr")
    assert stamp.short in line and "Femme" in line and "0,15" in line and "2025-06-01" in line
    assert stamp.version in line
    assert stamp.as_dict("en")["settings"] == {"shift_tolerance": 0.15}


def test_default_stamp_says_all_patients_and_defaults():
    line = make_stamp([("a.csv", b"1")]).line("en")
    assert "all patients" in line and "defaults" in line


def test_live_url_carries_the_filters_as_the_app_reads_them():
    flt = Filter(centre=("CHU Lille",), sex=("F",), age=Band(30, 50, high_inclusive=False), hcq=True,
                 extra=(("cohorte", ("B",)),))
    url = live_url("https://poster.example.org/app", flt, "fr", OPTIONS)
    assert url == ("https://poster.example.org/app?lang=fr&centre=CHU+Lille&sex=F&age=30-49&hcq=yes&x.cohorte=2")


def test_an_open_band_takes_the_cohort_bound():
    url = live_url("https://x.org", Filter(prior_lines=Band(low=2)), "en", OPTIONS)
    assert url.endswith("prior_lines=2-6")


@pytest.mark.parametrize("address", ["poster.example.org", "ftp://x.org", "javascript:alert(1)", "https://"])
def test_an_address_that_is_not_http_is_refused(address):
    with pytest.raises(AddressError):
        check_address(address)


def test_qr_codes_are_a_png_and_an_inline_svg():
    assert qr_png("https://x.org/?lang=fr").startswith(b"\x89PNG\r\n\x1a\n")
    svg = qr_svg("https://x.org/?lang=fr")
    assert svg.startswith("<svg") and "http" not in svg
