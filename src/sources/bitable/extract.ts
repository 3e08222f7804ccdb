import { documentedExtra } from '../../feishu/bitable-extra.js';
import type { FoundRef } from '../../inventory/media-refs.js';
import type { Unbackable } from '../../inventory/unbackable.js';

export interface Attachment {
  file_token?: string;
  name?: string;
  size?: number;
  type?: string;
  url?: string;
}

export interface BitableRecord {
  record_id: string;
  fields?: Record<string, unknown>;
}

/**
 * The `extra` a download of this attachment needs: the server's own, from the `extra` query of the
 * attachment's `url` (percent-decoded), or else the documented `attachments` form naming the cell. The
 * downloader falls back to the documented form when the server's is refused (src/download/extra-choice.ts).
 * https://open.feishu.cn/document/server-docs/docs/drive-v1/media/introduction
 */
export function attachmentExtra(
  attachment: Attachment,
  cell: { tableId: string; fieldId: string; recordId: string },
): string | undefined {
  if (attachment.url && URL.canParse(attachment.url)) {
    // URLSearchParams decodes the percent-encoding, giving the JSON as the server wrote it.
    const fromServer = new URL(attachment.url).searchParams.get('extra');
    if (fromServer) return fromServer;
  }
  if (!attachment.file_token) return undefined;
  return documentedExtra({ ...cell, fileToken: attachment.file_token });
}

/**
 * Attachments in a page of records. `fields` is keyed by field name, so names are mapped to the
 * ids the `extra` and the location use.
 */
export function extractRecords(
  tableId: string,
  attachmentFields: ReadonlyMap<string, string>,
  records: readonly BitableRecord[],
): FoundRef[] {
  const refs: FoundRef[] = [];
  for (const record of records) {
    for (const [name, value] of Object.entries(record.fields ?? {})) {
      const fieldId = attachmentFields.get(name);
      if (!fieldId || !Array.isArray(value)) continue;
      for (const a of value as Attachment[]) {
        if (!a || typeof a.file_token !== 'string' || !a.file_token) continue;
        refs.push({
          fileToken: a.file_token,
          location: `${record.record_id}/${fieldId}`,
          kind: 'bitable_attachment',
          name: a.name,
          size: typeof a.size === 'number' ? a.size : undefined,
          mimeType: a.type,
          extra: attachmentExtra(a, { tableId, fieldId, recordId: record.record_id }),
        });
      }
    }
  }
  return refs;
}

/**
 * Attachments in a page of records that `extractRecords` cannot download: values without a
 * `file_token`, located as `<recordId>/<fieldId>[i]` (the docs describe every attachment with one, but
 * do not promise it: counted rather than dropped).
 */
export function unbackableRecords(
  attachmentFields: ReadonlyMap<string, string>,
  records: readonly BitableRecord[],
): Unbackable[] {
  const out: Unbackable[] = [];
  for (const record of records) {
    for (const [name, value] of Object.entries(record.fields ?? {})) {
      const fieldId = attachmentFields.get(name);
      if (!fieldId || !Array.isArray(value)) continue;
      (value as unknown[]).forEach((a, i) => {
        if (!a || typeof a !== 'object') return;
        const token = (a as Attachment).file_token;
        if (typeof token === 'string' && token) return;
        out.push({
          location: `${record.record_id}/${fieldId}[${i}]`,
          kind: 'bitable_attachment',
          reason: 'no_token',
        });
      });
    }
  }
  return out;
}
