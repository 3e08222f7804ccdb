import type { Bitable, BitableField, BitableTable, StoredFieldValue, Tenant } from '../model.js';
import { EPOCH_SECONDS, idRng, type Placement, place } from './tenant.js';

export interface TableSpec {
  name?: string;
  advancedPerm?: boolean;
  /** Which `extra` forms downloads of its media accept (model.ts). @default 'both' */
  extraForms?: 'both' | 'attachments';
  /** Field names and types; an attachment field is type 17. @default a text field and an attachment field */
  fields?: { name: string; type: number }[];
  /** Records as field name -> value; attachment values are arrays of media tokens. */
  records?: Record<string, string | number | boolean | string[] | null>[];
}

const UI_TYPES: Record<number, string> = {
  1: 'Text',
  2: 'Number',
  3: 'SingleSelect',
  7: 'Checkbox',
  17: 'Attachment',
};

export function addBitable(
  tenant: Tenant,
  options: {
    name: string;
    tables?: TableSpec[];
    folder?: Placement;
    /** `is_advanced` of the base. @default any table's advancedPerm */
    advanced?: boolean;
    /** Whether the app has manage rights on it (model.ts). @default true */
    appCanManage?: boolean;
  },
): Bitable {
  const rng = idRng(tenant);
  const appToken = rng.token('bascn');
  const app: Bitable = { appToken, name: options.name, access: 'ok', tables: [] };
  if (options.advanced !== undefined) app.advanced = options.advanced;
  if (options.appCanManage !== undefined) app.appCanManage = options.appCanManage;
  tenant.bitables.set(appToken, app);
  for (const spec of options.tables ?? [{}]) addTable(tenant, app, spec);
  place(tenant, appToken, options.name, 'bitable', options.folder ?? 'root');
  return app;
}

export function addTable(tenant: Tenant, app: Bitable, spec: TableSpec): BitableTable {
  const rng = idRng(tenant);
  const fieldSpecs = spec.fields ?? [
    { name: '名称', type: 1 },
    { name: '附件', type: 17 },
  ];
  const fields: BitableField[] = fieldSpecs.map((f) => ({
    fieldId: rng.token('fld', 10),
    fieldName: f.name,
    type: f.type,
    uiType: UI_TYPES[f.type] ?? 'Text',
  }));
  const table: BitableTable = {
    tableId: rng.token('tbl', 13),
    name: spec.name ?? `数据表${app.tables.length + 1}`,
    revision: 1,
    advancedPerm: spec.advancedPerm ?? false,
    ...(spec.extraForms ? { extraForms: spec.extraForms } : {}),
    fields,
    records: [],
  };
  app.tables.push(table);
  for (const values of spec.records ?? []) addRecord(tenant, app, table, values);
  return table;
}

export function addRecord(
  tenant: Tenant,
  app: Bitable,
  table: BitableTable,
  values: Record<string, string | number | boolean | string[] | null>,
): void {
  const fields: Record<string, StoredFieldValue> = {};
  for (const [name, value] of Object.entries(values)) {
    const field = table.fields.find((f) => f.fieldName === name);
    if (!field) throw new Error(`addRecord: table ${table.tableId} has no field named ${name}`);
    if (field.type === 17) {
      const tokens = (value as string[] | null) ?? [];
      fields[field.fieldId] = { attachments: tokens };
      for (const token of tokens) {
        const media = tenant.media.get(token);
        if (media && table.advancedPerm) media.permTable = { appToken: app.appToken, tableId: table.tableId };
      }
    } else {
      fields[field.fieldId] = value as StoredFieldValue;
    }
  }
  table.records.push({
    recordId: idRng(tenant).token('rec', 10),
    fields,
    lastModifiedTime: (EPOCH_SECONDS - idRng(tenant).int(0, 86400 * 90)) * 1000,
  });
}
