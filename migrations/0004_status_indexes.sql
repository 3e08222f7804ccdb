-- An index for the operator's `status`: documents counted by type and state from the index alone,
-- not a scan of every document row. (Failed media are already found through media_download_queue,
-- whose first column is status.)
CREATE INDEX documents_type_status ON documents(type, status);
