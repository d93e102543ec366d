"""The Arrow fast path of phone normalisation gives phonenumbers' own answer wherever it
decides (linker.ingest.phones), on every region's example numbers and random digits."""

import numpy as np
import phonenumbers
import pytest

from linker.ingest.normalize import _e164, _e164_fast


def _keys(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    keys = []
    for r in sorted(phonenumbers.SUPPORTED_REGIONS):
        for t in range(12):
            e = phonenumbers.example_number_for_type(r, t)
            if e is None:
                continue
            nat = phonenumbers.national_significant_number(e)
            keys += [nat + "\x00" + r, "0" + nat + "\x00" + r,
                     phonenumbers.format_number(e, phonenumbers.PhoneNumberFormat.E164) + "\x00"]
            d = list(nat)
            d[rng.integers(len(d))] = str(rng.integers(10))
            keys += ["".join(d) + "\x00" + r, "+" + str(e.country_code) + "".join(d) + "\x00"]
        for n in (2, 5, 8, 10, 11, 13):
            keys.append("".join(rng.choice(list("0123456789"), n)) + "\x00" + r)
    keys += ["+1\x00", "+12\x00", "+0123456\x00", "+999999999\x00", "12\x00US"]
    return np.array(list(dict.fromkeys(keys)), dtype=object)


@pytest.mark.parametrize("seed", [1, 2])
def test_fast_path_agrees_with_phonenumbers(seed: int) -> None:
    keys = _keys(seed)
    got, decided = _e164_fast(keys)
    assert decided.mean() > 0.5  # the point of it: most numbers never reach phonenumbers
    want = [_e164(k) for k in keys[decided]]
    assert list(got[decided]) == want
    assert any(w is not None for w in want) and any(w is None for w in want)
    assert all(g is None for g in got[~decided])
