// Every refusal of a trusted root, each naming the field; and the roots that must be accepted
// (the built-in public-good root, protobuf-JSON's omissions and nulls).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import {
  createTrust,
  loadTrustedRoots,
  validateTrustedRoot,
  type TrustedRootJSON,
} from '../../../src/verify/trust/index.ts';
import { VerificationError } from '../../../src/verify/types.ts';
import { casePath, REPO_ROOT } from '../crypto/corpus.ts';

// A valid root with one of everything (the staging root the rekor2 cases use).
const base = (): TrustedRootJSON =>
  JSON.parse(readFileSync(casePath('rekor2-happy-path', 'trusted_root.json'), 'utf8')) as TrustedRootJSON;

function refuses(root: unknown, says: RegExp): void {
  assert.throws(
    () => validateTrustedRoot(root, 'test root'),
    (err: unknown) =>
      err instanceof VerificationError &&
      err.failure.check === 'trusted-root' &&
      says.test(err.message) &&
      err.message.includes('test root'),
    says.source,
  );
}

// A copy of the base root with one change made by `edit`.
function edited(edit: (root: TrustedRootJSON) => void): TrustedRootJSON {
  const root = base();
  edit(root);
  return root;
}

const first = <T>(list: T[]): T => {
  const item = list[0];
  assert.ok(item);
  return item;
};

void describe('validateTrustedRoot', () => {
  void it('accepts the built-in public-good root and the corpus roots', async () => {
    const [root] = await loadTrustedRoots('public-good-offline', REPO_ROOT);
    assert.ok(root && root.tlogs.length > 0 && root.certificateAuthorities.length > 0);
    for (const name of [
      'rekor2-happy-path',
      'intoto-with-custom-trust-root',
      'managed-key-and-trusted-root',
      'bundle-with-sct-with-extensions',
    ]) {
      validateTrustedRoot(JSON.parse(readFileSync(casePath(name, 'trusted_root.json'), 'utf8')), name);
    }
  });

  void it('reads null as absent and a missing list as empty (protobuf-JSON)', () => {
    // This root has "checkpointKeyId": null and "end": null.
    validateTrustedRoot(
      JSON.parse(readFileSync(casePath('trust-root-tlog-validity-end-inclusive', 'trusted_root.json'), 'utf8')),
      'nulls',
    );
    const root = validateTrustedRoot({ mediaType: 'application/vnd.dev.sigstore.trustedroot.v0.2+json' }, 'empty');
    assert.deepEqual(
      [root.tlogs, root.ctlogs, root.certificateAuthorities, root.timestampAuthorities],
      [[], [], [], []],
    );
  });

  void it('refuses what is not a trusted root', () => {
    refuses('text', /a JSON object/);
    refuses([], /a JSON object/);
    refuses(
      edited((r) => (r.mediaType = 'application/vnd.dev.sigstore.bundle.v0.3+json')),
      /mediaType/,
    );
    refuses({ ...base(), tlogs: {} }, /tlogs: a list/);
  });

  void it('refuses an authority without the start of its validity, of every kind', () => {
    // The conformance case: a tlog key whose validFor lost its start.
    refuses(
      JSON.parse(readFileSync(casePath('trust-root-tlog-missing-validity-start_fail', 'trusted_root.json'), 'utf8')),
      /tlogs\[1\]\.publicKey\.validFor\.start/,
    );
    refuses(
      edited((r) => delete (first(r.tlogs).publicKey as { validFor?: unknown }).validFor),
      /tlogs\[0\]\.publicKey\.validFor\.start.*no validFor/,
    );
    refuses(
      edited((r) => delete (first(r.ctlogs).publicKey.validFor as { start?: string }).start),
      /ctlogs\[0\]\.publicKey\.validFor\.start/,
    );
    refuses(
      edited((r) => delete (first(r.certificateAuthorities).validFor as { start?: string }).start),
      /certificateAuthorities\[0\]\.validFor\.start/,
    );
    refuses(
      edited((r) => delete (first(r.timestampAuthorities).validFor as { start?: string }).start),
      /timestampAuthorities\[0\]\.validFor\.start/,
    );
  });

  void it('refuses malformed times and an end before the start', () => {
    refuses(
      edited((r) => (first(r.tlogs).publicKey.validFor.start = '2024-13-01')),
      /an RFC 3339 time/,
    );
    refuses(
      edited(
        (r) =>
          (first(r.certificateAuthorities).validFor = { start: '2025-01-01T00:00:00Z', end: '2024-01-01T00:00:00Z' }),
      ),
      /a time after the start/,
    );
  });

  void it('refuses keys and certificates that are missing, not base64, or do not parse', () => {
    refuses(
      edited((r) => (first(r.tlogs).publicKey.rawBytes = '')),
      /tlogs\[0\]\.publicKey\.rawBytes: a non-empty string/,
    );
    refuses(
      edited((r) => (first(r.tlogs).publicKey.rawBytes = 'not base64!')),
      /tlogs\[0\]\.publicKey\.rawBytes: base64 bytes/,
    );
    refuses(
      edited((r) => (first(r.ctlogs).publicKey.rawBytes = Buffer.from('not a key').toString('base64'))),
      /ctlogs\[0\]\.publicKey\.rawBytes: a DER public key.*does not parse/,
    );
    refuses(
      edited((r) => (first(r.tlogs).logId = { keyId: '' })),
      /tlogs\[0\]\.logId\.keyId/,
    );
    refuses(
      edited(
        (r) =>
          (first(first(r.certificateAuthorities).certChain.certificates).rawBytes =
            Buffer.from('not a cert').toString('base64')),
      ),
      /certificateAuthorities\[0\]\.certChain\.certificates\[0\]\.rawBytes: a DER X\.509 certificate/,
    );
    refuses(
      edited((r) => (first(r.timestampAuthorities).certChain.certificates = [])),
      /timestampAuthorities\[0\]\.certChain\.certificates: at least one certificate/,
    );
  });

  void it('parses a PKIX RSA log key as SubjectPublicKeyInfo (sigstore-js would read it as PKCS#1)', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .publicKey.export({ type: 'spki', format: 'der' })
      .toString('base64');
    const root = validateTrustedRoot(
      edited((r) => {
        first(r.tlogs).publicKey.rawBytes = rsa;
        first(r.tlogs).publicKey.keyDetails = 'PKIX_RSA_PKCS1V15_2048_SHA256';
      }),
      'rsa',
    );
    assert.equal(createTrust([root]).instances[0]?.material.tlogs[0]?.publicKey.asymmetricKeyType, 'rsa');
  });
});

void describe('createTrust', () => {
  void it('asks of a bundle what its root provides: a log entry and an SCT only where there are logs', () => {
    const full = createTrust([base()]).instances[0];
    assert.deepEqual(full?.options, { timestampThreshold: 1, tlogThreshold: 1, ctlogThreshold: 1 });
    const tsaOnly = createTrust([{ ...base(), tlogs: [], ctlogs: [] }]).instances[0];
    assert.deepEqual(tsaOnly?.options, { timestampThreshold: 1, tlogThreshold: 0, ctlogThreshold: 0 });
  });
});
