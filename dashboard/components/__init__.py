"""Reusable display pieces: KPI tiles, Altair charts, RAG badges, summary panels, filters.

`charts` builds `alt.Chart` objects without streamlit, so the board pack can render them too.
"""
