// How @sigstore/verify's errors become checks, and how an unlabelled error is attributed to the
// stage the Verifier was in.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { VerificationError as SigstoreVerificationError, type SignedEntity } from '@sigstore/verify';
import { depth, toFailure } from '../../../src/verify/crypto/failures.ts';
import { stageTracked } from '../../../src/verify/crypto/signed-entity.ts';
import { VerificationError } from '../../../src/verify/types.ts';

type Code = ConstructorParameters<typeof SigstoreVerificationError>[0]['code'];
const sigstore = (code: string, message: string): SigstoreVerificationError =>
  new SigstoreVerificationError({ code: code as Code, message });

void describe('toFailure', () => {
  void it('maps each @sigstore/verify code to its check', () => {
    const cases: [string, string, string][] = [
      ['TIMESTAMP_ERROR', 'timestamp could not be verified', 'timestamp'],
      ['CERTIFICATE_ERROR', 'Failed to verify certificate chain', 'certificate-chain'],
      ['CERTIFICATE_ERROR', 'SCT verification failed', 'sct'],
      ['CERTIFICATE_ERROR', 'expected 1 SCTs, got 0', 'sct'],
      ['PUBLIC_KEY_ERROR', 'key not found', 'public-key'],
      ['TLOG_BODY_ERROR', 'signature mismatch', 'tlog'],
      ['TLOG_INCLUSION_PROOF_ERROR', 'invalid checkpoint signature', 'tlog'],
      ['TLOG_INCLUSION_PROMISE_ERROR', 'inclusion promise could not be verified', 'tlog'],
      ['TLOG_MISSING_INCLUSION_ERROR', 'inclusion could not be verified', 'tlog'],
      ['TLOG_ERROR', 'expected 1 tlog entries, got 0', 'tlog'],
      ['SIGNATURE_ERROR', 'signature verification failed', 'signature'],
    ];
    for (const [code, message, check] of cases) {
      const failure = toFailure(sigstore(code, message), 'timestamp', 'certificate');
      assert.equal(failure.failure.check, check, code);
    }
  });

  void it('says what was missing instead of counting', () => {
    assert.match(
      toFailure(sigstore('TIMESTAMP_ERROR', 'expected 1 timestamps, got 0'), 'timestamp', 'certificate').failure.found,
      /no trusted time/,
    );
    assert.match(
      toFailure(sigstore('TLOG_ERROR', 'expected 1 tlog entries, got 0'), 'tlog', 'certificate').failure.found,
      /no transparency log entry/,
    );
  });

  void it('keeps the cause of a wrapped error, on one line', () => {
    const err = new SigstoreVerificationError({
      code: 'CERTIFICATE_ERROR',
      message: 'Failed to verify certificate chain',
      cause: new Error('certificate is not valid\nor expired'),
    });
    assert.equal(
      toFailure(err, 'key', 'certificate').failure.found,
      'Failed to verify certificate chain: certificate is not valid or expired',
    );
  });

  void it('attributes errors without a code to the stage, and passes our own through', () => {
    assert.equal(toFailure(new TypeError('x'), 'timestamp', 'certificate').failure.check, 'timestamp');
    assert.equal(toFailure(new TypeError('x'), 'key', 'certificate').failure.check, 'certificate-chain');
    assert.equal(toFailure(new TypeError('x'), 'key', 'public-key').failure.check, 'public-key');
    assert.equal(toFailure(new TypeError('x'), 'tlog', 'certificate').failure.check, 'tlog');
    assert.equal(toFailure('odd', 'signature', 'certificate').failure.check, 'signature');
    const ours = new VerificationError({ check: 'sct', expected: 'e', found: 'f' });
    assert.equal(toFailure(ours, 'tlog', 'certificate'), ours);
  });

  void it('ranks later stages deeper', () => {
    const at = (check: 'timestamp' | 'certificate-chain' | 'tlog' | 'signature'): number =>
      depth(new VerificationError({ check, expected: '', found: '' }));
    assert.ok(
      at('timestamp') < at('certificate-chain') && at('certificate-chain') < at('tlog') && at('tlog') < at('signature'),
    );
  });
});

void describe('stageTracked', () => {
  void it('follows the Verifier through timestamps, key, log entries and signature', () => {
    const entity = {
      timestamps: [],
      key: { $case: 'public-key', hint: '' },
      tlogEntries: [],
      signature: {
        signature: Buffer.from('s'),
        compareSignature: () => true,
        compareDigest: () => true,
        compareSignedDigest: () => true,
        verifySignature: () => true,
      },
    } as SignedEntity;
    const { entity: tracked, stage } = stageTracked(entity);
    assert.equal(stage(), 'timestamp');
    void tracked.key;
    assert.equal(stage(), 'key');
    void tracked.tlogEntries;
    assert.equal(stage(), 'tlog');
    assert.equal(tracked.signature.signature.toString(), 's');
    assert.equal(stage(), 'tlog', 'reading the signature bytes is part of other stages');
    tracked.signature.verifySignature(undefined as never);
    assert.equal(stage(), 'signature');
    void tracked.timestamps;
    assert.equal(stage(), 'timestamp');
  });
});
