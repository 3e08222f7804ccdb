-- Documents that vanish from their root are marked gone (documents.status = 'gone'), as media
-- references already are. A document can be found in several places (a shortcut, a wiki shortcut
-- node, a sheet embedded in two docs), so whether it is still there is a question about every place:
-- one row per parent -> child found, kept like media_refs. A complete read of the parent (a folder
-- listed to its last page, a docx read to its last block) marks gone the links it no longer lists;
-- the crawl then marks gone the documents no root reaches through live links any more.

CREATE TABLE document_links (
  parent_id      INTEGER NOT NULL REFERENCES documents(id),
  child_id       INTEGER NOT NULL REFERENCES documents(id),
  first_seen_run INTEGER REFERENCES runs(id),
  last_seen_run  INTEGER REFERENCES runs(id),
  gone_run       INTEGER REFERENCES runs(id),  -- the run whose complete read of the parent missed it
  PRIMARY KEY (parent_id, child_id)
) WITHOUT ROWID;
CREATE INDEX document_links_child ON document_links(child_id);

-- Earlier crawls recorded one parent per document (the first finder): start from those.
INSERT INTO document_links (parent_id, child_id, first_seen_run, last_seen_run)
  SELECT parent_id, id, first_seen_run, last_seen_run FROM documents
   WHERE parent_id IS NOT NULL AND parent_id != id;

-- The document a root stands for, where reachability starts. Kept for roots no longer configured
-- too, so what they found is not taken for gone just because the config changed.
ALTER TABLE roots ADD COLUMN document_id INTEGER REFERENCES documents(id);
UPDATE roots SET document_id =
  (SELECT d.id FROM documents d WHERE d.root_id = roots.id AND d.parent_id IS NULL ORDER BY d.id LIMIT 1);

-- The run that found a document gone (NULL while it is not); it is live again once seen again.
ALTER TABLE documents ADD COLUMN gone_run INTEGER REFERENCES runs(id);
