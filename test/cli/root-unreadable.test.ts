import { describe, expect, it } from 'vitest';
import {
  addDocx,
  addMedia,
  block,
  emptyTenant,
  type FakeFeishu,
  startFakeFeishu,
} from '../fake-feishu/index.js';
import { runCli, tempDir, writeConfig } from './helpers.js';

let fake: FakeFeishu | undefined;

describe('a root that cannot be read', () => {
  it('ends a backup with exit 7, not 3: the root is named, the other roots are backed up', async () => {
    const tenant = emptyTenant({ seed: 42 });
    const shared = addDocx(tenant, {
      title: 'Shared',
      folder: null,
      content: [block.image(addMedia(tenant).token)],
    });
    const hidden = addDocx(tenant, { title: 'Hidden', folder: null });
    tenant.docs.get(hidden.documentId)!.access = 'forbidden';
    fake = await startFakeFeishu({ tenant });
    const dir = tempDir();
    const roots = [
      { type: 'docx', token: shared.documentId },
      { type: 'docx', token: hidden.documentId },
    ];
    const r = await runCli(['backup', '--config', writeConfig(dir, fake, { roots })]);
    expect(r.code, r.stdout + r.stderr).toBe(7);
    expect(r.stdout).toMatch(/a root could not be read at all/);
    expect(r.stdout + r.stderr).toContain(hidden.documentId);
    expect(fake.requestsTo('media.download').map((q) => q.status)).toEqual([200]);
  });
});
