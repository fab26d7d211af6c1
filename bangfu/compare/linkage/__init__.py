"""Record linkage of a department's file with the registry (数据比对): exact on the ID number, then
probabilistic (Splink on DuckDB) for rows whose ID is missing, invalid or points at nobody.

Plain Python + DuckDB + Splink; no Django. See docs/linkage.md.
"""

from .pipeline import LinkResult, link

__all__ = ["LinkResult", "link"]
