"""Real-time suggestions: ask the suggesters, show what is new, offer to fill, record it all."""
