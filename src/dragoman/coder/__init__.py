"""The coder: parsed articles in, event mention records out (see :mod:`dragoman.coder.pipeline`)."""

from dragoman.coder.pipeline import Coder, code_text, default_coder, text_article_id

__all__ = ["Coder", "code_text", "default_coder", "text_article_id"]
