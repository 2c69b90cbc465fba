"""Deep-link shim (see app.py): never a page of its own, it runs the app's frame.

Streamlit runs top-level pages/*.py as legacy pages until st.navigation has run once in the process.
When a shared link to this URL is the first request after a restart, this file is what Streamlit
runs: it hands over to app.py, whose st.navigation then shows the real page under this URL.
"""

import runpy
from pathlib import Path

runpy.run_path(str(Path(__file__).resolve().parent.parent / "app.py"), run_name="__main__")
