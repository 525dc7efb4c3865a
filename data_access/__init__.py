"""Everything that touches the SQL store: models, migrations, queries. Never imports streamlit."""
