// The faster signing-key stage decides as the Verifier's own: over every conformance case (with
// its trusted root) and bundles whose SCTs are missing or from an untrusted CT log, a Verifier
// with it and a plain one pass the same bundles and fail the others with the same error.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { Verifier, type SignedEntity } from '@sigstore/verify';
import { parseBundle } from '../../../src/verify/crypto/bundle-format.ts';
import { signedEntityOf } from '../../../src/verify/crypto/signed-entity.ts';
import { withFastSigningKey } from '../../../src/verify/fast/signing-key.ts';
import {
  createTrust,
  validateTrustedRoot,
  type Trust,
  type TrustedInstance,
  type TrustedRootJSON,
} from '../../../src/verify/trust/index.ts';
import { CORPUS, caseBundle, casePath, caseTrust, defaultArtifact, publicGoodTrust } from '../crypto/corpus.ts';
import { mockInstance } from '../crypto/mock-instance.ts';

function outcome(verifier: Verifier, entity: SignedEntity): string {
  try {
    verifier.verify(entity);
    return 'pass';
  } catch (err) {
    const e = err as { code?: string; message?: string; cause?: { message?: string } };
    return `${e.code ?? ''}: ${e.message ?? ''} (${e.cause?.message ?? ''})`;
  }
}

// Each trusted root's instance with a plain Verifier beside it.
function compare(trust: Trust, bundle: unknown, artifact: Buffer | undefined, label: string): string[] {
  let entity: SignedEntity;
  try {
    entity = signedEntityOf(parseBundle(bundle), artifact, undefined);
  } catch {
    return []; // fails before any stage
  }
  return trust.instances.map((instance: TrustedInstance) => {
    const plain = new Verifier(instance.material, instance.options);
    const fast = withFastSigningKey(
      new Verifier(instance.material, instance.options),
      instance.material,
      instance.options.ctlogThreshold,
    );
    const expected = outcome(plain, entity);
    assert.equal(outcome(fast, entity), expected, label);
    return expected;
  });
}

const trustOf = (root: TrustedRootJSON): Trust =>
  createTrust([validateTrustedRoot(JSON.parse(JSON.stringify(root)), 'root')]);

void describe('withFastSigningKey', () => {
  void it('agrees with the Verifier on every conformance case', async () => {
    const seen = new Set<string>();
    for (const dir of readdirSync(CORPUS, { withFileTypes: true }).filter((d) => d.isDirectory())) {
      let bundle: unknown;
      try {
        bundle = caseBundle(dir.name);
      } catch {
        continue; // not JSON
      }
      let trust: Trust;
      try {
        trust = existsSync(casePath(dir.name, 'trusted_root.json'))
          ? await caseTrust(dir.name)
          : await publicGoodTrust();
      } catch {
        continue; // an unusable root: no stage runs
      }
      const artifact = existsSync(casePath(dir.name, 'artifact'))
        ? readFileSync(casePath(dir.name, 'artifact'))
        : defaultArtifact();
      for (const result of compare(trust, bundle, artifact, dir.name)) seen.add(result === 'pass' ? 'pass' : 'fail');
    }
    assert.deepEqual([...seen].sort(), ['fail', 'pass']);
  });

  void it('agrees on SCTs that are missing or from an untrusted CT log', async () => {
    const artifact = Buffer.from('artifact');
    const withoutCT = await mockInstance({ ctlog: false });
    assert.match(
      compare(trustOf(withoutCT.trustedRoot), await withoutCT.signMessage(artifact), artifact, 'no SCT').join(),
      /SCTs/,
    );
    const mock = await mockInstance();
    const other = await mockInstance();
    const bundle = await mock.signMessage(artifact);
    assert.deepEqual(compare(trustOf(mock.trustedRoot), bundle, artifact, 'trusted'), ['pass']);
    assert.match(
      compare(
        trustOf({ ...mock.trustedRoot, ctlogs: other.trustedRoot.ctlogs }),
        bundle,
        artifact,
        'other CT log',
      ).join(),
      /SCT/,
    );
  });
});
