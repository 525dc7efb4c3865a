"""The Streamlit app: navigation, sign-in, shared components and calculations."""
