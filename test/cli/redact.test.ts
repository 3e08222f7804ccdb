import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Redactor } from '../../src/cli/redact.js';

describe('secret redaction', () => {
  it('masks a known secret wherever it appears, also URL-encoded', () => {
    const r = new Redactor().add('s3cr3t/value+x');
    const out = r.redact(`a s3cr3t/value+x b ${encodeURIComponent('s3cr3t/value+x')} c`);
    expect(out).not.toContain('s3cr3t');
    expect(out).toBe('a [REDACTED] b [REDACTED] c');
  });

  it('masks token-shaped strings it was never told about', () => {
    const r = new Redactor();
    const text = r.redact(
      'Authorization: Bearer t-g1044abcdefghijklmnopqrstuv {"app_secret":"abcdef123456","tenant_access_token":"t-xyz0123456789012345678"}',
    );
    expect(text).not.toMatch(/g1044abc|abcdef123456|xyz012345/);
  });

  it('masks secrets, not the words a config problem puts after the key', () => {
    const r = new Redactor();
    expect(r.redact('appSecret: missing; set "appSecret" in the config file')).toBe(
      'appSecret: missing; set "appSecret" in the config file',
    );
    expect(r.redact('appSecret: still the example value')).toBe('appSecret: still the example value');
    expect(r.redact('appSecret: hunter2hunter2')).toBe('appSecret: [REDACTED]');
    expect(r.redact('{"appSecret":"missingno-1234"}')).not.toContain('missingno');
  });

  it('leaves ordinary text alone', () => {
    const r = new Redactor().add('ab');
    expect(r.redact('t-shirt, about a tab, u-turn')).toBe('t-shirt, about a tab, u-turn');
  });

  it('never lets a registered secret through, whatever surrounds it', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 6, maxLength: 40 }),
        fc.string(),
        fc.string(),
        (secret, before, after) => {
          const r = new Redactor().add(secret);
          expect(r.redact(before + secret + after)).not.toContain(secret);
        },
      ),
    );
  });

  it('redacts inside structured events, including error messages', () => {
    const r = new Redactor().add('topsecretvalue');
    const event = r.redactValue({ message: 'x', error: new Error('failed with topsecretvalue') });
    expect(JSON.stringify(event)).not.toContain('topsecretvalue');
    expect((event.error as unknown as { message: string }).message).toBe('failed with [REDACTED]');
  });
});
