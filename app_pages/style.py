"""How the app draws things: one colour per city and per relation on every chart and map."""

__all__ = ["CITY_COLOURS", "RELATION_COLOURS"]

CITY_COLOURS = {"Shanghai": "#e15759", "Suzhou": "#4e79a7", "Nantong": "#59a14f"}
RELATION_COLOURS = {"supplier": "#4e79a7", "customer": "#76b7b2", "rd_partner": "#b07aa1",
                    "production_base": "#f28e2b", "investor": "#59a14f", "investment_opportunity": "#edc948"}
