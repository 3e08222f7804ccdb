import { afterAll, afterEach, beforeEach } from 'vitest';
import { closeOpenFakes, type FakeFeishu, listeningFakes } from './server.js';

// Every fake Feishu a test starts is closed after it, with its checks (unexpected requests, injected
// faults that never fired): no test file repeats the hook, and none can forget it. A fake a file
// shares between its tests (started in `beforeAll`) is closed, and checked, after the file.
let shared = new Set<FakeFeishu>();
beforeEach(() => {
  shared = listeningFakes();
});
afterEach(() => closeOpenFakes(shared));
afterAll(() => closeOpenFakes());
