// The key-variation estimate behind the U3 check: random keys of 128 bits and
// more pass it, keys that are mostly constant (counters, timestamps, fixed
// prefixes over too little randomness) do not.
import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyVariation, MIN_KEY_BITS } from '../../src/checks/session-keys.js';

const SAMPLE = 24;
const sample = (make: (i: number) => string): string[] => Array.from({ length: SAMPLE }, (_, i) => make(i));

describe('keyVariation', () => {
  it.each([
    ['32 random bytes in base64url (the reference Hive)', () => randomBytes(32).toString('base64url'), 256],
    ['16 random bytes in base64url, 22 characters', () => randomBytes(16).toString('base64url'), MIN_KEY_BITS],
    ['16 random bytes in hex', () => randomBytes(16).toString('hex'), MIN_KEY_BITS],
    ['a fixed prefix before 24 random bytes', () => `sess_v1_${randomBytes(24).toString('base64url')}`, 192],
  ])('credits %s with at least %i bits', (_what, make, bits) => {
    expect(keyVariation(sample(make)).bits).toBeGreaterThanOrEqual(bits);
  });

  it('credits the shortest permitted key with 128 bits even when one value of its 2-bit last character fills over half the sample', () => {
    // 16 random bytes in base64url: the last character carries 2 bits. Here 13 of 24 keys end in 'A' (low bits cleared),
    // a draw that comes about once in 120 samples of random keys.
    const keys = sample((i) => {
      const bytes = randomBytes(16);
      if (i < 13) bytes[15]! &= 0b1111_1100;
      else bytes[15] = (bytes[15]! & 0b1111_1100) | (1 + (i % 3));
      return bytes.toString('base64url');
    });
    expect(keys.filter((key) => key.endsWith('A'))).toHaveLength(13);
    expect(keyVariation(keys).bits).toBeGreaterThanOrEqual(MIN_KEY_BITS);
  });

  it('sees through a fixed prefix: its characters do not count', () => {
    const v = keyVariation(sample(() => `sess_v1_${randomBytes(24).toString('base64url')}`));
    expect(v.commonPrefix).toBe(8);
    expect(v.varyingPositions).toBe(32);
  });

  it.each([
    ['a padded counter', (i: number) => `pame-session-${String(i + 1).padStart(12, '0')}`],
    ['a millisecond timestamp with a counter', (i: number) => `${Date.now()}-${String(i).padStart(16, '0')}`],
    ['12 random bytes (96 bits)', () => randomBytes(12).toString('base64url')],
    ['a UUIDv4 (122 random bits)', () => randomUUID()],
  ])('finds %s short of 128 bits', (_what, make) => {
    expect(keyVariation(sample(make)).bits).toBeLessThan(MIN_KEY_BITS);
  });

  it('gives nothing for identical keys, and for no keys', () => {
    expect(keyVariation(sample(() => 'the-same-key-every-time-0001')).bits).toBe(0);
    expect(keyVariation([]).bits).toBe(0);
  });
});
