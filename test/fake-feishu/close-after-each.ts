import { afterEach } from 'vitest';
import { closeOpenFakes } from './server.js';

// Every fake Feishu a test starts is closed after it, with its checks (unexpected requests, injected
// faults that never fired): no test file repeats the hook, and none can forget it.
afterEach(closeOpenFakes);
