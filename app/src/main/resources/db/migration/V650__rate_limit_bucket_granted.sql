-- How many requests the bucket's last update let through: a batch of one client's requests takes several tokens in
-- one statement (RateLimiter.takeAll, the collect endpoint's group commit), and says here how many it got.
ALTER TABLE rate_limit_bucket ADD COLUMN granted INTEGER NOT NULL DEFAULT 0;
