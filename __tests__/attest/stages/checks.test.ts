import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describe as describeValue, isTimestamp, own, quote, runURL } from '../../../src/attest/stages/checks.ts';
import { GITHUB, RUN_URL } from './helpers.ts';

describe('stage checks', () => {
  it('reads only own fields', () => {
    const inherited = Object.create({ id: 'x' }) as Record<string, unknown>;
    assert.equal(own(inherited, 'id'), undefined);
    assert.equal(own({}, 'constructor'), undefined);
    assert.deepEqual(own(JSON.parse('{"__proto__": {"a": 1}}') as Record<string, unknown>, '__proto__'), { a: 1 });
  });

  it('describes values briefly, and on one line', () => {
    assert.equal(describeValue(undefined), 'nothing');
    assert.equal(describeValue([1, 2]), 'an array of 2 entries');
    assert.equal(describeValue({ 'a\nb': 1 }), 'an object with keys "a\\nb"');
    const long = describeValue({ ['k'.repeat(100_000)]: 1 });
    assert.ok(long.length < 200, long);
    assert.equal(quote('x'.repeat(121)), JSON.stringify(`${'x'.repeat(120)}…`));
  });

  it('accepts RFC 3339 timestamps only', () => {
    for (const ok of ['2025-03-02T10:20:09Z', '2025-03-02T10:20:09.123456789+01:00', '2025-03-02t10:20:09z'])
      assert.ok(isTimestamp(ok), ok);
    for (const bad of [
      '2025-03-02',
      '2025-03-02T10:20:09',
      'Sun, 02 Mar 2025 10:20:09 GMT',
      '2025-13-02T10:20:09Z',
      1740900000,
    ])
      assert.ok(!isTimestamp(bad), String(bad));
  });

  it('links the run attempt', () => {
    assert.equal(runURL(GITHUB), RUN_URL);
  });
});
