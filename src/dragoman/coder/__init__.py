"""The coder: from article text to coded event mentions."""
