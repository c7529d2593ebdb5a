import { describe, expect, it } from 'vitest';
import { POLICY_FIELDS } from '../../core/policy/fields.ts';
import { loadDocument } from '../../core/policy/load.ts';
import { isPlainObject } from '../../core/share/document.ts';
import { randomConfig, seededRandom } from './random-setup.ts';

/** Whether a document sets the field at a registry path ("[]": some item of the list does). */
function sets(value: unknown, path: string): boolean {
  const [head, ...rest] = path.split('.');
  const list = head.endsWith('[]');
  const key = list ? head.slice(0, -2) : head;
  if (!isPlainObject(value) || !Object.hasOwn(value, key)) return false;
  const next = value[key];
  if (rest.length === 0) return list ? Array.isArray(next) && next.length > 0 : true;
  const items = list ? (Array.isArray(next) ? next : []) : [next];
  return items.some((item) => sets(item, rest.join('.')));
}

describe('random setups', () => {
  const random = seededRandom(2024);
  const documents = Array.from({ length: 300 }, () => randomConfig(random));

  it('draw every field of the registry, so the round-trip tests exercise a field as soon as it is added', () => {
    const never = POLICY_FIELDS.map((f) => f.path).filter((path) => !documents.some((d) => sets(d, path)));
    expect(never).toEqual([]);
  });

  it('all load', () => {
    for (const d of documents) expect(loadDocument(d), JSON.stringify(d)).toMatchObject({ ok: true });
  });
});
