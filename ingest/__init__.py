"""Reading files: spreadsheets (CSV/XLSX within limits), reports, requisitions, planned tables, the data folder."""
