"""The coder: parsed articles in, event mention records out (see :mod:`dragoman.coder.pipeline`)."""

from dragoman.coder.pipeline import (
    Coder,
    Pipeline,
    code_text,
    default_coder,
    text_article_id,
    time_expressions,
    toponyms,
)

__all__ = ["Coder", "Pipeline", "code_text", "default_coder", "text_article_id", "time_expressions", "toponyms"]
