/**
 * The two forms of a bitable attachment's `extra` (the `?extra=` of a media download), both
 * `{"bitablePerm":{"tableId":…}}`: the server's own, `{tableId, rev}`, which the attachment `url`
 * carries, and the documented `{tableId, attachments: {fieldId: {recordId: [fileToken]}}}`, which
 * the media introduction page calls required for advanced-permission bases.
 * https://open.feishu.cn/document/server-docs/docs/drive-v1/media/introduction
 */
export type ExtraForm = 'server' | 'attachments';

/** The documented form naming the cell that holds the file (field and record ids, not names). */
export function documentedExtra(cell: {
  tableId: string;
  fieldId: string;
  recordId: string;
  fileToken: string;
}): string {
  return JSON.stringify({
    bitablePerm: {
      tableId: cell.tableId,
      attachments: { [cell.fieldId]: { [cell.recordId]: [cell.fileToken] } },
    },
  });
}

/** The table an `extra` names and its form; undefined for anything else. */
export function parseExtra(extra: string): { tableId: string; form: ExtraForm } | undefined {
  try {
    const perm = (JSON.parse(extra) as { bitablePerm?: { tableId?: unknown; attachments?: unknown } } | null)
      ?.bitablePerm;
    if (typeof perm?.tableId !== 'string') return undefined;
    return { tableId: perm.tableId, form: perm.attachments ? 'attachments' : 'server' };
  } catch {
    return undefined;
  }
}
