// Navigation of the JSON Schemas in schemas/: where a node is, what its $ref
// points at, and the parts a request code takes. The fuzzer reads everything
// it generates from here, so a schema change changes what it sends.
import { REQUEST_CODES, type RequestCode } from '../protocol/codes.js';
import { readSchemaFile } from '../paths.js';
import { SCHEMA_BASE, schemaValidator } from '../validator/schemas.js';

/** A JSON Schema node, as read from the files (draft 2020-12 keywords the project uses). */
export interface SchemaNode {
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly const?: unknown;
  readonly enum?: readonly unknown[];
  readonly allOf?: readonly SchemaNode[];
  readonly anyOf?: readonly SchemaNode[];
  readonly oneOf?: readonly SchemaNode[];
  readonly not?: SchemaNode;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly required?: readonly string[];
  readonly items?: SchemaNode;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly pattern?: string;
  readonly format?: string;
  readonly default?: unknown;
}

/** A node together with where it lives: the file under schemas/ and the JSON pointer inside it. */
export interface Located {
  readonly file: string;
  readonly pointer: string;
  readonly node: SchemaNode;
}

const files = new Map<string, SchemaNode>();

function fileNode(file: string): SchemaNode {
  let node = files.get(file);
  if (!node) files.set(file, (node = readSchemaFile<SchemaNode>(file)));
  return node;
}

function unescapePointer(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** The node at `pointer` ('' or '/$defs/input') in a schema file. */
export function locate(file: string, pointer = ''): Located {
  let node: unknown = fileNode(file);
  for (const token of pointer.split('/').slice(1)) {
    node = (node as Record<string, unknown> | undefined)?.[unescapePointer(token)];
    if (node === undefined) throw new Error(`schemas/${file}: nothing at ${pointer}`);
  }
  return { file, pointer, node: node as SchemaNode };
}

/** A child node of a located node, by the keyword path to it. */
export function child(at: Located, ...path: (string | number)[]): Located {
  const pointer = at.pointer + path.map((key) => `/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
  return locate(at.file, pointer);
}

/** The node a $ref names, resolved against the file that holds the reference. */
export function resolveRef(at: Located, ref: string): Located {
  const url = new URL(ref, SCHEMA_BASE + at.file);
  const file = url.pathname.slice(new URL(SCHEMA_BASE).pathname.length);
  return locate(file, decodeURIComponent(url.hash.slice(1)));
}

/** Stable id of a located node: 'common/address.json#/$defs/input'. */
export function idOf(at: Located): string {
  return at.pointer ? `${at.file}#${at.pointer}` : at.file;
}

/** Follows $ref chains to the node that holds the keywords. */
export function deref(at: Located): Located {
  let current = at;
  for (let hops = 0; current.node.$ref !== undefined; hops++) {
    if (hops > 32) throw new Error(`schemas/${idOf(at)}: $ref chain too long`);
    current = resolveRef(current, current.node.$ref);
  }
  return current;
}

/**
 * Every node whose keywords constrain a value together (the node itself, its
 * $ref target and its allOf branches, recursively), in document order: the
 * outermost first.
 */
export function constraints(at: Located): Located[] {
  const all: Located[] = [at];
  if (at.node.$ref !== undefined) all.push(...constraints(resolveRef(at, at.node.$ref)));
  at.node.allOf?.forEach((_, i) => all.push(...constraints(child(at, 'allOf', i))));
  return all;
}

/** Whether a value satisfies a located node exactly: ajv, compiled from the same files as the validator. */
export function satisfies(at: Located, value: unknown): boolean {
  return schemaValidator(idOf(at))(value) === true;
}

/** One part of a request code, as its schema (envelope included) describes it. */
export interface PartSchema {
  readonly name: string;
  readonly required: boolean;
  /** Every node constraining the part, the envelope's first and the code's own last. */
  readonly constraints: readonly Located[];
}

/** The parts a request code's schema lists, envelope included (E1), with what constrains each. */
export function requestParts(code: RequestCode): PartSchema[] {
  const objects = constraints(locate(`requests/${code}.json`)).filter((at) => at.node.properties || at.node.required);
  const order = objects.reverse();
  const names = new Set<string>();
  const required = new Set<string>();
  for (const at of order) {
    Object.keys(at.node.properties ?? {}).forEach((name) => names.add(name));
    at.node.required?.forEach((name) => required.add(name));
  }
  return [...names].map((name) => ({
    name,
    required: required.has(name),
    constraints: order.filter((at) => at.node.properties?.[name] !== undefined).map((at) => child(at, 'properties', name)),
  }));
}

let listing: Map<string, number> | undefined;

/**
 * A part's share when every part name counts the same: inversely to the
 * number of codes that list it (an integer weight for fc.oneof).
 */
export function partWeight(name: string): number {
  if (!listing) {
    listing = new Map();
    for (const code of REQUEST_CODES) for (const part of requestParts(code)) listing.set(part.name, (listing.get(part.name) ?? 0) + 1);
  }
  return Math.round(1000 / (listing.get(name) ?? 1));
}
