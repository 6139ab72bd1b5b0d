"""Pure fee calculators: typed inputs in, frozen results out. No Slack, no text parsing."""
