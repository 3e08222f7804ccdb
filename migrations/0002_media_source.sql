-- Which download endpoint a media token needs: media inside documents (drive/v1/medias/:t/download),
-- a file stored in the drive itself (drive/v1/files/:t/download), or a whiteboard exported as an image
-- (board/v1/whiteboards/:id/download_as_image). Set by the crawl; read by the downloader.
ALTER TABLE media ADD COLUMN source TEXT NOT NULL DEFAULT 'media'; -- media | drive_file | board

-- The scope a crawled document is limited to (an embedded sheet's sheet id, a bitable's table id),
-- and the skip reason of documents the API cannot read (old docs, mind notes, slides).
ALTER TABLE documents ADD COLUMN scope TEXT;
