"""Reference data: where the bundled data lives, the three cities and their districts, GB/T 4754 industry
codes, the curated industry chains, and unified social credit codes.

The bottom layer of ``matchmaking``: everything above may import it, it imports nothing of the project.
Tables are read once per process from ``data/reference`` (its README names the sources).
"""

from . import credit_code
from .chains import Chains, Segment, chain_of_code, chain_order, chains, chains_named, chains_of
from .industries import Industries, industries
from .paths import app_path, data_dir, default_db_path, demo_dir, read_reference, reference_dir
from .places import CITIES, CITY_ZH, District, DistrictMatch, Regions, fold, regions

__all__ = [
    "CITIES",
    "CITY_ZH",
    "District",
    "DistrictMatch",
    "Regions",
    "regions",
    "fold",
    "Industries",
    "industries",
    "Segment",
    "Chains",
    "chains",
    "chain_of_code",
    "chain_order",
    "chains_of",
    "chains_named",
    "credit_code",
    "data_dir",
    "reference_dir",
    "demo_dir",
    "default_db_path",
    "app_path",
    "read_reference",
]
