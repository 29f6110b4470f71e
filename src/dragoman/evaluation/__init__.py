"""Evaluation against the shared gold files: Dragoman's own implementations of the reference scorer's rules
(``shared/eval/score.py``), and the tune/check split every ``dragoman eval`` command uses."""
