"""E.164 of phone numbers written in international form (``+`` and digits) or as national
digits with the account's country, in Arrow kernels:
the same result as ``phonenumbers`` (parse, is_valid_number, format E164), which costs
~0.1 ms a number in Python, half a minute for the distinct numbers of 1M accounts.

Only the plain cases are decided here, with ``phonenumbers``' own metadata and its own
rules (country code by the shortest known prefix, region by leading digits or number type,
valid when the general pattern and one type pattern match in full). Anything else — a
national prefix that ``phonenumbers`` might strip, a leading zero, an odd length, a pattern
RE2 does not take — is left undecided, for ``phonenumbers`` itself.
"""

from __future__ import annotations

import functools

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# the types _number_type_helper tries after the general description (any → valid)
_TYPES = ("premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager", "uan",
          "voicemail", "fixed_line", "mobile")
_MIN_NSN, _MAX_NSN = 2, 17  # phonenumbers' _MIN_LENGTH_FOR_NSN, _MAX_LENGTH_FOR_NSN


@functools.lru_cache(maxsize=1)
def _country_codes() -> dict[int, tuple[str, ...]]:
    from phonenumbers import COUNTRY_CODE_TO_REGION_CODE

    return dict(COUNTRY_CODE_TO_REGION_CODE)


def _metadata(cc: int, region: str):  # noqa: ANN202 - phonenumbers' PhoneMetadata
    from phonenumbers.phonemetadata import REGION_CODE_FOR_NON_GEO_ENTITY, PhoneMetadata

    if region == REGION_CODE_FOR_NON_GEO_ENTITY:
        return PhoneMetadata.metadata_for_nongeo_region(cc, None)
    return PhoneMetadata.metadata_for_region(region, None)


def _full(arr: pa.Array, pattern: str) -> np.ndarray:
    return pc.fill_null(pc.match_substring_regex(arr, f"^(?:{pattern})$"), False).to_numpy(
        zero_copy_only=False)


def _desc_match(nsn: pa.Array, lengths: np.ndarray, desc) -> np.ndarray:  # noqa: ANN001
    """_is_number_matching_desc: a possible length (when listed), then the full pattern."""
    if desc is None or not desc.national_number_pattern:
        return np.zeros(len(nsn), dtype=bool)
    ok = np.isin(lengths, list(desc.possible_length)) if desc.possible_length else \
        np.ones(len(nsn), dtype=bool)
    if ok.any():
        ok &= _full(nsn, desc.national_number_pattern)
    return ok


def _type_known(nsn: pa.Array, lengths: np.ndarray, md) -> np.ndarray:  # noqa: ANN001
    """_number_type_helper(nsn, md) != UNKNOWN."""
    ok = _desc_match(nsn, lengths, md.general_desc)
    if not ok.any():
        return ok
    any_type = np.zeros(len(nsn), dtype=bool)
    for name in _TYPES:
        any_type |= _desc_match(nsn, lengths, getattr(md, name))
    return ok & any_type


