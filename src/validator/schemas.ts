import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { schemasDir } from '../paths.js';
import { containsScriptUrl, SCRIPT_URL_FORMAT } from '../protocol/content.js';

export const SCHEMA_BASE = 'https://schemas.pame.test/0.2.1/';
const FOLDERS = ['common', 'requests', 'replies', 'catalog', 'run'];

// ajv-formats is CommonJS: its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020;

function loadAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
  addFormats(ajv);
  // M2 needs a look past the tag (a later ']' or '[/url]') that no linear-time regular expression can take.
  ajv.addFormat(SCRIPT_URL_FORMAT, { type: 'string', validate: containsScriptUrl });
  for (const folder of FOLDERS) {
    let names: string[];
    try {
      names = readdirSync(join(schemasDir, folder)).filter((name) => name.endsWith('.json'));
    } catch {
      continue;
    }
    for (const name of names) ajv.addSchema(JSON.parse(readFileSync(join(schemasDir, folder, name), 'utf8')) as object);
  }
  return ajv;
}

let ajv: Ajv2020 | undefined;
const compiled = new Map<string, ValidateFunction>();

/** The compiled validator for a schema of schemas/, by its path there ('replies/Epost_ping.json'); each is compiled once. */
export function schemaValidator(relativeId: string): ValidateFunction {
  let validate = compiled.get(relativeId);
  if (!validate) {
    ajv ??= loadAjv();
    validate = ajv.getSchema(SCHEMA_BASE + relativeId);
    if (!validate) throw new Error(`no schema ${relativeId} in ${schemasDir}`);
    compiled.set(relativeId, validate);
  }
  return validate;
}

export type { ErrorObject };
