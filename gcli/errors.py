"""Exceptions with a meaning for the command line.

:class:`InputError` is any problem with what the user asked for (impossible parameters, malformed files, the
wrong field); the CLI prints its message on one line and exits with status 2. :class:`InconsistentMessages` is a
decoder's refusal: the received messages agree with no codeword within the code's error budget, so no sum can be
trusted (``gcli verify --simulate`` counts it as "refused" and exits 1 when a trial within the budget refuses).
"""

from __future__ import annotations

__all__ = ["InconsistentMessages", "InputError"]


class InputError(ValueError):
    """Bad input: impossible parameters, a malformed or invalid file, an unsupported field."""


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
