"""The checks validate_table runs on a return, one module per group, vectorised over every row."""
