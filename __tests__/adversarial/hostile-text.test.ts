// Issue #14, item 4: text written by whoever made a bundle (or runs a registry or an API) must
// not write lines of its own into the log of a job that holds id-token: write. Hostile strings
// (workflow commands, Azure's ##vso[, terminal escapes, bidi overrides, a forged verdict line)
// are put everywhere such text enters: a linked bundle's predicate type (attest's `links`, never
// verified), the subject names and predicate fields of signed bundles, the signer's certificate
// (through its token claims), a bundle file that is not JSON, the attestations API's stored
// bundles and its error message. Each reaches every place it is printed through the bundled
// action (dist/index.js, as a runner starts it) and the CLI's text report (dist/cli.js):
// no line may be a workflow command other than the action's own, hold a raw control character
// or ##vso[, or be the forged verdict; the job summary holds no raw injected markup.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startLocalServices, type LocalServices } from '../../testkit/index.ts';
import { REPO_ROOT, runAction, runProcess, type ActionRun } from '../../testkit/runner.ts';
import { provenanceStatement, signStatement } from '../../testkit/sign.ts';

const FORGED_VERDICT = 'verified: all 3 artifact(s) passed';
/** Every trick at once: each must come out inert wherever the string is printed. */
const HOSTILE = [
  '\n::add-mask::x',
  '\n::stop-commands::tok',
  '\r##vso[task.setvariable variable=x]y',
  '\x1b[2J\x9b31m',
  '\u202eevil\u2066',
  `\n${FORGED_VERDICT}`,
  '\n::error title=forged::fake failure',
  '\u2028::warning::sep',
  ' ##[add-mask]legacy',
].join('');
/** A file name with everything HOSTILE has but "/" and control characters (subject names refuse those, see the last test). */
const HOSTILE_FILE = 'app-::warning::forged ##vso[task.complete result=Succeeded]\u202e ##[add-mask]x `|<img src=x>|';
/** And one with control characters: refused as a subject, in a line that must be inert too. */
const CONTROL_FILE = `ctl-${HOSTILE}`;

/** The workflow commands the action itself writes (through @actions/core): their data is escaped by core. */
const OWN_COMMANDS = /^::(error|warning|debug|notice|add-mask|group|endgroup)( [^:]*)?::/;