def _one_code(cc: int, rest: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(valid, decided) for national numbers `rest` of country code `cc`."""
    regions = _country_codes()[cc]
    lengths = pc.utf8_length(rest).to_numpy(zero_copy_only=False)
    decided = (lengths >= _MIN_NSN) & (lengths <= _MAX_NSN)
    # a leading zero (kept as "Italian leading zeros") is left to phonenumbers
    decided &= ~pc.fill_null(pc.starts_with(rest, "0"), True).to_numpy(zero_copy_only=False)
    main = _metadata(cc, regions[0])
    if main is None:
        return np.zeros(len(rest), dtype=bool), np.zeros(len(rest), dtype=bool)
    if main.national_prefix_for_parsing:
        # parse may strip a national prefix (or rewrite it): phonenumbers decides those
        decided &= ~pc.fill_null(pc.match_substring_regex(
            rest, f"^(?:{main.national_prefix_for_parsing})"), True).to_numpy(zero_copy_only=False)
    return _valid(cc, rest, lengths) & decided, decided


def _valid(cc: int, nsn: pa.Array, lengths: np.ndarray) -> np.ndarray:
    """is_valid_number for national significant numbers `nsn` of country code `cc`."""
    regions = _country_codes()[cc]
    rest = nsn
    if len(regions) == 1:
        md = _metadata(cc, regions[0])
        return _type_known(rest, lengths, md) if md is not None else \
            np.zeros(len(rest), dtype=bool)
    # region_code_for_number: the first region whose leading digits match, or (without
    # leading digits) for which the number has a known type; valid for that region only
    valid = np.zeros(len(rest), dtype=bool)
    open_ = np.ones(len(rest), dtype=bool)
    for region in regions:
        md = _metadata(cc, region)
        if md is None:
            continue
        known = _type_known(rest, lengths, md)
        if md.leading_digits is not None:
            picked = open_ & pc.fill_null(pc.match_substring_regex(
                rest, f"^(?:{md.leading_digits})"), False).to_numpy(zero_copy_only=False)
        else:
            picked = open_ & known
        valid |= picked & known
        open_ &= ~picked
    return valid


def e164_international(digits: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """For numbers written ``+DIGITS`` (given here without the '+', ASCII digits only): their
    E.164 text (null when invalid) and which of them this decided; the undecided ones'
    results are null and must come from phonenumbers."""
    n = len(digits)
    valid = np.zeros(n, dtype=bool)
    decided = np.zeros(n, dtype=bool)
    if n == 0:
        return pa.array([], pa.string()), decided
    codes = _country_codes()
    lengths = pc.utf8_length(digits).to_numpy(zero_copy_only=False)
    cc_len = np.zeros(n, dtype=np.int8)
    # the shortest prefix that is a known country code (codes are prefix-free anyway)
    for k in (3, 2, 1):
        head = pc.utf8_slice_codeunits(digits, 0, k)
        known = pc.fill_null(pc.is_in(head, value_set=pa.array([str(c) for c in codes])),
                             False).to_numpy(zero_copy_only=False)
        cc_len = np.where(known & (lengths > k), k, cc_len)
    # fewer than 3 digits after '+' or no known code: phonenumbers raises; leave it to it
    usable = (cc_len > 0) & (lengths >= 3) & ~pc.fill_null(
        pc.starts_with(digits, "0"), True).to_numpy(zero_copy_only=False)
    for k in (1, 2, 3):
        rows = np.flatnonzero(usable & (cc_len == k))
        if not rows.size:
            continue
        sub = digits.take(pa.array(rows))
        head = pc.utf8_slice_codeunits(sub, 0, k).to_numpy(zero_copy_only=False)
        rest = pc.utf8_slice_codeunits(sub, k)
        for code in np.unique(head):
            at = np.flatnonzero(head == code)
            try:
                ok, done = _one_code(int(code), rest.take(pa.array(at)))
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):  # a pattern RE2 rejects
                continue
            decided[rows[at]] = done
            valid[rows[at]] = ok & done
    plus = pc.binary_join_element_wise(pa.scalar("+"), digits, pa.scalar(""))
    return pc.if_else(pa.array(valid), plus, pa.scalar(None, pa.string())), decided


def _starts(arr: pa.Array, pattern: str | None) -> np.ndarray:
    """Where `pattern` matches at the start (re.match), null → True (left undecided)."""
    if not pattern:
        return np.zeros(len(arr), dtype=bool)
    return pc.fill_null(pc.match_substring_regex(arr, f"^(?:{pattern})"), True).to_numpy(
        zero_copy_only=False)


def _national_one(region: str, digits: pa.Array,
                  ) -> tuple[np.ndarray, np.ndarray, int, pa.Array]:
    """(valid, decided, country code, national significant numbers) for national numbers
    `digits` read in `region`."""
    from phonenumbers.phonemetadata import PhoneMetadata

    n = len(digits)
    nothing = np.zeros(n, dtype=bool)
    md = PhoneMetadata.metadata_for_region(region, None)
    if md is None or md.national_prefix_transform_rule:
        return nothing, nothing, 0, digits
    cc = md.country_code
    lengths = pc.utf8_length(digits).to_numpy(zero_copy_only=False)
    # an international dialling prefix, or the country code written without '+': parse
    # tries to read a country code first; phonenumbers decides those
    decided = ~_starts(digits, md.international_prefix)
    decided &= ~pc.fill_null(pc.starts_with(digits, str(cc)), True).to_numpy(
        zero_copy_only=False)
    decided &= lengths >= _MIN_NSN
    nsn = digits
    if md.national_prefix_for_parsing:
        # _maybe_strip_national_prefix_carrier_code, then kept only for a possible length
        found = pc.struct_field(pc.extract_regex(
            digits, f"^(?P<p>(?:{md.national_prefix_for_parsing}))"), [0])
        cut = pc.fill_null(pc.utf8_length(found), 0).to_numpy(zero_copy_only=False)
        matched = pc.is_valid(found).to_numpy(zero_copy_only=False)
        if matched.any():
            idx = np.flatnonzero(matched)
            sub = digits.take(pa.array(idx))
            # slice each at its own cut: group by the (few) distinct cut lengths
            parts = np.empty(len(idx), dtype=object)
            for k in np.unique(cut[idx]):
                at = np.flatnonzero(cut[idx] == k)
                parts[at] = pc.utf8_slice_codeunits(sub.take(pa.array(at)), int(k)).to_numpy(
                    zero_copy_only=False)
            short = pa.array(parts, pa.string())
            gen = md.general_desc.national_number_pattern
            viable = _full(sub, gen) if gen else np.zeros(len(idx), dtype=bool)
            still = _full(short, gen) if gen else np.zeros(len(idx), dtype=bool)
            take = ~(viable & ~still)
            short_len = pc.utf8_length(short).to_numpy(zero_copy_only=False)
            pl = list(md.general_desc.possible_length)
            local = list(md.general_desc.possible_length_local_only)
            ok_len = ~np.isin(short_len, local) & (np.isin(short_len, pl) | (
                short_len > (max(pl) if pl else np.iinfo(np.int64).max)))
            take &= ok_len
            full = np.empty(n, dtype=object)
            full[:] = digits.to_numpy(zero_copy_only=False)
            full[idx[take]] = parts[take]
            nsn = pa.array(full, pa.string())
            lengths = pc.utf8_length(nsn).to_numpy(zero_copy_only=False)
    decided &= (lengths >= _MIN_NSN) & (lengths <= _MAX_NSN)
    decided &= ~pc.fill_null(pc.starts_with(nsn, "0"), True).to_numpy(zero_copy_only=False)
    return _valid(cc, nsn, lengths) & decided, decided, cc, nsn


def e164_national(digits: pa.Array, regions: np.ndarray) -> tuple[pa.Array, np.ndarray]:
    """For numbers written as national DIGITS (ASCII) read in the ISO `regions` given per
    number: their E.164 text (null when invalid) and which of them this decided."""
    n = len(digits)
    out = np.full(n, None, dtype=object)
    decided = np.zeros(n, dtype=bool)
    for region in np.unique(regions):
        at = np.flatnonzero(regions == region)
        try:
            ok, done, cc, nsn = _national_one(str(region), digits.take(pa.array(at)))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):  # a pattern RE2 rejects
            continue
        decided[at] = done
        good = np.flatnonzero(ok)
        if good.size:
            text = pc.binary_join_element_wise(pa.scalar(f"+{cc}"), nsn.take(pa.array(good)),
                                               pa.scalar(""))
            out[at[good]] = text.to_numpy(zero_copy_only=False)
    return pa.array(out, pa.string()), decided
