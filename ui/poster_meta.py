"""The poster's texts in this session: an uploaded metadata file (TOML) and edits made
in the app, over the demo study's texts (demo cohort only).

Everything lives in ``st.session_state``: a metadata file is read from memory and
never written anywhere. Edits are kept per language under ``_EDITS`` (a plain session
value, so they survive runs where the text areas are not drawn, e.g. presentation mode).
"""
from __future__ import annotations

import streamlit as st

from core.i18n import LANG_NAMES, t
from core.poster import EDITABLE, POSTER_FILE, apply_edits, edit_text, load_poster
from core.poster_meta import read_poster_meta
from ui.widgets import uploader_words

UPLOAD_KEY = "poster_meta_upload"
_LIMIT_MB = 1  # a poster text file is a few kilobytes
_META = "_poster_meta"
_NAME = "_poster_meta_name"
_ISSUES = "_poster_meta_issues"
_EDITS = "_poster_edits"
_FIELD = "poster_edit_"
_EXAMPLE = POSTER_FILE.with_suffix(".toml")


def poster_meta(lang: str, is_demo: bool) -> dict:
    """The poster's texts in ``lang``: the uploaded file's, else the demo study's (demo
    cohort only: an uploaded cohort is another study), with this session's edits."""
    return apply_edits(poster_meta_base(lang, is_demo), st.session_state.get(_EDITS, {}).get(lang, {}), lang)


def meta_controls(lang: str, is_demo: bool) -> None:
    """The "Poster texts" expander: upload a TOML file, or edit the texts in ``lang``."""
    issues = st.session_state.get(_ISSUES)
    with st.expander(t("poster.meta.title", lang), icon=":material/edit_note:", expanded=bool(issues)):
        st.caption(t("poster.meta.intro", lang))
        st.file_uploader(t("poster.meta.upload", lang), type=["toml"], key=UPLOAD_KEY, max_upload_size=_LIMIT_MB,
                         on_change=_on_upload, help=t("poster.meta.upload_help", lang))
        uploader_words(UPLOAD_KEY, lang, ["toml"], _LIMIT_MB)
        if issues:
            st.error(t("poster.meta.invalid", lang), icon=":material/error:")
            # Plain text: the messages quote the file's field names.
            st.text("\n".join(f"- {issue.text(lang)}" for issue in issues))
        elif st.session_state.get(_META) is not None:
            st.caption(t("poster.meta.loaded", lang))
            st.text(st.session_state.get(_NAME, ""))
        st.download_button(t("poster.meta.example", lang), data=_EXAMPLE.read_bytes(), file_name=_EXAMPLE.name,
                           mime="application/toml", icon=":material/download:", on_click="ignore",
                           key="poster_meta_example")
        _edit_fields(lang, is_demo)


def _edit_fields(lang: str, is_demo: bool) -> None:
    st.subheader(t("poster.meta.edit", lang, language=LANG_NAMES[lang]))
    base = poster_meta_base(lang, is_demo)
    edits = st.session_state.get(_EDITS, {}).get(lang, {})
    for field in EDITABLE:
        key = f"{_FIELD}{lang}_{field}"
        # Seeded from the edit (or the file's text) whenever the widget is drawn anew.
        st.session_state.setdefault(key, edits.get(field, edit_text(base, field, lang)))
        height = 68 if field in ("title", "centres") else 120
        st.text_area(t(f"poster.field.{field}", lang), key=key, height=height,
                     on_change=_on_edit, args=(lang, field, key))
    st.button(t("poster.meta.reset", lang), key="poster_edit_reset", on_click=reset_edits,
              disabled=not edits, icon=":material/undo:")


def poster_meta_base(lang: str, is_demo: bool) -> dict:
    """The texts before this session's edits."""
    meta = st.session_state.get(_META)
    if meta is not None:
        return meta.view(lang)
    return load_poster(lang) if is_demo else {}


def reset_edits() -> None:
    """Forget every edit; the text areas are seeded again from the file's texts."""
    st.session_state.pop(_EDITS, None)
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(_FIELD)]:
        del st.session_state[key]


def _on_edit(lang: str, field: str, key: str) -> None:
    st.session_state.setdefault(_EDITS, {}).setdefault(lang, {})[field] = st.session_state[key]


def _on_upload() -> None:
    uploaded = st.session_state.get(UPLOAD_KEY)
    if uploaded is None:
        # The file was removed: back to the default texts.
        for key in (_META, _NAME, _ISSUES):
            st.session_state.pop(key, None)
        reset_edits()
        return
    meta = read_poster_meta(uploaded.getvalue())
    if meta.ok:
        st.session_state[_META] = meta
        st.session_state[_NAME] = uploaded.name
        st.session_state.pop(_ISSUES, None)
        # The new file's texts replace the edits of the previous ones.
        reset_edits()
    else:
        st.session_state[_ISSUES] = meta.issues
