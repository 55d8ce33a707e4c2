// The Sigstore conformance suite's verification cases, driven through `verify-bundle` the way the
// suite drives a client: each case twice (artifact path, then sha256:<hex>), in-process; a case
// whose folder ends in _fail must be rejected with one line naming the check, every other one must
// verify. Three runs go through the real CLI process to prove the command is wired. A case without
// its own trusted root is verified against public-good's, offline (public-good-offline: the snapshot
// shipped with the action), where the suite's default would fetch the current one through TUF.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { verifyBundleCommand } from '../../src/verify/conformance.ts';
import { CORPUS, DEFAULT_IDENTITY, DEFAULT_ISSUER, REPO_ROOT } from './crypto/corpus.ts';

const CHECK_LINE =
  /^verify-bundle: (bundle-format|trusted-root|signature|public-key|certificate-chain|sct|tlog|timestamp|subject-digest|certificate-identity|certificate-oidc-issuer): expected .+, found .+$/;

// The suite's arguments for a case, in the protocol's order, before FILE_OR_DIGEST; `publicGood`:
// what stands in for a trusted root when the case has none.
function caseArgs(dir: string, publicGood: string[] = ['--trusted-root', 'public-good-offline']): string[] {
  const file = (name: string): string => path.join(dir, name);
  const text = (name: string, fallback: string): string =>
    existsSync(file(name)) ? readFileSync(file(name), 'utf8').trim() : fallback;
  const signer = existsSync(file('key.pub'))
    ? ['--key', file('key.pub')]
    : [
        '--certificate-identity',
        text('identity', DEFAULT_IDENTITY),
        '--certificate-oidc-issuer',
        text('issuer', DEFAULT_ISSUER),
      ];
  const root = existsSync(file('trusted_root.json')) ? ['--trusted-root', file('trusted_root.json')] : publicGood;
  return ['--bundle', file('bundle.sigstore.json'), ...signer, ...root];
}

const artifactOf = (dir: string): string =>
  existsSync(path.join(dir, 'artifact')) ? path.join(dir, 'artifact') : path.join(CORPUS, 'a.txt');
const digestOf = (file: string): string => `sha256:${createHash('sha256').update(readFileSync(file)).digest('hex')}`;

