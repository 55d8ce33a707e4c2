// Issue #14, item 8, "VSA citations" — confirmed: a summary attestation cited its input attestation by
// looking the passing bundle's source label up among all bundles read, and labels collide: line 2 of
// x.jsonl and a file named "x.jsonl:2" are both "x.jsonl:2", so one artifact's VSA cited the other's
// statement digest. Now the digest travels with the verdict (the report's `attestation`), and the VSA cites
// that. Through the bundled action; fails on the old code.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { SerializedBundle } from '@sigstore/bundle';
import { startLocalServices, type LocalServices } from '../../testkit/index.ts';
import { runAction } from '../../testkit/runner.ts';
import { provenanceStatement, signStatement } from '../../testkit/sign.ts';

let services: LocalServices;
let scratch: string;
let ws: string;
const statementDigest: Record<string, string> = {}; // artifact → sha256 hex of its bundle's statement

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const payloadOf = (bundle: SerializedBundle): Buffer =>
  Buffer.from('dsseEnvelope' in bundle && bundle.dsseEnvelope ? bundle.dsseEnvelope.payload : '', 'base64');

before(async () => {
  services = await startLocalServices();
  scratch = await mkdtemp(path.join(os.tmpdir(), 'vsa-citations-'));
  ws = await mkdtemp(path.join(scratch, 'ws-'));
  await writeFile(path.join(ws, 'trusted_root.json'), JSON.stringify(services.sigstore.trustedRoot));
  await writeFile(
    path.join(ws, 'signing.json'),
    JSON.stringify(services.sigstore.signingConfig({ tlog: true, tsa: false })),
  );
  const bundles: Record<string, SerializedBundle> = {};
  for (const name of ['a.bin', 'b.bin', 'other.bin']) {
    await writeFile(path.join(ws, name), `contents of ${name}`);
    bundles[name] = await signStatement(
      services,
      provenanceStatement(services, [{ name, digest: { sha256: sha256(`contents of ${name}`) } }]),
    );
    statementDigest[name] = sha256(payloadOf(bundles[name]));
  }
  // Line 2 of x.jsonl covers a.bin; the file named "x.jsonl:2" covers b.bin: both read as source "x.jsonl:2".
  await writeFile(
    path.join(ws, 'x.jsonl'),
    `${JSON.stringify(bundles['other.bin'])}\n${JSON.stringify(bundles['a.bin'])}\n`,
  );
  await writeFile(path.join(ws, 'x.jsonl:2'), JSON.stringify(bundles['b.bin']));
});
after(async () => {
  await services.stop();
  await rm(scratch, { recursive: true, force: true });
});

describe('a summary attestation cites the statement that passed, by digest', () => {
  it('two bundles with the same source label are cited each by its own digest', async () => {
    const run = await runAction(services, {
      scratch,
      workspace: ws,
      inputs: {
        mode: 'verify',
        'subject-path': 'a.bin\nb.bin',
        'bundle-path': 'x.jsonl\nx.jsonl:2',
        'trusted-root': 'trusted_root.json',
        'certificate-oidc-issuer': services.issuer.issuer,
        repository: 'octo-org/octo-repo',
        'vsa-path': 'vsa.jsonl',
        sigstore: 'signing.json',
      },
    });
    assert.equal(run.code, 0, run.stdout);
    const vsas = (await readFile(path.join(ws, 'vsa.jsonl'), 'utf8'))
      .split('\n')
      .filter((l) => l !== '')
      .map(
        (l) =>
          JSON.parse(payloadOf(JSON.parse(l) as SerializedBundle).toString('utf8')) as {
            subject: { name: string }[];
            predicate: { inputAttestations: { uri: string; digest: { sha256: string } }[] };
          },
      );
    assert.equal(vsas.length, 2);
    for (const vsa of vsas) {
      const name = vsa.subject[0]?.name ?? '';
      assert.deepEqual(
        vsa.predicate.inputAttestations.map((a) => [a.uri, a.digest.sha256]),
        [['x.jsonl:2', statementDigest[name]]],
        `${name} cites its own statement`,
      );
    }
  });
});
