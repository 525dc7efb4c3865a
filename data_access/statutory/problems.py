"""What is wrong with a statutory file, in sentences a council's data team can act on.

A message may name a child's position in the file and the council's own identifier for it
(LAchildID, CHILD) so the council can find and fix the record; messages are shown on the screen
or the terminal only: they are never written to the store, the audit log or a log file.
"""

from __future__ import annotations

# At most this many problems are listed; the count of the rest is given.
MAX_LISTED = 50


class StatutoryFileProblem(Exception):
    """The file cannot be read as the return it claims to be; nothing is stored."""

    def __init__(self, problems: list[str], more: int = 0) -> None:
        self.problems = problems
        self.more = more
        text = " ".join(problems)
        if more:
            text += f" ... and {more} more problem(s) of the same kinds."
        super().__init__(text)


class ProblemList:
    """Problems found while reading, capped at MAX_LISTED (the rest only counted)."""

    def __init__(self) -> None:
        self.listed: list[str] = []
        self.more = 0

    def add(self, message: str) -> None:
        if len(self.listed) < MAX_LISTED:
            self.listed.append(message)
        else:
            self.more += 1

    def __bool__(self) -> bool:
        return bool(self.listed)

    def raise_if_any(self) -> None:
        if self.listed:
            raise StatutoryFileProblem(self.listed, self.more)
