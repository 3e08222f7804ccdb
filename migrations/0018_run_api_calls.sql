-- API calls each run made, crawl and download apart, so a free-plan admin can budget: all custom apps
-- of a free-plan tenant share 10,000 calls a month (over it Feishu answers 99991403;
-- https://open.feishu.cn/document/platform-notices/platform-updates-/custom-app-api-call-limit).
-- Crawl: every listing and content call, retries included (the token call is not counted there, nor
-- here). Download: every download request, Range requests and retries included. NULL for runs
-- recorded before this migration, and for runs that made none of that kind.
ALTER TABLE runs ADD COLUMN api_calls_crawl INTEGER;
ALTER TABLE runs ADD COLUMN api_calls_download INTEGER;
