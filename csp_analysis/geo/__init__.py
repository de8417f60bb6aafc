"""Geography: boundaries and lookups, wards, and selecting partner records by area."""
