"""Page language data both paths read: furniture phrases and removal reasons, function words,
month names and dates, and the rules for a person's name."""
