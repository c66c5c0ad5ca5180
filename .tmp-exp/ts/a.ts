interface PingOk { resp: 1; hive: string }
type AnyReply = { readonly resp: number; readonly [member: string]: unknown };
type AnyReply2 = { readonly resp: number } & Readonly<Record<string, unknown>>;
declare const p: PingOk;
const a: AnyReply = p;
const b: AnyReply2 = p;
const c: AnyReply = { resp: 1, extra: 2 };
export { a, b, c };
