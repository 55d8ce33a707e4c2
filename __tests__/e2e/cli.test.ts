// The bundled CLI (dist/cli.js) as a user on another CI system or a laptop runs it: identity from
// SIGSTORE_ID_TOKEN, flags named like the action's inputs, bundle paths on stdout, one-line errors.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startLocalServices, type LocalServices } from '../../testkit/index.ts';
import { REPO_ROOT, runProcess } from '../../testkit/runner.ts';
import { readBundles, statementOf, verifyWithSigstoreJs } from '../../testkit/verify.ts';

let services: LocalServices;
let ws: string;
before(async () => {
  services = await startLocalServices();
  ws = await mkdtemp(path.join(os.tmpdir(), 'cli-'));
  await writeFile(path.join(ws, 'app.bin'), 'app');
  await writeFile(path.join(ws, 'sbom.json'), JSON.stringify({ spdxVersion: 'SPDX-2.3', name: 'app' }));
  await writeFile(
    path.join(ws, 'signing.json'),
    JSON.stringify(services.sigstore.signingConfig({ tlog: true, tsa: false })),
  );
});
after(async () => {
  await services.stop();
  await rm(ws, { recursive: true, force: true });
});

async function cli(args: string[], env: Record<string, string>) {
  return runProcess(
    process.execPath,
    [path.join(REPO_ROOT, 'dist', 'cli.js'), ...args],
    { PATH: process.env['PATH'], HOME: process.env['HOME'], ...env },
    ws,
  );
}

describe('provenance attest (CLI)', () => {
  it('signs SLSA provenance with a GitHub Actions token from SIGSTORE_ID_TOKEN and prints the bundle path', async () => {
    const token = await services.issuer.mint({}, 'sigstore');
    const run = await cli(['attest', '--subject-path', 'app.bin', '--sigstore', 'signing.json'], {
      SIGSTORE_ID_TOKEN: token,
      PROVENANCE_TEST_OIDC_ISSUER: services.issuer.issuer,
    });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, `${path.join(ws, 'app.bin.sigstore.json')}\n`);
    assert.match(run.stderr, /attested 1 subject in 1 statement/);
    assert.ok(!run.stdout.includes(token) && !run.stderr.includes(token), 'the token is never printed');
    const [bundle] = readBundles(await readFile(path.join(ws, 'app.bin.sigstore.json'), 'utf8'));
    assert.ok(bundle);
    verifyWithSigstoreJs(bundle, services.sigstore.trustedRoot, {
      san: `https://github.com/${services.issuer.claims.job_workflow_ref}`,
      issuer: services.issuer.issuer,
    });
    assert.equal(statementOf(bundle).predicateType, 'https://slsa.dev/provenance/v1');
  });

  it('signs a custom predicate with a non-GitHub identity (as on another CI system)', async () => {
    // Without PROVENANCE_TEST_OIDC_ISSUER the local issuer is just "some OIDC issuer" to the action.
    const token = await services.issuer.mint({}, 'sigstore');
    const run = await cli(
      [
        'attest',
        '--subject-path=app.bin',
        '--predicate-type',
        'https://spdx.dev/Document/v2.3',
        '--predicate-path',
        'sbom.json',
        '--sigstore',
        'signing.json',
        '--bundle-path',
        'sbom.sigstore.json',
      ],
      { SIGSTORE_ID_TOKEN: token },
    );
    assert.equal(run.code, 0, run.stderr);
    const [bundle] = readBundles(await readFile(path.join(ws, 'sbom.sigstore.json'), 'utf8'));
    assert.ok(bundle);
    const statement = statementOf(bundle);
    assert.equal(statement.predicateType, 'https://spdx.dev/Document/v2.3');
    assert.deepEqual(statement.predicate, { spdxVersion: 'SPDX-2.3', name: 'app' });
  });

  it('refuses SLSA provenance for a non-GitHub identity, in one line, exit 1', async () => {
    const run = await cli(
      ['attest', '--subject-path', 'app.bin', '--sigstore', 'signing.json', '--bundle-path', 'refused.jsonl'],
      {
        SIGSTORE_ID_TOKEN: await services.issuer.mint({}, 'sigstore'),
      },
    );
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^provenance: SLSA provenance needs a GitHub Actions identity.*\[OIDC_TOKEN_INVALID\]\n$/);
    await assert.rejects(readFile(path.join(ws, 'refused.jsonl')));
  });

  it('refuses sigstore: auto for a non-GitHub identity before any signing service is asked', async () => {
    // auto reads the repository's visibility from a GitHub job token; this one cannot say it.
    const before = { ...services.sigstore.requests };
    const run = await cli(
      [
        'attest',
        '--subject-path',
        'app.bin',
        '--predicate-type',
        'https://spdx.dev/Document/v2.3',
        '--predicate-path',
        'sbom.json',
        '--bundle-path',
        'auto.sigstore.json',
      ],
      {
        SIGSTORE_ID_TOKEN: await services.issuer.mint({}, 'sigstore'),
      },
    );
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /^provenance: sigstore: auto picks the instance from a GitHub Actions token's repository_visibility.*public-good.*\[SIGSTORE_CONFIG_INVALID\]\n$/,
    );
    assert.deepEqual(services.sigstore.requests, before, 'neither Fulcio nor Rekor was asked');
    await assert.rejects(readFile(path.join(ws, 'auto.sigstore.json')));
  });

  it('names a missing token and how to supply one', async () => {
    const run = await cli(['attest', '--subject-path', 'app.bin'], {});
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /^provenance: cannot sign: no OIDC token is available.*SIGSTORE_ID_TOKEN.*\[OIDC_UNAVAILABLE\]\n$/,
    );
  });

  it('--artifact outside a GitHub Actions job fails in one line before any token is used or anything signed', async () => {
    const before = { ...services.sigstore.requests };
    const run = await cli(['attest', '--artifact', 'build-output', '--sigstore', 'signing.json'], {
      SIGSTORE_ID_TOKEN: await services.issuer.mint({}, 'sigstore'),
    });
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /^provenance: GitHub Actions artifact service is not available: ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL are not set\. .*\[ARTIFACTS_UNAVAILABLE\]\n$/,
    );
    assert.deepEqual(services.sigstore.requests, before, 'neither Fulcio nor Rekor was asked');
  });

  it('rejects an unknown flag and an unknown command', async () => {
    const flag = await cli(['attest', '--subject', 'x'], {});
    assert.equal(flag.code, 1);
    assert.match(flag.stderr, /unknown argument "--subject"/);
    const command = await cli(['sign'], {});
    assert.equal(command.code, 2);
    assert.match(command.stderr, /unknown command "sign"/);
  });

  it('prints the overview with --help: both commands, and where their flags are', async () => {
    const run = await cli(['--help'], {});
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^usage: provenance attest/);
    assert.match(run.stdout, /provenance verify \[flags\]/);
    assert.match(run.stdout, /provenance verify --help/);
  });

  it("prints only attest's help for attest --help, and only verify's for verify --help", async () => {
    const attest = await cli(['attest', '--help'], {});
    assert.equal(attest.code, 0);
    assert.match(attest.stdout, /^usage: provenance attest \[flags\]\n/);
    assert.match(attest.stdout, /--upload-to-release/);
    assert.doesNotMatch(attest.stdout, /--trusted-root|^verify:/m, "none of verify's flags");

    for (const args of [
      ['verify', '--help'],
      ['help', 'verify'],
    ]) {
      const verify = await cli(args, {});
      assert.equal(verify.code, 0, args.join(' '));
      assert.match(verify.stdout, /^usage: provenance verify \[flags\]\n/, args.join(' '));
      assert.match(verify.stdout, /--trusted-root/);
      assert.doesNotMatch(verify.stdout, /--upload-to-release|^attest:|provenance attest/m, "none of attest's help");
    }
  });
});