function assertInert(where: string, text: string, ownCommands: boolean): void {
  const lines = text.split('\n');
  for (const line of lines) {
    // A runner trims leading whitespace before looking for "::".
    const trimmed = line.trimStart();
    if (trimmed.startsWith('::')) {
      assert.ok(
        ownCommands && OWN_COMMANDS.test(trimmed),
        `${where}: a line starts a workflow command: ${JSON.stringify(line)}`,
      );
      // Only the action's own error/warning lines: their data never names a command the bundle chose.
      assert.ok(
        !/^::(add-mask|stop-commands|set-output|set-env|add-path)/.test(trimmed),
        `${where}: ${JSON.stringify(line)}`,
      );
    }
    assert.ok(
      !/[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u.test(line.replace(/\r$/, '')),
      `${where}: a raw control, separator or bidi character: ${JSON.stringify(line)}`,
    );
    assert.ok(
      !line.includes('##vso[') && !line.includes('##['),
      `${where}: an Azure or legacy runner command: ${JSON.stringify(line)}`,
    );
    assert.ok(
      !line.includes('add-mask::') && !line.includes('stop-commands::'),
      `${where}: a command a bundle chose: ${JSON.stringify(line)}`,
    );
    assert.notEqual(trimmed, FORGED_VERDICT, `${where}: the forged verdict stands as a line`);
  }
}

function assertRunInert(run: ActionRun | { stdout: string; stderr: string }, what: string, own = true): void {
  assertInert(`${what} stdout`, run.stdout, own);
  assertInert(`${what} stderr`, run.stderr, false);
}

/**
 * The summary is Markdown: beyond being line-safe, injected text stays inside code spans (where
 * HTML and links are shown as text), so outside them there is no tag, and every row of a table
 * has as many cells as its header.
 */
function assertSummaryInert(summary: string, what: string): void {
  // Within GitHub's 1 MiB limit, however much hostile text there was.
  assert.ok(Buffer.byteLength(summary) < 1024 * 1024, `${what} summary: over 1 MiB`);
  assertInert(`${what} summary`, summary, false);
  let cells: number | undefined;
  for (const line of summary.split('\n')) {
    const outside = line.replace(/`[^`]*`/g, '');
    // Only our own tags: line breaks, and <details> folds (their text is code spans too).
    assert.ok(
      !/<(?!br>|\/?details>|\/?summary>)/.test(outside),
      `${what} summary: markup outside a code span: ${line}`,
    );
    for (const [, target] of outside.matchAll(/\]\(([^)]*)\)/g))
      assert.match(
        target ?? '',
        /^https:\/\/[A-Za-z0-9.:/?=_-]+$/,
        `${what} summary: a link of our own making only: ${line}`,
      );
    if (!line.startsWith('|')) {
      cells = undefined;
      continue;
    }
    const count = (outside.match(/(?<!\\)\|/g) ?? []).length;
    cells ??= count;
    assert.equal(count, cells, `${what} summary: a row with other cells than its table: ${line}`);
  }
}

let services: LocalServices;
let scratch: string;
let ws: string;
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

before(async () => {
  services = await startLocalServices();
  scratch = await mkdtemp(path.join(os.tmpdir(), 'hostile-text-'));
  ws = await mkdtemp(path.join(scratch, 'ws-'));
  await writeFile(path.join(ws, 'app.bin'), 'app');
  await writeFile(path.join(ws, HOSTILE_FILE), 'hostile name');
  await writeFile(path.join(ws, CONTROL_FILE), 'control characters');
  await writeFile(path.join(ws, 'trusted_root.json'), JSON.stringify(services.sigstore.trustedRoot));
  await writeFile(
    path.join(ws, 'signing.json'),
    JSON.stringify(services.sigstore.signingConfig({ tlog: true, tsa: false })),
  );
});
after(async () => {
  await services?.stop();
  await rm(scratch, { recursive: true, force: true });
});

describe('hostile text from a linked bundle (attest, links)', () => {
  it('the linked predicate type and file name reach the log and summary inert', async () => {
    const statement = {
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: HOSTILE, digest: { sha256: sha256('app') } }],
      predicateType: `https://example.com/${HOSTILE}<img src=x onerror=alert(1)>|x|`,
      predicate: { note: HOSTILE },
    };
    const bundle = await signStatement(services, statement);
    await writeFile(path.join(ws, 'linked.sigstore.json'), JSON.stringify(bundle));
    const run = await runAction(services, {
      scratch,
      workspace: ws,
      inputs: {
        'subject-path': 'app.bin',
        sigstore: 'signing.json',
        'bundle-path': 'with-link.sigstore.json',
        links: 'linked.sigstore.json',
        'attestations-api': 'false',
      },
    });
    assert.equal(run.code, 0, run.stdout);
    assert.match(
      run.stdout,
      /^linking 1 attestation\(s\): linked\.sigstore\.json \(https:\/\/example\.com\/\\n:\\u003aadd-mask:\\u003ax/m,
    );
    assertRunInert(run, 'attest with a hostile link');
    assert.match(run.summary, /Builds on/);
    assertSummaryInert(run.summary, 'attest with a hostile link');
  });

  it('the CLI prints the same link inert', async () => {
    const run = await runProcess(
      process.execPath,
      [
        path.join(REPO_ROOT, 'dist', 'cli.js'),
        'attest',
        '--subject-path',
        'app.bin',
        '--sigstore',
        'signing.json',
        '--bundle-path',
        'cli-link.sigstore.json',
        '--links',
        'linked.sigstore.json',
      ],
      {
        PATH: process.env['PATH'],
        HOME: process.env['HOME'],
        SIGSTORE_ID_TOKEN: await services.issuer.mint({}, 'sigstore'),
        PROVENANCE_TEST_OIDC_ISSUER: services.issuer.issuer,
      },
      ws,
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /linking 1 attestation/);
    assertRunInert(run, 'CLI attest with a hostile link', false);
  });
});

