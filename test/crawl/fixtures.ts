import {
  addBitable,
  addDocx,
  addFolder,
  addMedia,
  addShortcut,
  addSpreadsheet,
  block,
  emptyTenant,
  type Tenant,
} from '../fake-feishu/index.js';

/**
 * A small tenant where every kind of reference appears once: a folder with a docx (image, file in a
 * view block, inline file, embedded sheet and bitable, board), a spreadsheet (attachment, embedded
 * image, floating image), an advanced-permission bitable, and a shortcut back to the folder (a cycle).
 */
export function smallTenant() {
  const tenant: Tenant = emptyTenant({ seed: 7 });
  const folder = addFolder(tenant, { name: 'Team' });
  const m = (name: string) => addMedia(tenant, { name }).token;
  const image = m('a.png');
  const file = m('b.pdf');
  const inline = m('c.txt');
  const attachment = m('d.mp4');
  const cellImage = m('e.png');
  const floating = m('f.png');
  const ss = addSpreadsheet(tenant, {
    title: 'Sheet',
    folder: null,
    sheets: [
      {
        rowCount: 20,
        columnCount: 3,
        cells: [
          [0, 0, 'title'],
          [
            4,
            1,
            [{ type: 'attachment', fileToken: attachment, text: 'd.mp4', size: 4096, mimeType: 'video/mp4' }],
          ],
          [9, 2, { type: 'embed-image', fileToken: cellImage, width: 10, height: 10 }],
        ],
        floatImages: [floating],
      },
    ],
  });
  const app = addBitable(tenant, {
    name: 'Base',
    folder: null,
    tables: [{ advancedPerm: true, records: [] }],
  });
  const table = app.tables[0]!;
  const recordMedia = addMedia(tenant, {
    name: 'g.jpg',
    permTable: { appToken: app.appToken, tableId: table.tableId },
  });
  table.records.push({
    recordId: 'recAAAA',
    fields: { [table.fields[1]!.fieldId]: { attachments: [recordMedia.token] } },
    lastModifiedTime: 0,
  });
  const doc = addDocx(tenant, {
    title: 'Doc',
    folder: folder.token,
    content: [
      block.image(image),
      block.file(file, 'b.pdf'),
      block.text('see', { inlineFileToken: inline }),
      block.sheet(ss.token, ss.sheets[0]!.sheetId),
      block.bitable(app.appToken, table.tableId),
    ],
  });
  addShortcut(tenant, {
    name: 'loop',
    targetToken: folder.token,
    targetType: 'folder',
    folder: folder.token,
  });
  return {
    tenant,
    folder,
    doc,
    ss,
    app,
    table,
    tokens: { image, file, inline, attachment, cellImage, floating, record: recordMedia.token },
  };
}

/** Real Feishu moves a document's drive `modified_time` on every edit; the fake's builders leave it to the test. */
export function touch(tenant: Tenant, token: string): void {
  const entry = tenant.drive.get(token);
  if (entry) entry.modifiedTime += 60;
}
