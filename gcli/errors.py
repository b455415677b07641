"""Exceptions with a meaning for the command line.

:class:`InputError` is any problem with what the user asked for; the CLI prints its message on one line and exits
with status 2. Its kinds say which problem it is (catching :class:`InputError` still catches them all):

* :class:`ImpossibleParameters` — no object with these parameters exists or they contradict each other (s ≥ n,
  no design with these parameters, a field too small for the points a scheme needs);
* :class:`NotSupported` — the request makes sense but gcli does not do it (a real-only analysis over GF(q), a
  decoder a kind of code does not have);
* :class:`OverLimit` — above one of gcli's size limits (:mod:`gcli.io.limits`, the field policy), which an
  environment variable or a smaller request avoids;
* :class:`BadFile` — a file (or standard input) that cannot be read as what it claims to be: malformed JSON,
  schema violations, inconsistent contents.

:class:`InconsistentMessages` is a decoder's refusal: the received messages agree with no codeword within the
code's error budget, so no sum can be trusted (``gcli verify --simulate`` counts it as "refused" and exits 1 when a
trial within the budget refuses).
"""

from __future__ import annotations

__all__ = ["BadFile", "ImpossibleParameters", "InconsistentMessages", "InputError", "NotSupported", "OverLimit"]


class InputError(ValueError):
    """Bad input: impossible parameters, a malformed or invalid file, an unsupported field (the kinds below)."""


class ImpossibleParameters(InputError):
    """The parameters describe nothing that exists, or contradict each other."""


class NotSupported(InputError):
    """A meaningful request gcli does not carry out (for this kind of code or field)."""


class OverLimit(InputError):
    """Above a size limit of gcli (raise it through its environment variable, or ask for less)."""


class BadFile(InputError):
    """A file that is not what it claims to be: unreadable, malformed, against the schema or inconsistent."""


class InconsistentMessages(InputError):
    """A decoder refuses: more received messages disagree with every codeword than the budget a allows.

    ``count`` is a lower bound on the number of inconsistent messages (at least a + 1 when a is the budget);
    ``budget`` the number of errors the decoder corrects. The message reads "cannot decode: N inconsistent
    messages …". Decoders raise it instead of returning a sum the received words would expose as wrong.
    """

    def __init__(self, count: int, budget: int, detail: str = "") -> None:
        self.count = int(count)
        self.budget = int(budget)
        text = f"cannot decode: {self.count} inconsistent messages (the decoder corrects at most {self.budget})"
        super().__init__(text + (f": {detail}" if detail else ""))