describe('the CLI reads and writes where it is told, outside the current directory too', () => {
  let elsewhere: string; // stands for ~/Downloads: neither the current directory nor under it
  before(async () => {
    elsewhere = await mkdtemp(path.join(os.tmpdir(), 'downloads-'));
    await writeFile(path.join(elsewhere, 'x.tgz'), 'tarball');
    await mkdir(path.join(elsewhere, 'dist'));
    await writeFile(path.join(elsewhere, 'dist', 'a.bin'), 'a');
    await writeFile(path.join(elsewhere, 'trusted_root.json'), JSON.stringify(services.sigstore.trustedRoot));
  });
  after(() => rm(elsewhere, { recursive: true, force: true }));

  it('attests a file and a directory outside the current directory into a bundle-path there, then verifies them by absolute paths', async () => {
    const env = {
      SIGSTORE_ID_TOKEN: await services.issuer.mint({}, 'sigstore'),
      PROVENANCE_TEST_OIDC_ISSUER: services.issuer.issuer,
    };
    const bundle = path.join(elsewhere, 'x.sigstore.json');
    const attest = await cli(
      [
        'attest',
        '--subject-path',
        path.join(elsewhere, 'x.tgz'),
        '--subject-path',
        path.join(elsewhere, 'dist'),
        '--sigstore',
        'signing.json',
        '--bundle-path',
        bundle,
      ],
      env,
    );
    assert.equal(attest.code, 0, attest.stderr);
    assert.equal(attest.stdout, `${bundle}\n`);
    const [signed] = readBundles(await readFile(bundle, 'utf8'));
    assert.ok(signed);
    // Named as in a workspace: the file by its name, a file under a directory from that directory down.
    assert.deepEqual(
      statementOf(signed).subject.map((s) => s.name),
      ['dist/a.bin', 'x.tgz'],
    );

    const tmp = await mkdtemp(path.join(os.tmpdir(), 'cli-tmp-'));
    try {
      const verify = await cli(
        [
          'verify',
          '--bundle-path',
          bundle,
          '--subject-path',
          path.join(elsewhere, 'x.tgz'),
          '--trusted-root',
          path.join(elsewhere, 'trusted_root.json'),
          '--certificate-oidc-issuer',
          services.issuer.issuer,
          '--repository',
          services.issuer.claims.repository,
        ],
        { TMPDIR: tmp },
      );
      assert.equal(verify.code, 0, verify.stdout + verify.stderr);
      assert.match(verify.stdout, /PASS/);
      assert.deepEqual(await readdir(tmp), [], 'no report file unless --report-path asks for one');

      const report = path.join(elsewhere, 'reports', 'verify.json');
      const told = await cli(
        [
          'verify',
          '--bundle-path',
          bundle,
          '--subject-path',
          path.join(elsewhere, 'x.tgz'),
          '--trusted-root',
          path.join(elsewhere, 'trusted_root.json'),
          '--certificate-oidc-issuer',
          services.issuer.issuer,
          '--repository',
          services.issuer.claims.repository,
          '--report-path',
          report,
        ],
        { TMPDIR: tmp },
      );
      assert.equal(told.code, 0, told.stderr);
      assert.equal((JSON.parse(await readFile(report, 'utf8')) as { verified: boolean }).verified, true);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });
});