const cases = existsSync(CORPUS)
  ? readdirSync(CORPUS, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort()
  : [];

void describe('conformance: verify-bundle over the sigstore-conformance corpus', () => {
  let asExpected = 0;
  let runs = 0;
  after(() => {
    console.log(
      `conformance: ${asExpected}/${runs} runs as expected (${cases.length} cases, artifact and digest each)`,
    );
  });

  void it("finds the 70 cases in the repository's own copy of the corpus", () => {
    const rel = path.relative(REPO_ROOT, CORPUS);
    assert.ok(
      !rel.startsWith('..') && !path.isAbsolute(rel),
      `the corpus ${CORPUS} is outside the repository ${REPO_ROOT}`,
    );
    assert.equal(cases.length, 70, `expected the 70 cases under ${CORPUS}`);
  });

  for (const name of cases) {
    const dir = path.join(CORPUS, name);
    const shouldFail = name.endsWith('_fail');
    for (const mode of ['artifact', 'digest'] as const) {
      void it(`${name} (${mode}) ${shouldFail ? 'is rejected' : 'verifies'}`, async () => {
        const input = mode === 'artifact' ? artifactOf(dir) : digestOf(artifactOf(dir));
        const lines: string[] = [];
        runs++;
        const code = await verifyBundleCommand([...caseArgs(dir), input], { stderr: (line) => lines.push(line) });
        assert.equal(code, shouldFail ? 1 : 0, lines.join('\n'));
        if (shouldFail) {
          assert.equal(lines.length, 1, 'one line on stderr');
          // A failed check names it; a ProvenanceError (e.g. an unreadable --key) ends in its code.
          assert.match(
            lines[0] ?? '',
            /^verify-bundle: .+ \[[A-Z_]+\]$|^verify-bundle: [a-z-]+: expected .+, found .+$/,
          );
        } else {
          assert.deepEqual(lines, []);
        }
        asExpected++;
      });
    }
  }

  void it('names the check for the cases that must fail on a specific one', async () => {
    const checkOf = async (name: string): Promise<string> => {
      const lines: string[] = [];
      const dir = path.join(CORPUS, name);
      await verifyBundleCommand([...caseArgs(dir), artifactOf(dir)], { stderr: (line) => lines.push(line) });
      assert.match(lines[0] ?? '', CHECK_LINE);
      return /^verify-bundle: ([a-z-]+):/.exec(lines[0] ?? '')?.[1] ?? '';
    };
    assert.equal(await checkOf('trust-root-tlog-missing-validity-start_fail'), 'trusted-root');
    assert.equal(await checkOf('signature-mismatch_fail'), 'signature');
    assert.equal(await checkOf('invalid-ct-key_fail'), 'sct');
    assert.equal(await checkOf('rekor2-no-timestamp_fail'), 'timestamp');
    assert.equal(await checkOf('set-invalid-signature_fail'), 'tlog');
    assert.equal(await checkOf('bundle-from-wrong-instance_fail'), 'certificate-chain');
    assert.equal(await checkOf('managed-key-no-key_fail'), 'public-key');
    assert.equal(await checkOf('wrong-material_fail'), 'subject-digest');
    assert.equal(await checkOf('bundle-unknown-version_fail'), 'bundle-format');
  });
});

void describe('verify-bundle: the protocol around the checks', () => {
  const run = async (args: string[]): Promise<{ code: number; lines: string[] }> => {
    const lines: string[] = [];
    const code = await verifyBundleCommand(args, { stderr: (line) => lines.push(line) });
    return { code, lines };
  };
  const happy = path.join(CORPUS, 'happy-path-v0.3');

  void it('compares identity and issuer exactly', async () => {
    const args = caseArgs(happy);
    const identity = args.indexOf('--certificate-identity') + 1;
    const wrongIdentity = args.with(identity, DEFAULT_IDENTITY.replace('@refs/heads/main', '@refs/heads/.*'));
    let result = await run([...wrongIdentity, artifactOf(happy)]);
    assert.equal(result.code, 1);
    assert.match(
      result.lines[0] ?? '',
      /^verify-bundle: certificate-identity: expected .*refs\/heads\/\.\*, found .*refs\/heads\/main$/,
    );
    const wrongIssuer = args.with(identity + 2, 'https://token.actions.githubusercontent.com/');
    result = await run([...wrongIssuer, artifactOf(happy)]);
    assert.match(result.lines[0] ?? '', /^verify-bundle: certificate-oidc-issuer: /);
  });

  void it('treats sha256:<hex> as a digest only when no such file exists', async () => {
    // A 64-hex-digit digest that names no file is a digest; anything else is a path.
    let result = await run([...caseArgs(happy), 'sha256:abc']);
    assert.equal(result.code, 1);
    assert.match(result.lines[0] ?? '', /cannot read the artifact sha256:abc/);
    result = await run([...caseArgs(happy), digestOf(artifactOf(happy)).toUpperCase().replace('SHA256:', 'sha256:')]);
    assert.equal(result.code, 0, result.lines.join('\n'));
  });

  void it('refuses a command line out of the protocol with exit 2', async () => {
    for (const args of [
      [],
      ['--bundle'],
      ['--bundle', 'b.json', 'a.txt'],
      ['--bundle', 'b.json', '--key', 'k.pub', 'a.txt', 'extra'],
      ['--certificate-identity', 'x', '--bundle', 'b.json', 'a.txt'],
    ]) {
      const result = await run(args);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.lines[0] ?? '', /Usage: provenance verify-bundle .*\[INPUT_INVALID\]$/);
    }
  });

  void it('needs a trusted root for --staging', async () => {
    const result = await run(['--staging', ...caseArgs(happy, []), artifactOf(happy)]);
    assert.equal(result.code, 1);
    assert.match(result.lines[0] ?? '', /--staging needs a trusted root/);
  });
});

void describe('verify-bundle through the CLI process', () => {
  const cli = async (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, ['src/cli.ts', 'verify-bundle', ...args], {
        cwd: REPO_ROOT,
      });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const failed = err as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  };

  void it('verifies a bundle by artifact path (exit 0, nothing on stdout)', async () => {
    const dir = path.join(CORPUS, 'happy-path-intoto-in-dsse-v3');
    const result = await cli([...caseArgs(dir), artifactOf(dir)]);
    assert.deepEqual(result, { code: 0, stdout: '', stderr: '' });
  });

  void it('verifies a bundle by digest against a custom trusted root', async () => {
    const dir = path.join(CORPUS, 'rekor2-happy-path');
    const result = await cli([...caseArgs(dir), digestOf(artifactOf(dir))]);
    assert.equal(result.code, 0, result.stderr);
  });

  void it('rejects a bad bundle with exit 1 and one line naming the check', async () => {
    const dir = path.join(CORPUS, 'trust-root-tlog-missing-validity-start_fail');
    const result = await cli([...caseArgs(dir), artifactOf(dir)]);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(
      result.stderr,
      /^verify-bundle: trusted-root: expected tlogs\[1\]\.publicKey\.validFor\.start: .+, found none in .+trusted_root\.json\n$/,
    );
  });
});
