from __future__ import annotations

import hmac
import re

import pytest

from suppliernet.invitations import codes

GROUPED = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")


def test_codes_are_grouped_crockford_base32_with_60_bits():
    assert len(codes.ALPHABET) == 32 and not set("ILOU") & set(codes.ALPHABET)
    assert codes.LENGTH * 5 >= 60
    for _ in range(200):
        assert GROUPED.match(codes.generate())


def test_codes_use_the_whole_alphabet_and_do_not_repeat():
    generated = [codes.generate() for _ in range(2000)]
    assert len(set(generated)) == len(generated)
    assert set("".join(generated).replace("-", "")) == set(codes.ALPHABET)


@pytest.mark.parametrize(
    "typed",
    ["K7QM-4X2P-9HDT", "k7qm4x2p9hdt", " k7qm 4x2p 9hdt ", "K7QM–4X2P–9HDT", "K7QM.4X2P.9HDT"],
)
def test_normalize_ignores_case_spaces_and_separators(typed):
    assert codes.normalize(typed) == "K7QM4X2P9HDT"


def test_normalize_reads_o_as_zero_and_i_l_as_one():
    assert codes.normalize("OOIL-1111-0000") == "001111110000"


@pytest.mark.parametrize(
    "typed", ["", "K7QM-4X2P-9HD", "K7QM-4X2P-9HDTX", "K7QM-4X2P-9HDU", "ñ" * 12]
)
def test_normalize_refuses_what_cannot_be_a_code(typed):
    assert codes.normalize(typed) is None


def test_hash_verifies_only_the_right_code_in_any_typing():
    code = codes.generate()
    stored = codes.code_hash(code)
    assert codes.verify(code.lower().replace("-", " "), stored)
    assert not codes.verify(codes.generate(), stored)
    assert not codes.verify("not a code", stored)
    assert len(stored) == 64 and code.replace("-", "") not in stored


def test_hash_is_keyed(settings):
    code = codes.generate()
    settings.INVITATION_CODE_KEY = ""
    from_secret_key = codes.code_hash(code)
    settings.INVITATION_CODE_KEY = "a dedicated key"
    dedicated = codes.code_hash(code)
    assert dedicated != from_secret_key
    settings.SECRET_KEY = "another secret"
    assert codes.code_hash(code) == dedicated


def test_verify_compares_in_constant_time(monkeypatch):
    """The comparison goes through hmac.compare_digest (spied on, not replaced)."""
    calls = []
    real = hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(codes.hmac, "compare_digest", spy)
    code = codes.generate()
    assert codes.verify(code, codes.code_hash(code))
    assert len(calls) == 1


def test_hint_is_the_last_four_symbols():
    assert codes.hint("k7qm-4x2p-9hdt") == "9HDT"
