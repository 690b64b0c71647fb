"""When to try a failed webhook delivery again: exponential backoff with full jitter.

Full jitter (a uniform draw between zero and the exponential cap) spreads the
retries of many deliveries that failed together, for example when a subscriber
came back after an outage, instead of having them all return at the same instant.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass(frozen=True)
class BackoffPolicy:
    """Delays between attempts and when to give up.

    Parameters
    ----------
    base_seconds
        The cap on the first retry's delay; each further retry doubles it.
    max_seconds
        No delay is ever longer than this.
    max_attempts
        After this many failed attempts the delivery is dead.
    rng
        The source of jitter; pass a seeded ``random.Random`` for reproducible delays.
    """

    base_seconds: float
    max_seconds: float
    max_attempts: int
    rng: random.Random = field(default_factory=random.Random, compare=False)

    def __post_init__(self) -> None:
        if self.base_seconds <= 0 or self.max_seconds <= 0:
            raise ValueError("backoff delays must be positive")
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")

    def cap_seconds(self, attempts_made: int) -> float:
        """The longest delay after ``attempts_made`` failed attempts (1 for the first failure)."""
        if attempts_made < 1:
            raise ValueError("attempts_made counts failed attempts and starts at 1")
        # Bound the exponent before computing it: 2.0**2000 overflows a float.
        exponent = min(attempts_made - 1, 64)
        return min(self.max_seconds, self.base_seconds * 2.0**exponent)

    def delay_seconds(self, attempts_made: int) -> float:
        """A jittered delay in ``[0, cap_seconds(attempts_made)]`` before the next attempt."""
        return self.rng.uniform(0.0, self.cap_seconds(attempts_made))

    def gives_up_after(self, attempts_made: int) -> bool:
        """Whether a delivery with ``attempts_made`` failed attempts is dead."""
        return attempts_made >= self.max_attempts
