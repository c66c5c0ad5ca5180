import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('src/generated/schemas.ts', () => {
  it('is what scripts/gen-types.mjs derives from schemas/ (types are never written by hand)', () => {
    expect(() => execFileSync(process.execPath, ['scripts/gen-types.mjs', '--check'], { stdio: 'pipe' })).not.toThrow();
  });
});
