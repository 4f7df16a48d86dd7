"""scorecard: privacy policies turned into graded scorecards, with the sentences that prove every point."""

__version__ = "0.1.0"
