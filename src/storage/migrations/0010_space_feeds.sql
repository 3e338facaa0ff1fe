-- A space's calendar feed lives at a secret URL: the token is kept sealed (to show the URL again to those who
-- may see the space) and hashed (to find the space when the feed is fetched). Rotating it revokes the old URL.
ALTER TABLE spaces ADD COLUMN feed_token BYTEA;
ALTER TABLE spaces ADD COLUMN feed_token_hash TEXT;
CREATE INDEX spaces_by_feed ON spaces (feed_token_hash);
