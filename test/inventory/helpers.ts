import { type Db, openInventory } from '../../src/inventory/open.js';

/**
 * An in-memory inventory holding two roots and their documents, no media: a drive folder `Team`
 * (root 1; its listing gave URLs on the tenant's domain) with a base `Roadmap` (table `Tasks`, id 3)
 * and a spreadsheet `Budget` (id 4), and a wiki space `Handbook` (root 2) whose page `Onboarding`
 * holds a docx (id 7). Tests add their media and change what they are about.
 */
export function teamAndHandbook(): Db {
  const db = openInventory(':memory:');
  db.exec(`
    INSERT INTO roots (id, spec, kind, token) VALUES (1, 'folder:fldTeam', 'folder', 'fldTeam'),
                                                     (2, 'wiki:7001', 'wiki', '7001');
    INSERT INTO documents (id, type, token, title, url, root_id, status) VALUES
      (1, 'folder', 'fldTeam', 'Team', 'https://acme.feishu.cn/drive/folder/fldTeam', 1, 'done'),
      (2, 'bitable', 'bascnApp', 'Roadmap', 'https://acme.feishu.cn/base/bascnApp', 1, 'done'),
      (3, 'bitable_table', 'bascnApp_tblTasks', 'Tasks', NULL, 1, 'done'),
      (4, 'sheet', 'shtcnBudget', 'Budget', 'https://acme.feishu.cn/sheets/shtcnBudget', 1, 'done'),
      (5, 'wiki_space', '7001', 'Handbook', NULL, 2, 'done'),
      (6, 'wiki_node', 'wikcnPage', 'Onboarding', NULL, 2, 'done'),
      (7, 'docx', 'doxcnOnb', 'Onboarding', NULL, 2, 'done');
    INSERT INTO document_links (parent_id, child_id) VALUES (1, 2), (2, 3), (1, 4), (5, 6), (6, 7);
    UPDATE roots SET document_id = CASE id WHEN 1 THEN 1 ELSE 5 END;`);
  return db;
}
