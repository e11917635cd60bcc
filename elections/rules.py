"""The election rules of domain.md section 1, as exact integer comparisons.

- The meeting is valid only when the voting members present are more than 4/5 of those who
  should attend: present * 5 > should * 4 (20 should attend: 16 present is not enough, 17 is).
- Committee members are elected by a differential ballot: more candidates than seats, and
  at least the rules' share more (20 % by default: 5 seats need 6 candidates).
- A candidate is elected with yes votes from more than half of those who should attend (or,
  by the older rule the rules page can choose, of those present): 20 should attend, 10 yes
  votes are not enough, 11 are.
"""

import math

SHOULD, PRESENT = "should", "present"


def quorum_met(should: int, present: int) -> bool:
    return should > 0 and present * 5 > should * 4


def fewest_candidates(seats: int, more_percent: int) -> int:
    """Candidates a differential ballot needs: more than the seats, and at least
    `more_percent` more (rounded up to a whole candidate)."""
    if seats == 0:
        return 0
    return max(seats + 1, math.ceil(seats * (100 + more_percent) / 100))


def majority_of(should: int, present: int, base: str) -> int:
    """The number the yes votes must exceed twice over: those who should attend, or (the
    older rule) those present."""
    return present if base == PRESENT else should


def is_elected(yes: int, base: int) -> bool:
    return yes * 2 > base
