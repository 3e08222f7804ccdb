import { expectedMedia } from '../expected.js';
import type { Tenant } from '../model.js';

/**
 * The owner of a document (docx, spreadsheet or base token) sets "who can create copies, print and
 * download" above the app's role: every media it holds answers 403 on download, and members/auth
 * says the app may view but not print or export. Marks the media the document reaches now.
 */
export function disableDownload(tenant: Tenant, documentToken: string): void {
  const doc =
    tenant.docs.get(documentToken) ?? tenant.sheets.get(documentToken) ?? tenant.bitables.get(documentToken);
  if (!doc) throw new Error(`disableDownload: no docx, spreadsheet or base ${documentToken}`);
  doc.downloadDisabled = true;
  for (const [token, entry] of expectedMedia(tenant)) {
    const media = tenant.media.get(token);
    if (media && entry.docs.includes(documentToken)) media.downloadDisabled = true;
  }
}
