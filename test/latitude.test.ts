// Meta-tests of the latitude catalog (schemas/latitude.json): every point where
// the profile leaves a Hive a choice names real rules and checks, offers a
// choice, and is taken the other way by a good Hive or says why not.
import { describe, expect, it } from 'vitest';
import { GOOD_HIVES } from '../fixtures/good-hives/index.js';
import { LATITUDE } from '../src/protocol/latitude.js';
import { RULES } from '../src/protocol/rules.js';
import { schemaValidator } from '../src/validator/schemas.js';
import { ALL_CHECKS } from '../suites/catalog.js';

const CHECK_IDS = new Set<string>(ALL_CHECKS.map((check) => check.id));
const POINT_IDS = new Set(LATITUDE.points.map((point) => point.id));

describe('the latitude catalog (schemas/latitude.json)', () => {
  it('validates against its schema, each point once', () => {
    const validate = schemaValidator('catalog/latitude.schema.json');
    expect(validate(LATITUDE), JSON.stringify(validate.errors)).toBe(true);
    const ids = LATITUDE.points.map((point) => point.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('names only rules of the rule catalog, the first of them in each id', () => {
    expect(LATITUDE.points.filter((p) => p.rules.some((id) => !RULES.has(id))).map((p) => p.id)).toEqual([]);
    expect(LATITUDE.points.filter((p) => !p.id.startsWith(`L-${p.rules[0]}-`)).map((p) => p.id)).toEqual([]);
  });

  it('names only checks of the suite', () => {
    expect(LATITUDE.points.flatMap((p) => p.checks.filter((id) => !CHECK_IDS.has(id)).map((id) => `${p.id}: ${id}`))).toEqual([]);
  });

  it('offers at least two distinct choices at each point, the reference Hive taking one of them', () => {
    expect(LATITUDE.points.filter((p) => new Set(p.choices).size < 2).map((p) => p.id)).toEqual([]);
    expect(LATITUDE.points.filter((p) => !p.choices.includes(p.reference)).map((p) => p.id)).toEqual([]);
  });

  it('holds the points other engineers build good Hives for', () => {
    for (const id of ['L-C3-repair-or-refuse', 'L-Q8-block-unknown', 'L-M2-fragments']) expect(POINT_IDS).toContain(id);
  });
});

describe('good Hives against the latitude catalog', () => {
  it('name only points of the catalog', () => {
    expect(GOOD_HIVES.flatMap((hive) => hive.latitude.filter((id) => !POINT_IDS.has(id)).map((id) => `${hive.name}: ${id}`))).toEqual([]);
    expect(GOOD_HIVES.filter((hive) => hive.latitude.length === 0).map((hive) => hive.name)).toEqual([]);
  });

  it('take every point the other way, unless the point says why no good Hive can', () => {
    const taken = new Set(GOOD_HIVES.flatMap((hive) => hive.latitude));
    const untaken = LATITUDE.points.filter((p) => !taken.has(p.id) && !p.untested).map((p) => p.id);
    expect(untaken, 'points no good Hive takes: add a good Hive in fixtures/good-hives/ or give the point an untested reason').toEqual([]);
  });
});
