// Issue #14, item 6: plain http for signing services. A SigningConfig naming an http:// Fulcio,
// Rekor or TSA on a host that is not loopback would be sent the job's sigstore-audience token (or
// what it signs) in cleartext, and the token can be replayed at public-good Fulcio. End to end
// through the bundled action: the config is refused in one line before the job's OIDC token is
// even requested (the token endpoint's request count stays 0), and nothing reaches the stack.
// No host off loopback is reachable here, so "nothing was sent" is shown by the token never
// being asked for, which is the only way it could have left the job.

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startLocalServices, type LocalServices, type SigningConfigJSON } from '../../testkit/index.ts';
import { runAction, type ActionRun } from '../../testkit/runner.ts';

let services: LocalServices;
let scratch: string;
let ws: string;

type Kind = 'caUrls' | 'rekorTlogUrls' | 'tsaUrls';

/** The local stack's SigningConfig with one kind of service moved to `url`. */
function configWith(kind: Kind, url: string): SigningConfigJSON {
  const config = services.sigstore.signingConfig({ tlog: true, tsa: true });
  const entries = config[kind] as { url: string }[];
  return { ...config, [kind]: entries.map((e) => ({ ...e, url })) };
}

async function attestWith(
  config: SigningConfigJSON,
  extra: Record<string, string> = {},
): Promise<{ run: ActionRun; tokens: number; fulcio: number }> {
  await writeFile(path.join(ws, 'signing.json'), JSON.stringify(config));
  const tokens = services.issuer.requests.token;
  const fulcio = services.sigstore.requests.fulcio;
  const run = await runAction(services, {
    scratch,
    workspace: ws,
    inputs: { 'subject-path': 'app.tar.gz', sigstore: 'signing.json', 'attestations-api': 'false', ...extra },
  });
  return { run, tokens: services.issuer.requests.token - tokens, fulcio: services.sigstore.requests.fulcio - fulcio };
}

before(async () => {
  services = await startLocalServices();
  scratch = await mkdtemp(path.join(os.tmpdir(), 'adversarial-http-'));
  ws = await mkdtemp(path.join(scratch, 'ws-'));
  await writeFile(path.join(ws, 'app.tar.gz'), 'the release');
  await writeFile(path.join(ws, 'trusted_root.json'), JSON.stringify(services.sigstore.trustedRoot));
});
after(async () => {
  await services.stop();
  await rm(scratch, { recursive: true, force: true });
});

describe('a SigningConfig naming a signing service over plain http', () => {
  for (const [kind, url] of [
    ['caUrls', 'http://fulcio.example'],
    ['rekorTlogUrls', 'http://rekor.example'],
    ['tsaUrls', 'http://tsa.example/api/v1/timestamp'],
    // Looks like loopback, is not: a name under a public domain.
    ['caUrls', 'http://127.0.0.1.nip.io:8080'],
  ] as const) {
    it(`is refused before any token is requested: ${kind} ${url}`, async () => {
      const { run, tokens, fulcio } = await attestWith(configWith(kind, url));
      assert.equal(run.code, 1);
      assert.equal(run.errors.length, 1, run.stdout);
      assert.match(
        run.errors[0] ?? '',
        new RegExp(
          `^::error::sigstore: signing\\.json names ${kind}\\[0\\]\\.url "${url.replace(/[.]/g, '\\.')}", plain http to a host that is not loopback, where the job's OIDC token for Sigstore would be sent in cleartext\\. Give every Fulcio, Rekor and TSA URL .* as https .*\\[SIGSTORE_CONFIG_INVALID\\]$`,
        ),
      );
      assert.equal(tokens, 0, 'the OIDC token endpoint was asked for a token');
      assert.equal(fulcio, 0);
    });
  }

  it('is refused the same way when verify mode would sign a summary attestation (vsa-path)', async () => {
    const made = await attestWith(services.sigstore.signingConfig({ tlog: true, tsa: false }), {
      'bundle-path': 'app.sigstore.json',
    });
    assert.equal(made.run.code, 0, made.run.stdout);
    await writeFile(path.join(ws, 'signing.json'), JSON.stringify(configWith('caUrls', 'http://fulcio.example')));
    const tokens = services.issuer.requests.token;
    const run = await runAction(services, {
      scratch,
      workspace: ws,
      inputs: {
        mode: 'verify',
        'subject-path': 'app.tar.gz',
        'bundle-path': 'app.sigstore.json',
        'trusted-root': 'trusted_root.json',
        'certificate-oidc-issuer': services.issuer.issuer,
        repository: 'octo-org/octo-repo',
        'attestations-api': 'false',
        'vsa-path': 'vsa.sigstore.json',
        sigstore: 'signing.json',
      },
    });
    assert.equal(run.code, 1);
    assert.match(
      run.errors.at(-1) ?? '',
      /^::error::sigstore: signing\.json names caUrls\[0\]\.url "http:\/\/fulcio\.example", plain http .*\[SIGSTORE_CONFIG_INVALID\]$/,
    );
    assert.equal(services.issuer.requests.token - tokens, 0);
  });

  it('still signs with plain http on loopback (the local stack itself)', async () => {
    const { run, tokens } = await attestWith(services.sigstore.signingConfig({ tlog: true, tsa: true }));
    assert.equal(run.code, 0, run.stdout);
    assert.equal(tokens, 1);
  });
});
