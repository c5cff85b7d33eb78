"""Drawing: org charts, change charts and timelines (matplotlib, imported inside functions)."""
