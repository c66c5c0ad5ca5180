// Odd numbers for integer parts (E4's start and limit): JSON number literals
// written as text, so values JavaScript cannot hold (1e309, 1e-400,
// 9007199254740993) reach the Hive exactly as written, each with its exact
// mathematical class, not the class of whatever JSON.parse makes of it.
import fc from 'fast-check';

/** A JSON value written into the request as this exact text (numbers JavaScript would round, tokens that are not JSON). */
export class RawJson {
  constructor(readonly text: string) {}
  toJSON(): string {
    return `raw(${this.text})`;
  }
}

const LITERAL = /^(-)?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/** What a JSON number literal is, exactly: its sign and whether it is a whole number. */
export interface NumberClass {
  readonly negative: boolean;
  readonly integer: boolean;
}

/** The exact class of a JSON number literal; undefined when the text is no JSON number. */
export function classifyLiteral(text: string): NumberClass | undefined {
  const match = LITERAL.exec(text);
  if (!match || (match[2]!.length > 1 && match[2]!.startsWith('0'))) return undefined;
  const fraction = match[3] ?? '';
  const digits = (match[2]! + fraction).replace(/^0+/, '');
  if (digits === '') return { negative: false, integer: true };
  const exponent = Number(match[4] ?? 0) - fraction.length;
  // digits × 10^exponent is whole when the exponent is not negative or the digits it drops are zeros.
  const dropped = exponent >= 0 ? '' : digits.slice(Math.max(0, digits.length + exponent));
  const integer = exponent >= 0 || (digits.length + exponent > 0 && /^0*$/.test(dropped));
  return { negative: match[1] === '-', integer };
}

/**
 * The literal's value when JavaScript holds it without changing its class;
 * undefined for text that is no JSON number, and for numbers a double
 * cannot hold faithfully (1e309 is a whole number, yet parses to Infinity;
 * -1e-400 is negative, yet parses to -0). RFC 8259 leaves those to each
 * implementation, so the fuzzer sends them but asserts nothing about them.
 */
export function exactValue(text: string): number | undefined {
  const exact = classifyLiteral(text);
  if (!exact) return undefined;
  const parsed = JSON.parse(text) as number;
  const faithful = Number.isFinite(parsed) && Number.isInteger(parsed) === exact.integer && parsed < 0 === exact.negative;
  return faithful ? parsed : undefined;
}

/** Literals whose class JavaScript gets wrong or that sit on a boundary. */
const NOTABLE = ['1e309', '-1e309', '1e-400', '-1e-400', '1.0', '-0', '-0.0', '1E2', '0.1e1', '100e-2', '9007199254740993', '1e20', '-1', '0.5', '-0.5', '2.5'];

/** Odd but well-formed JSON numbers: signs, fractions, exponents, many digits. */
export const oddNumber: fc.Arbitrary<RawJson> = fc.oneof(
  fc.constantFrom(...NOTABLE),
  fc.record({
    sign: fc.constantFrom('', '-'),
    whole: fc.oneof(fc.constant('0'), fc.stringMatching(/^[1-9][0-9]{0,24}$/)),
    fraction: fc.option(fc.stringMatching(/^[0-9]{1,20}$/), { nil: undefined }),
    exponent: fc.option(fc.record({ mark: fc.constantFrom('e', 'E', 'e+', 'E-', 'e-'), digits: fc.integer({ min: 0, max: 400 }) }), { nil: undefined }),
  }).map(({ sign, whole, fraction, exponent }) => `${sign}${whole}${fraction !== undefined ? '.' + fraction : ''}${exponent ? exponent.mark + exponent.digits : ''}`),
).map((text) => new RawJson(text));
