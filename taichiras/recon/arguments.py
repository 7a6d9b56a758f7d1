"""Validated argparse types of the reconstruction programs: bad values are argparse errors
(one line, exit code 2) before anything runs."""
import argparse
import math


def _number(cast, test, what):
    def parse(text):
        try:
            value = cast(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
        if not test(value):
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}")
        return value
    parse.__name__ = what
    return parse


count = _number(int, lambda v: v >= 1, "an integer >= 1")
positive = _number(float, lambda v: math.isfinite(v) and v > 0, "a finite number > 0")
