"""The fictional Brookvale safeguarding children partnership: a deterministic sample data generator.

Run `python -m sample_data --help`, or call `sample_data.generator.build_sample(engine)`.
"""
