"""juesuan (决算公开助手): a department's annual final-accounts disclosure, filled, checked and narrated."""

__version__ = "0.1.0"
