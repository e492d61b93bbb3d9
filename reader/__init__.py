"""newsreader: read, group and compare versions of wire stories in the terminal."""

__version__ = "0.1.0"