describe('hostile text in verified bundles (verify)', () => {
  before(async () => {
    const digest = { sha256: sha256('app') };
    const ref = `refs/heads/${HOSTILE}`;
    const hostileRef = {
      ref,
      workflow_ref: `${services.issuer.claims.repository}/.github/workflows/release.yml@${ref}`,
    };
    // Signed by a token whose ref claim is hostile: the certificate's source-ref extension carries it.
    const forged = provenanceStatement(services, [
      { name: HOSTILE, digest },
      { name: 'other', digest: { sha256: sha256('hostile name') } },
    ]) as { predicate: { buildDefinition: { externalParameters: { workflow: { ref: string } } } } };
    forged.predicate.buildDefinition.externalParameters.workflow.ref = `refs/tags/${HOSTILE}`;
    const lines = [
      await signStatement(services, forged),
      await signStatement(services, provenanceStatement(services, [{ name: HOSTILE, digest }], hostileRef), {
        claims: hostileRef,
      }),
      await signStatement(services, {
        _type: 'https://in-toto.io/Statement/v1',
        subject: [{ name: HOSTILE, digest }],
        predicateType: `https://example.com/${HOSTILE}`,
        predicate: {},
      }),
      await signStatement(
        services,
        provenanceStatement(services, [{ name: HOSTILE, digest: { sha256: sha256('nothing here') } }]),
      ),
    ];
    await writeFile(path.join(ws, 'hostile.intoto.jsonl'), `${lines.map((b) => JSON.stringify(b)).join('\n')}\n`);
    await writeFile(path.join(ws, 'not-json.sigstore.json'), `${HOSTILE}\n`);
    services.github.addAttestation(services.issuer.claims.repository, lines[2]);
  });

  const policy = (): Record<string, string> => ({
    'bundle-path': 'hostile.intoto.jsonl\nnot-json.sigstore.json',
    'trusted-root': 'trusted_root.json',
    'certificate-oidc-issuer': services.issuer.issuer,
    repository: services.issuer.claims.repository,
    'source-ref': 'refs/tags/*',
  });

  it('the action: log lines, annotations, failure line and summary stay inert', async () => {
    const run = await runAction(services, {
      scratch,
      workspace: ws,
      env: { GITHUB_API_URL: services.github.url },
      inputs: { mode: 'verify', 'subject-path': 'app*', 'attestations-api': 'true', ...policy() },
    });
    assert.equal(run.code, 1, run.stdout);
    // The failures were reached (so their text was printed), each one through the paths under test
    // (an annotation quotes at most 3 reasons; the summary has them all).
    const shown = `${run.stdout}\n${run.summary}`;
    assert.match(shown, /predicate-matches-certificate/);
    assert.match(shown, /predicate-type/);
    assert.match(shown, /source-ref/);
    // Annotations (one per failing artifact, titled with its name) and the step's failure line.
    assert.ok(run.stdout.split('\n').filter((l) => l.startsWith('::error')).length >= 3, run.stdout);
    assertRunInert(run, 'verify action');
    assertSummaryInert(run.summary, 'verify action');
  });

  it('the CLI text report: PASS/FAIL lines, failed checks, unused-bundle notes', async () => {
    const flags = Object.entries({ ...policy(), 'subject-path': 'app*' }).flatMap(([k, v]) => [`--${k}`, v]);
    const run = await runProcess(
      process.execPath,
      [path.join(REPO_ROOT, 'dist', 'cli.js'), 'verify', ...flags],
      { PATH: process.env['PATH'] },
      ws,
    );
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stdout,
      /^note: not-json\.sigstore\.json:\d+ lists none of the artifacts \(bundle-format: .*found invalid JSON/m,
    );
    assert.match(run.stdout, /^note: hostile\.intoto\.jsonl:4 lists none of the artifacts/m);
    assert.match(run.stdout, /^FAIL app-:\\u003awarning:\\u003aforged #\\u0023vso/m);
    assertRunInert(run, 'CLI verify', false);
  });

  it('an error message from the attestations API reaches the failure line inert', async () => {
    services.github.failFirst(1, { status: 400, message: HOSTILE }, ['list-attestations']);
    const run = await runAction(services, {
      scratch,
      workspace: ws,
      env: { GITHUB_API_URL: services.github.url },
      inputs: { mode: 'verify', 'subject-path': 'app.bin', ...policy(), 'bundle-path': '', 'attestations-api': 'true' },
    });
    assert.equal(run.code, 1, run.stdout);
    assert.match(run.errors.at(-1) ?? '', /HTTP 400/);
    assertRunInert(run, 'verify with an API error');
  });

  it('a subject file named with control characters is refused in one inert line', async () => {
    const run = await runAction(services, {
      scratch,
      workspace: ws,
      inputs: { mode: 'verify', 'subject-path': 'ctl-*', ...policy() },
    });
    assert.equal(run.code, 1, run.stdout);
    assert.match(run.errors.at(-1) ?? '', /contains a control character.*\[INPUT_INVALID\]$/);
    assertRunInert(run, 'verify of a control-character file name');
  });
});
