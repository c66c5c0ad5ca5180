// Meta-tests of the suite's own metadata: the rule catalog against the
// profile, every observable rule covered by a check, check ids well formed and unique.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECK_ID } from '../src/checks/check.js';
import { packageRoot } from '../src/paths.js';
import { RULE_CATALOG, RULES, familyOf } from '../src/protocol/rules.js';
import { ALL_CHECKS, SUITES, type CheckId } from '../suites/catalog.js';
import { EVERY_BAD_HIVE, NOT_SHOWN_FAILING } from '../fixtures/bad-hives/index.js';

const PROFILE = join(packageRoot, '..', 'shared', 'spec', 'pame-0.2.1-profile.md');
const STANDARD = join(packageRoot, '..', 'shared', 'spec', 'pame-0.2.1-standard.txt');

/** The bullets of the standard's "Todo" section (a heading underlined with =). */
function standardTodo(text: string): string[] {
  const lines = text.split('\n');
  const heading = lines.findIndex((line, i) => line.trim() === 'Todo' && /^=+$/.test(lines[i + 2]?.trim() ?? ''));
  const end = lines.findIndex((line, i) => i > heading + 2 && /^=+$/.test(line.trim()));
  return lines.slice(heading + 3, end).flatMap((line) => /^\s*•\s*(.+?)\s*$/.exec(line)?.[1] ?? []);
}

/** Every rule id the profile defines: [T4], [Q10], the [G1] of a heading… */
function profileRuleIds(text: string): Set<string> {
  return new Set([...text.matchAll(/\[([A-Z][0-9]+)\]/g)].map((m) => m[1]!));
}

describe('the rule catalog (schemas/rules.json)', () => {
  it('has exactly the rule ids of the profile', ({ skip }) => {
    if (!existsSync(PROFILE)) skip(`the profile is not beside this package (${PROFILE}); the installed package carries only its catalog`);
    const inProfile = profileRuleIds(readFileSync(PROFILE, 'utf8'));
    const inCatalog = new Set(RULE_CATALOG.rules.map((r) => r.id));
    expect([...inProfile].filter((id) => !inCatalog.has(id)), 'rules of the profile missing from the catalog').toEqual([]);
    expect([...inCatalog].filter((id) => !inProfile.has(id)), 'rules in the catalog the profile does not have').toEqual([]);
  });

  it("lists the standard's Todo list, item for item, as not yet specified", ({ skip }) => {
    if (!existsSync(STANDARD)) skip(`the standard is not beside this package (${STANDARD})`);
    const todo = standardTodo(readFileSync(STANDARD, 'utf8'));
    expect(todo.length).toBeGreaterThan(0);
    expect(RULE_CATALOG.notYetSpecified.map((item) => item.standard)).toEqual(todo);
  });

  it('lists each rule once, and gives the privacy rules (F) level F and no other rule that level', () => {
    const ids = RULE_CATALOG.rules.map((r) => r.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    expect(RULE_CATALOG.rules.filter((r) => (familyOf(r.id) === 'F') !== (r.level === 'F')).map((r) => r.id)).toEqual([]);
  });

  it('says why each rule marked not observable cannot be observed, and no check claims to verify one', () => {
    const unobservable = RULE_CATALOG.rules.filter((r) => r.observable === false);
    expect(unobservable.filter((r) => !r.reason?.trim()).map((r) => r.id)).toEqual([]);
    const claimed = ALL_CHECKS.filter((c) => c.rules.some((id) => RULES.get(id)?.observable === false)).map((c) => c.id);
    expect(claimed).toEqual([]);
  });
});

describe('coverage', () => {
  it('every rule of the catalog has a check, or is marked not observable with a reason', () => {
    const covered = new Set(ALL_CHECKS.flatMap((c) => c.rules));
    const uncovered = RULE_CATALOG.rules.filter((r) => r.observable !== false && !covered.has(r.id)).map((r) => `${r.id} (${r.level}): ${r.summary}`);
    expect(uncovered, 'rules no check verifies; write a check or mark the rule observable: false with a reason in schemas/rules.json').toEqual([]);
  });
});

describe('checks', () => {
  it('have well-formed ids, each used once', () => {
    const ids = ALL_CHECKS.map((c) => c.id);
    expect(ids.filter((id) => !CHECK_ID.test(id))).toEqual([]);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('name only rules of the catalog, and say what they check', () => {
    expect(ALL_CHECKS.filter((c) => c.rules.length === 0 || c.rules.some((id) => !RULES.has(id))).map((c) => c.id)).toEqual([]);
    expect(ALL_CHECKS.filter((c) => c.title.trim().length < 10).map((c) => c.id)).toEqual([]);
  });

  it('keep each id family in one suite, and each suite has its vitest binding', () => {
    const home = new Map<string, string>();
    const strays: string[] = [];
    for (const suite of SUITES) {
      for (const check of suite.checks) {
        const family = check.id.split('-')[1]!;
        if ((home.get(family) ?? suite.name) !== suite.name) strays.push(`${check.id} in ${suite.name}, its family is in ${home.get(family)}`);
        home.set(family, home.get(family) ?? suite.name);
      }
    }
    expect(strays).toEqual([]);
    expect(SUITES.filter((s) => !existsSync(join(packageRoot, 'suites', `${s.name}.test.ts`))).map((s) => s.name)).toEqual([]);
  });
});

/** Compiles only while check ids are literal types: a family declared with computed ids would make caughtBy accept any string. */
const CHECK_IDS_ARE_LITERAL: string extends CheckId ? false : true = true;

describe('every check is shown failing', () => {
  const caught = new Set<string>(EVERY_BAD_HIVE.flatMap((bad) => bad.caughtBy));
  const exempt = Object.entries(NOT_SHOWN_FAILING) as [CheckId, string][];

  it('check ids are a type of their own', () => {
    expect(CHECK_IDS_ARE_LITERAL).toBe(true);
  });

  it('each check is in some bad Hive\'s caughtBy, or exempt with a reason', () => {
    const exempted = new Set<string>(exempt.map(([id]) => id));
    const unshown = ALL_CHECKS.map((c) => c.id).filter((id) => !caught.has(id) && !exempted.has(id));
    expect(unshown, 'checks no bad Hive makes fail: write a bad Hive in fixtures/bad-hives/ that breaks their rule, or exempt them in NOT_SHOWN_FAILING with the reason').toEqual([]);
  });

  it('exempts only checks that no bad Hive shows failing, each with its reason', () => {
    expect(exempt.filter(([id]) => caught.has(id)).map(([id]) => id), 'exempt, yet a bad Hive shows them failing: drop the exemption').toEqual([]);
    expect(exempt.filter(([, reason]) => reason.trim().length < 20).map(([id]) => id), 'exemptions without a reason').toEqual([]);
  });
});
