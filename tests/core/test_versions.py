import pytest

from macros.core.versions import (
    openssl_key,
    openssl_series_of,
    pg_major_key,
    pg_minor_parts,
    pg_release_key,
)


def test_openssl_letter_releases_sort_between_series():
    versions = ["1.0.2", "1.0.1t", "1.0.1", "1.0.1e", "0.9.8za", "0.9.8z", "3.10", "3.2", "1.1.1w"]
    assert sorted(versions, key=openssl_key) == [
        "0.9.8z", "0.9.8za", "1.0.1", "1.0.1e", "1.0.1t", "1.0.2", "1.1.1w", "3.2", "3.10"]


def test_openssl_series_of_release():
    assert openssl_series_of("1.0.2u") == "1.0.2"
    assert openssl_series_of("1.1.1w") == "1.1.1"
    assert openssl_series_of("3.0.19") == "3.0"
    assert openssl_series_of("4.0.1") == "4.0"


def test_postgresql_majors_sort_numerically():
    assert sorted(["10", "9.6", "13", "9.4", "18"], key=pg_major_key) == ["9.4", "9.6", "10", "13", "18"]


def test_postgresql_minor_parts():
    assert pg_minor_parts("9.4.12") == ("9.4", 12)
    assert pg_minor_parts("13.5") == ("13", 5)
    assert pg_release_key("9.4.12") < pg_release_key("9.4.26") < pg_release_key("10.1")


@pytest.mark.parametrize("bad", ["", "3", "1.0.2-u", "v3.0", "TLSv1"])
def test_bad_openssl_versions_are_refused(bad):
    with pytest.raises(ValueError):
        openssl_key(bad)


@pytest.mark.parametrize("bad", ["", "8.4", "13.0.1", "9.4.x"])
def test_bad_postgresql_releases_are_refused(bad):
    with pytest.raises(ValueError):
        pg_minor_parts(bad)
