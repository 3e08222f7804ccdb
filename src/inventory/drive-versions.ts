/**
 * Versions of drive files (migration 0011). A drive file keeps its token when someone uploads a new
 * version in Feishu; the listing says when it last changed (drive `modified_time`, wiki
 * `obj_edit_time`), as unix seconds in a string. That string is the file's version.
 */

/** A listing's time as a version, or undefined when it is not plain unix seconds. */
export function listedVersion(seconds: string | undefined): string | undefined {
  return seconds !== undefined && /^\d{1,12}$/.test(seconds) ? seconds : undefined;
}

/**
 * SQL, true when `version` (an SQL expression holding a version, or NULL) is later than the copy a
 * media row holds: the version its download was taken at (`downloaded_version`), or, for rows
 * downloaded before versions were recorded, the time of that download (`downloaded_at`), so a file
 * changed after we fetched it is fetched again and no other one is. NULL (false) without a copy.
 *
 * Later, not different: a file listed in two places (a folder and a wiki node) may carry two
 * slightly different times, and a backup must not fetch it again every night because of that.
 * Refers to `media` columns without an alias.
 */
export function newerThanCopy(version: string): string {
  return `(CAST(${version} AS INTEGER) > COALESCE(CAST(downloaded_version AS INTEGER),
    CAST(strftime('%s', downloaded_at) AS INTEGER)))`;
}
