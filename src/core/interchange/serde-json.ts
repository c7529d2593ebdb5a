/**
 * JSON as Rust's serde_json writes it with `to_string_pretty`: two-space indent, `"key": value`,
 * `[]` and `{}` when empty, and f64 values in ryu's shortest form (`1.0`, `0.5`, `1e-7`, `1e17`),
 * which differs from JavaScript's (`1`, `1e-7`, `100000000000000000`).
 */

/** Marks a number that Rust holds as f64, so it is written the way serde_json writes floats. */
export class F64 {
  constructor(readonly value: number) {}
}

export type SerdeValue = null | boolean | number | string | F64 | readonly SerdeValue[] | { readonly [key: string]: SerdeValue };

export function toSerdeJson(value: SerdeValue, indent = ''): string {
  if (value instanceof F64) return formatF64(value.value);
  if (value === null || typeof value === 'boolean' || typeof value === 'number') return JSON.stringify(value);
  // serde_json escapes exactly what JSON.stringify does: quote, backslash, control characters.
  if (typeof value === 'string') return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    const items = value as readonly SerdeValue[];
    return items.length === 0 ? '[]' : `[\n${items.map((v) => inner + toSerdeJson(v, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as { readonly [key: string]: SerdeValue });
  return entries.length === 0 ? '{}' : `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${toSerdeJson(v, inner)}`).join(',\n')}\n${indent}}`;
}

/** ryu's layout of the shortest round-trip digits (serde_json writes NaN and infinities as null). */
export function formatF64(x: number): string {
  if (!Number.isFinite(x)) return 'null';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa, exponent] = x.toExponential().split('e');
  const sign = mantissa.startsWith('-') ? '-' : '';
  const digits = mantissa.replace('-', '').replace('.', '');
  const length = digits.length;
  const kk = Number(exponent) + 1; // 10^(kk-1) <= |x| < 10^kk
  let body: string;
  if (kk >= length && kk <= 16) body = `${digits}${'0'.repeat(kk - length)}.0`;
  else if (kk > 0 && kk <= 16) body = `${digits.slice(0, kk)}.${digits.slice(kk)}`;
  else if (kk > -5 && kk <= 0) body = `0.${'0'.repeat(-kk)}${digits}`;
  else body = `${digits[0]}${length > 1 ? `.${digits.slice(1)}` : ''}e${kk - 1}`;
  return sign + body;
}
