"""Partner data: column mappings of exports, fire and rescue, road collisions, council casework, partner returns."""
