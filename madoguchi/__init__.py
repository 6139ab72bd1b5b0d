"""madoguchi (窓口): answers staff questions about certificate and service fees."""

__version__ = "0.1.0"
