"""Analysis stage, over the store: stories (one per real-world happening) and count claims."""
