// The package entry (src/index.ts, dist/src/index.js once built) is a small,
// explicit API: the validator, its readers and the client, nothing else.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';
import { packageRoot } from '../../src/paths.js';

describe('the package entry', () => {
  it('exports validateExchange, the readers, the schema validators and HiveClient, and only those values', () => {
    expect(Object.keys(api).sort()).toEqual(['HiveClient', 'VALIDATIONS', 'decodeRequestParts', 'formatExchangeLogLine', 'readExchangeLog', 'readHar', 'recordedExchange', 'validateExchange', 'validateMessage', 'validateReply', 'validateRequest']);
  });

  it('is what package.json exposes as "."', () => {
    const manifest = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { exports: Record<string, { default: string }> };
    expect(manifest.exports['.']!.default).toBe('./dist/src/index.js');
  });

  it('validates an exchange end to end, as another project would call it', () => {
    const exchange = api.recordedExchange({
      method: 'GET', url: 'http://h.example/?w=%22Epost_ping%22&iam=%22ana%22', headers: {},
      reply: { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"resp":1,"hive":"h.example","version":"0.2.1","unread":12}') },
      startedAt: '2026-11-25T08:30:00Z', durationMs: 1,
    });
    expect(api.validateExchange(exchange).map((f) => f.rule).sort()).toEqual(['F1', 'F3']);
  });
});
