"""Benchmarks: page render times, import speed and board-pack generation, at several data sizes."""
