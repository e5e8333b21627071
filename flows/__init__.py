"""counterclaim: who said what, who alleged and who denied, per outlet."""

__version__ = "0.1.0"
