-- The operators' lists of regions and skills for a joining member (issue 14, item 5): uploaded with each code,
-- sealed under a key derived from the code (network/lists.hpp), which the hub never holds — it keeps only a hash of
-- the code. Kept no longer than the code is open, like the keys beside it (0017).
ALTER TABLE network_enrolments ADD COLUMN lists BYTEA;
