// The small decoders verification relies on: strict base64, GeneralizedTime with any number of
// fraction digits, DER UTF8String.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeBase64Strict } from '../../../src/verify/crypto/patches/base64.ts';
import { decodeUTF8String } from '../../../src/common/der-utf8-string.ts';
import { parseGeneralizedTime } from '../../../src/verify/crypto/patches/timestamp.ts';

void describe('decodeBase64Strict', () => {
  void it('reads standard and URL-safe base64, padded or not, and line-wrapped', () => {
    assert.deepEqual(decodeBase64Strict('aGVsbG8='), Buffer.from('hello'));
    assert.deepEqual(decodeBase64Strict('aGVsbG8'), Buffer.from('hello'));
    assert.deepEqual(decodeBase64Strict('-_8='), Buffer.from([0xfb, 0xff]));
    assert.deepEqual(decodeBase64Strict('aGVs\nbG8='), Buffer.from('hello'));
    assert.deepEqual(decodeBase64Strict(''), Buffer.alloc(0));
  });
  void it('refuses anything else', () => {
    for (const bad of ['INVALID!!!BASE64!!!ENCODING====', 'aGVsbG8===', 'aGVsbG8=x', 'a', 'aGVs bG8=', 'aGVsbG=']) {
      assert.equal(decodeBase64Strict(bad), undefined, bad);
    }
  });
});

void describe('parseGeneralizedTime', () => {
  void it('reads none to many fraction digits, to the millisecond', () => {
    assert.equal(parseGeneralizedTime('20250612120220Z').toISOString(), '2025-06-12T12:02:20.000Z');
    assert.equal(parseGeneralizedTime('20250612120220.1Z').toISOString(), '2025-06-12T12:02:20.100Z');
    assert.equal(parseGeneralizedTime('20250612120220.12Z').toISOString(), '2025-06-12T12:02:20.120Z');
    assert.equal(parseGeneralizedTime('20250612120220.123Z').toISOString(), '2025-06-12T12:02:20.123Z');
    assert.equal(parseGeneralizedTime('20250612120220.123999Z').toISOString(), '2025-06-12T12:02:20.123Z');
  });
  void it('refuses local times, missing seconds and garbage', () => {
    for (const bad of ['20250612120220', '202506121202Z', '20250612120220.Z', '20250612120220+0100', 'x']) {
      assert.throws(() => parseGeneralizedTime(bad), /invalid GeneralizedTime/, bad);
    }
  });
});

void describe('decodeUTF8String', () => {
  void it('reads short and long forms that span the whole value', () => {
    assert.equal(decodeUTF8String(Buffer.from([0x0c, 0x03, 0x61, 0x62, 0x63])), 'abc');
    const long = 'x'.repeat(200);
    assert.equal(decodeUTF8String(Buffer.concat([Buffer.from([0x0c, 0x81, 200]), Buffer.from(long)])), long);
  });
  void it('refuses other tags, wrong lengths and invalid UTF-8', () => {
    assert.equal(decodeUTF8String(Buffer.from('abc')), undefined);
    assert.equal(decodeUTF8String(Buffer.from([0x13, 0x01, 0x61])), undefined, 'PrintableString');
    assert.equal(decodeUTF8String(Buffer.from([0x0c, 0x02, 0x61])), undefined, 'short');
    assert.equal(decodeUTF8String(Buffer.from([0x0c, 0x01, 0x61, 0x62])), undefined, 'trailing');
    assert.equal(decodeUTF8String(Buffer.from([0x0c, 0x01, 0xff])), undefined, 'not UTF-8');
  });
});
