"""Pure calculations behind the dashboard: RAG, change, SPC, narrative and the scorecard.

Nothing here imports streamlit, so the board pack and tests can call it directly.
"""
