// The fuzzer's requests follow the schemas: valid ones validate, near-valid
// ones break exactly what they say, and what is generated is read from the
// schema files, not written into the fuzzer.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveLive, type LiveContext, type LiveState } from '../../src/fuzz/live.js';
import { nearValidRequest } from '../../src/fuzz/near-valid.js';
import { demandOf } from '../../src/fuzz/oracle.js';
import { locate, requestParts } from '../../src/fuzz/schema-walk.js';
import { validRequest, type PartsRequest } from '../../src/fuzz/valid.js';
import { unknownCode, unknownCodeRequest } from '../../src/fuzz/wild.js';
import { isRequestCode, REQUEST_CODES } from '../../src/protocol/codes.js';
import { readSchemaFile } from '../../src/paths.js';
import { validateRequest } from '../../src/validator/index.js';

const DOMAIN = 'hive.pame.test';

/** Placeholders resolve without a Hive: names are made up, log-ins give a fixed key. */
const context: LiveContext = {
  domain: DOMAIN,
  address: (name) => `${name}::${DOMAIN}`,
  uniqueName: (label = 'u') => `test-${label}`,
  login: async () => 'k'.repeat(43),
};

const state: LiveState = {
  user: { name: 'ana', pass: 'secret-password', address: `ana::${DOMAIN}`, session: 's'.repeat(43) },
  addresses: { deliverable: [`ana::${DOMAIN}`, `bo::${DOMAIN}`, `psychocat::${DOMAIN}`, 'far::alpha.pame.test'], undeliverable: [`nobody::${DOMAIN}`] },
  conversations: { member: ['c1', 'c2'], foreign: ['c3'] },
};

async function resolved(request: PartsRequest): Promise<Record<string, unknown>> {
  return (await resolveLive(request.parts, request.code, state, context)) as Record<string, unknown>;
}

const SAMPLES = 60;

describe('valid requests', () => {
  for (const aim of ['aimed', 'any'] as const) {
    it.each(REQUEST_CODES)(`%s (${aim}) validate against the request schema once resolved`, async (code) => {
      for (const request of fc.sample(validRequest(code, aim), { seed: 7, numRuns: SAMPLES })) {
        const result = validateRequest(code, await resolved(request));
        expect(result.violations, JSON.stringify(request.parts)).toEqual([]);
      }
    });
  }

  it('carry every part the schema requires and only parts it lists, but for one ignored extra (E3)', () => {
    for (const code of REQUEST_CODES) {
      const listed = requestParts(code).map((p) => p.name);
      const required = requestParts(code).filter((p) => p.required).map((p) => p.name);
      for (const request of fc.sample(validRequest(code, 'aimed'), { seed: 3, numRuns: 20 })) {
        expect(Object.keys(request.parts).every((name) => listed.includes(name))).toBe(true);
        expect(required.every((name) => name in request.parts)).toBe(true);
      }
    }
  });
});

describe('the parts come from the schema files', () => {
  it('each code has exactly the envelope parts and the properties its request schema lists', () => {
    const envelope = Object.keys(readSchemaFile<{ properties: object }>('common/envelope.json').properties);
    for (const code of REQUEST_CODES) {
      const own = Object.keys(readSchemaFile<{ properties: object }>(`requests/${code}.json`).properties);
      expect(requestParts(code).map((p) => p.name).sort()).toEqual([...new Set([...envelope, ...own])].sort());
    }
  });

  it('lengths and item counts are the schema numbers: pass of Epost_user_register, to of Epost_msg_send', async () => {
    const pass = locate('requests/Epost_user_register.json', '/properties/pass').node;
    const to = locate('requests/Epost_msg_send.json', '/properties/to').node;
    const passes = fc.sample(validRequest('Epost_user_register', 'any'), { seed: 11, numRuns: 200 }).map((r) => r.parts.pass).filter((p): p is string => typeof p === 'string');
    expect(passes.length).toBeGreaterThan(20);
    expect(passes.every((p) => [...p].length >= pass.minLength! && [...p].length <= pass.maxLength!)).toBe(true);
    expect(passes.some((p) => [...p].length === pass.maxLength)).toBe(true);
    const tos = fc.sample(validRequest('Epost_msg_send', 'any'), { seed: 11, numRuns: 200 }).map((r) => r.parts.to as unknown[]);
    expect(tos.every((list) => list.length >= to.minItems! && list.length <= to.maxItems!)).toBe(true);
  });
});

describe('near-valid requests', () => {
  it.each(REQUEST_CODES)('%s: nearly every one breaks a rule, and the part it names is the one that is wrong', async (code) => {
    let broken = 0;
    const samples = fc.sample(nearValidRequest(code), { seed: 5, numRuns: SAMPLES });
    for (const request of samples) {
      const parts = await resolved(request);
      const demand = demandOf(request, parts);
      if (demand.must !== 'refuse') continue;
      const { rule } = demand;
      broken++;
      const violations = validateRequest(isRequestCode(parts.w) ? parts.w : code, parts).violations;
      // Encoding faults (T4) and unknown codes (E2) are not visible to the schema; everything else is, at the named part.
      if (rule !== 'T4' && rule !== 'E2') expect(violations.some((v) => v.path === '' || v.path.startsWith(`/${request.fault!.part}`)), `${request.fault!.part} ${request.fault!.how}`).toBe(true);
    }
    // Subjects over 200 characters and numbers a double cannot hold are sent but not asserted.
    expect(broken / samples.length).toBeGreaterThan(0.75);
  });

  it('include HTML (M1), script URLs (M2), lone surrogates (T5), encodings (T4) and odd start/limit (E4)', async () => {
    const rules = new Set<string>();
    for (const code of ['Epost_msg_send', 'Epost_conv_old'] as const) {
      for (const request of fc.sample(nearValidRequest(code), { seed: 9, numRuns: 400 })) {
        const demand = demandOf(request, await resolved(request));
        if (demand.must === 'refuse') rules.add(demand.rule);
      }
    }
    for (const rule of ['M1', 'M2', 'T5', 'T4', 'E4', 'E1', 'A1']) expect(rules, rule).toContain(rule);
  });
});

describe('unknown request codes', () => {
  it('are never a code of §5, and come as near misses of real ones', () => {
    const codes = fc.sample(unknownCode, { seed: 1, numRuns: 300 });
    expect(codes.some(isRequestCode)).toBe(false);
    expect(codes.some((c) => REQUEST_CODES.some((real) => real.toLowerCase() === c.toLowerCase()))).toBe(true);
    expect(fc.sample(unknownCodeRequest, { seed: 1, numRuns: 50 }).every((r) => !isRequestCode(r.parts.w))).toBe(true);
  });
});
