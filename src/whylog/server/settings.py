"""What one `whylog serve` process was told: the repo, who may ask, and whether writes are allowed."""

from __future__ import annotations

from dataclasses import dataclass

from whylog.repo import Config

LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


@dataclass(frozen=True)
class ServeSettings:
    config: Config  # the repo served
    host: str = "127.0.0.1"
    port: int = 8765
    token: str | None = None  # when set, every request must carry it
    write: bool = False  # POST /api/v1/records (and the add form) only when True

    @property
    def loopback(self) -> bool:
        return self.host in LOOPBACK
