"""Data page: upload the cohort files and read the validation report."""
import streamlit as st

from core.i18n import t
from ui import forget, hidden_sheets, identifiers, state, widgets
from ui.lang import current_lang
from ui.nav import require_shell

require_shell()  # first: a shared link on a fresh server may run this page alone
lang = current_lang()
st.title(t("upload.title", lang))
st.write(t("upload.intro", lang))
widgets.template_download(lang)

st.file_uploader(
    t("upload.label", lang),
    type=list(state.UPLOAD_TYPES),
    accept_multiple_files=True,
    key=state.uploader_key(),
    help=t("upload.help", lang),
    on_change=state.on_upload_change,
)
widgets.uploader_words(state.uploader_key(), lang, state.UPLOAD_TYPES, st.get_option("server.maxUploadSize"))
st.caption(t("upload.privacy", lang))

active = state.active_cohort()
if active.is_demo:
    st.info(t("upload.demo_active", lang), icon=":material/science:")
else:
    # Plain text: file names come from the user.
    st.text(t("upload.current", lang, names=", ".join(active.names)))
    # Everything the upload left in the session goes with it (as "Forget my data" does).
    st.button(t("upload.back_to_demo", lang), on_click=forget.forget_my_data, icon=":material/undo:")
    hidden_sheets.hidden_sheets_option(active, lang)
    identifiers.identifier_panel(active, lang)

widgets.show_report(active.report, lang)
