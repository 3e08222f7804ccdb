-- Which identity last saw each document: 'tenant' (the app's token) or 'user:<open_id>' (a
-- signed-in person, "auth": "user"). A user sees more than the app, so an audit can tell why a
-- document is in the backup; `export` reports it per source. NULL for documents seen before this.
ALTER TABLE documents ADD COLUMN seen_as TEXT;
