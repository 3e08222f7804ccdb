import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { FeishuClient } from '../../src/feishu/client.js';
import {
  addDriveFile,
  addFolder,
  addMedia,
  addWikiNode,
  addWikiSpace,
  emptyTenant,
  type FakeFeishu,
  mediaBytes,
  mediaContentKey,
  startFakeFeishu,
  uploadNewVersion,
} from './index.js';

let fake: FakeFeishu | undefined;

async function getJson(url: string, token: string): Promise<{ data: Record<string, unknown> }> {
  const res = await request(url, { headers: { authorization: `Bearer ${token}` } });
  return (await res.body.json()) as { data: Record<string, unknown> };
}

async function getBytes(url: string, token: string): Promise<{ body: Buffer; disposition: string }> {
  const res = await request(url, { headers: { authorization: `Bearer ${token}` } });
  return {
    body: Buffer.from(await res.body.arrayBuffer()),
    disposition: String(res.headers['content-disposition']),
  };
}

describe('uploadNewVersion (a drive file gets a new version under the same token)', () => {
  it('changes the bytes served, the drive listing modified_time and the wiki obj_edit_time, nothing else', async () => {
    const tenant = emptyTenant({ seed: 5 });
    const folder = addFolder(tenant, { name: 'Team' });
    const file = addDriveFile(tenant, { name: 'a.pdf', size: 1000, folder: folder.token });
    const other = addDriveFile(tenant, { name: 'b.pdf', size: 1000, folder: folder.token });
    const space = addWikiSpace(tenant, { name: 'Wiki' });
    const node = addWikiNode(tenant, space, { objToken: file.token, objType: 'file', title: 'a.pdf' });
    fake = await startFakeFeishu({ tenant });
    const token = await new FeishuClient({
      appId: fake.appId,
      appSecret: fake.appSecret,
      baseUrl: fake.url,
    }).token();
    const download = `${fake.url}/open-apis/drive/v1/files/${file.token}/download`;
    const listing = `${fake.url}/open-apis/drive/v1/files?folder_token=${folder.token}`;
    const nodes = `${fake.url}/open-apis/wiki/v2/spaces/${space.spaceId}/nodes`;
    const v1 = (await getBytes(download, token)).body;
    expect(v1.equals(mediaBytes(5, file.token, 0, 1000))).toBe(true);
    const before = tenant.drive.get(file.token)!.modifiedTime;
    const latest = Math.max(before, node.objEditTime);

    uploadNewVersion(tenant, file.token, { size: 1200, name: 'a (final).pdf' });
    expect(file.version).toBe(2);
    expect(mediaContentKey(file)).toBe(`${file.token}@v2`);
    const v2 = await getBytes(download, token);
    expect(v2.body.length).toBe(1200);
    expect(v2.body.equals(mediaBytes(5, `${file.token}@v2`, 0, 1200))).toBe(true);
    expect(v2.body.subarray(0, 1000).equals(v1)).toBe(false);
    expect(v2.disposition).toContain('filename="a (final).pdf"');
    const files = (await getJson(listing, token)).data.files as {
      token: string;
      name: string;
      modified_time: string;
    }[];
    expect(files.find((f) => f.token === file.token)).toMatchObject({
      name: 'a (final).pdf',
      modified_time: String(latest + 60),
    });
    expect(files.find((f) => f.token === other.token)!.modified_time).toBe(
      String(tenant.drive.get(other.token)!.modifiedTime),
    );
    const items = (await getJson(nodes, token)).data.items as { obj_token: string; obj_edit_time: string }[];
    expect(items[0]).toMatchObject({ obj_token: file.token, obj_edit_time: String(latest + 60) });
    expect(fake.expectedMedia().get(file.token)!.sha256).not.toBe(
      fake.expectedMedia().get(other.token)!.sha256,
    );

    uploadNewVersion(tenant, file.token, { at: latest + 3600 });
    expect(tenant.drive.get(file.token)!.modifiedTime).toBe(latest + 3600);
    expect((await getBytes(download, token)).body.equals(mediaBytes(5, `${file.token}@v3`, 0, 1200))).toBe(
      true,
    );
  });

  it('is strict: only drive files have versions, and a version never goes back in time', () => {
    const tenant = emptyTenant({ seed: 6 });
    const image = addMedia(tenant);
    const file = addDriveFile(tenant, { name: 'a.pdf' });
    expect(() => uploadNewVersion(tenant, image.token)).toThrow(/not a drive file/);
    expect(() => uploadNewVersion(tenant, 'boxcnNope')).toThrow(/not a drive file/);
    const now = tenant.drive.get(file.token)!.modifiedTime;
    expect(() => uploadNewVersion(tenant, file.token, { at: now })).toThrow(/after/);
    expect(file.version).toBeUndefined();
  });
});
