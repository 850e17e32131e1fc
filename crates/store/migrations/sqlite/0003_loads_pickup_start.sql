-- Loads by the opening of their pickup window, per region: the matching service selects the
-- loads whose pickup opened in a range of days (the outlook learned from past loads). The indexed
-- expression is exactly the one the store writes for a filter on `pickup_window.start`.
CREATE INDEX loads_pickup_start ON loads (region, json_extract(body, '$.pickup_window.start'));
