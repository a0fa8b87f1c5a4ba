"""Pure computation over validated designs: no I/O, no clock, no printing."""
