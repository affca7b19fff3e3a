"""Streamlit glue: session state, language, navigation, shared widgets.

Dependencies point one way: pages -> ui -> core. Apart from pages/, this is the only
package that imports streamlit.
"""
