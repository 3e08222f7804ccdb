-- Media files were fanned out by the first two characters of their token (media/bo/boxcn…/), which
-- are the same for almost every file (`bo` of `boxcn…`): one folder held them all. They are now
-- fanned out by the token's last two characters, lower-cased (src/naming/media-path.ts, mediaShard;
-- this computes the same for ordinary tokens). Rows move to the new path here; the files move on
-- disk the next time a command opens the output folder for writing (src/download/media-moves.ts),
-- which works through this table and deletes each row once its folder has moved. Only rows whose
-- path is exactly media/<first 2>/<token>/… and whose token ends in two letters or digits move: any
-- other row stays where it is, and its path stays right.
CREATE TABLE media_moves (
  media_id INTEGER PRIMARY KEY REFERENCES media(id),
  from_dir TEXT NOT NULL,                     -- media/<first 2>/<token>, relative to outputDir
  to_dir   TEXT NOT NULL                      -- media/<last 2, lower case>/<token>
);

INSERT INTO media_moves (media_id, from_dir, to_dir)
  SELECT id,
         'media/' || substr(file_token, 1, 2) || '/' || file_token,
         'media/' || lower(substr(file_token, -2)) || '/' || file_token
    FROM media
   WHERE path IS NOT NULL
     AND length(file_token) >= 2
     AND lower(substr(file_token, -2)) GLOB '[a-z0-9][a-z0-9]'
     AND substr(file_token, 1, 2) <> lower(substr(file_token, -2))
     AND substr(path, 1, length(file_token) + 10) = 'media/' || substr(file_token, 1, 2) || '/' || file_token || '/';

UPDATE media
   SET path = (SELECT m.to_dir || substr(media.path, length(m.from_dir) + 1)
                 FROM media_moves m WHERE m.media_id = media.id)
 WHERE id IN (SELECT media_id FROM media_moves);
