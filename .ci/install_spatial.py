"""Install DuckDB's spatial extension from the duckdb-extension-spatial wheel (offline)."""

from pathlib import Path

import duckdb
import duckdb_extension_spatial

extension = next(Path(duckdb_extension_spatial.__file__).parent.rglob("spatial.duckdb_extension"))
con = duckdb.connect()
con.execute(f"INSTALL '{extension}'")  # a file path from the wheel, not user input
con.execute("LOAD spatial")
print(f"spatial extension installed from {extension.name}")
