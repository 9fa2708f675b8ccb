"""Layer 5, checks that lint and status share: the re-runs of the commands records say verify them
(`verify`, lint's FIL012-FIL013 and status), commits no record names (`unlogged`, lint's FIL011 and the
agents' stop hook), and the `Finding` that status reports (`findings`, also the claim audit's)."""
