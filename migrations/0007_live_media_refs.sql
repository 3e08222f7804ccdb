-- The downloader leaves out files whose every reference is gone (their documents deleted from Feishu):
-- for each row it would fetch it asks "does any document still show this file?". This index answers
-- from the index alone (media_id = ? AND gone_at IS NULL), where the UNIQUE (media_id, document_id,
-- location) index had to read each reference row to see its gone_at.
CREATE INDEX media_refs_live ON media_refs(media_id, gone_at);
