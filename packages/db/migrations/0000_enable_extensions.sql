-- Trigram operator classes back the substring search on users (see users_*_trgm_idx).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
