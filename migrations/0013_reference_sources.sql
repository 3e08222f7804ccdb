-- Where a parent holds a document it leads to (the source document of a synced block, a base
-- referenced by a block, a base embedded in a spreadsheet as one of its sheets): `<how>:<where>`,
-- e.g. `reference_synced:<blockId>` or `sheet:<sheetId>`. NULL for plain listings (folders, wiki).
ALTER TABLE document_links ADD COLUMN via TEXT;

-- Which form of `extra` a table's downloads took (migration 0010 learnt only that a table needs its
-- own): 'server', the `{"bitablePerm":{"tableId","rev"}}` the attachment url carries, or
-- 'attachments', the documented `{"bitablePerm":{"tableId","attachments":{fld:{rec:[token]}}}}`.
-- NULL: learnt before this column, taken as 'server' (the only form sent then).
ALTER TABLE advanced_tables ADD COLUMN form TEXT;
