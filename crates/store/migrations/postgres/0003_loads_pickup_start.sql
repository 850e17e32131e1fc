-- Loads by the opening of their pickup window, per region: the matching service selects the
-- loads whose pickup opened in a range of days (the outlook learned from past loads). The indexed
-- expression and collation are exactly the ones the store writes for a filter on
-- `pickup_window.start` (text compared bytewise, COLLATE "C").
CREATE INDEX loads_pickup_start ON loads (region, (body #>> '{pickup_window,start}') COLLATE "C");
