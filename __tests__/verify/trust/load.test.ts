// Where trusted roots come from: files (JSON or JSON Lines), the public-good root (through TUF:
// tuf.test.ts), and GitHub's TUF repository, which is out of reach here and must say so clearly.
// Also checks that the pinned GitHub TUF root is intact: its own keys sign it past its threshold.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, verify } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ProvenanceError } from '../../../src/common/errors.ts';
import { loadTrustedRoots } from '../../../src/verify/trust/index.ts';
import { VerificationError } from '../../../src/verify/types.ts';
import { closedPort } from '../../../testkit/http.ts';
import { olpcCanonical } from '../../../testkit/tuf-repo.ts';
import { casePath, REPO_ROOT } from '../crypto/corpus.ts';

void describe('loadTrustedRoots', () => {
  let dir: string;
  let offline: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'trusted-roots-'));
    offline = `http://127.0.0.1:${await closedPort()}`;
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  void it('reads one root from a JSON file, relative to the workspace', async () => {
    const text = await readFile(casePath('rekor2-happy-path', 'trusted_root.json'), 'utf8');
    await writeFile(path.join(dir, 'root.json'), text);
    const roots = await loadTrustedRoots('root.json', dir);
    assert.equal(roots.length, 1);
  });

  void it('reads several roots from JSON Lines, and names the line of a bad one', async () => {
    const a = JSON.stringify(JSON.parse(await readFile(casePath('rekor2-happy-path', 'trusted_root.json'), 'utf8')));
    const b = JSON.stringify(
      JSON.parse(await readFile(casePath('intoto-with-custom-trust-root', 'trusted_root.json'), 'utf8')),
    );
    await writeFile(path.join(dir, 'roots.jsonl'), `${a}\n\n${b}\n`);
    assert.equal((await loadTrustedRoots(path.join(dir, 'roots.jsonl'), REPO_ROOT)).length, 2);
    const bad = JSON.stringify(
      JSON.parse(await readFile(casePath('trust-root-tlog-missing-validity-start_fail', 'trusted_root.json'), 'utf8')),
    );
    await writeFile(path.join(dir, 'bad.jsonl'), `${a}\n${bad}\n`);
    await assert.rejects(
      loadTrustedRoots(path.join(dir, 'bad.jsonl'), REPO_ROOT),
      (err: unknown) =>
        err instanceof VerificationError &&
        err.failure.check === 'trusted-root' &&
        err.failure.found.includes('bad.jsonl line 2'),
    );
  });

  void it('refuses a file that is not JSON or is empty, as a trusted-root failure', async () => {
    await writeFile(path.join(dir, 'junk.json'), '{"mediaType": \n');
    await assert.rejects(
      loadTrustedRoots(path.join(dir, 'junk.json'), REPO_ROOT),
      (err: unknown) =>
        err instanceof VerificationError &&
        err.failure.check === 'trusted-root' &&
        /invalid JSON/.test(err.failure.found),
    );
    await writeFile(path.join(dir, 'empty.json'), '\n');
    await assert.rejects(
      loadTrustedRoots(path.join(dir, 'empty.json'), REPO_ROOT),
      (err: unknown) => err instanceof VerificationError && /empty file/.test(err.failure.found),
    );
  });

  void it('says which file it cannot read', async () => {
    await assert.rejects(
      loadTrustedRoots(path.join(dir, 'missing.json'), REPO_ROOT),
      (err: unknown) =>
        err instanceof ProvenanceError &&
        err.code === 'TRUSTED_ROOT_UNAVAILABLE' &&
        err.message.includes('missing.json') &&
        err.message.includes('ENOENT'),
    );
    await assert.rejects(
      loadTrustedRoots(' ', REPO_ROOT),
      (err: unknown) => err instanceof ProvenanceError && err.code === 'INPUT_INVALID',
    );
  });

  void it("github: names GitHub's TUF repository and the way out when it cannot be reached", async () => {
    await assert.rejects(
      loadTrustedRoots('github', REPO_ROOT, { github: { mirrorURL: offline, retries: 0, timeoutMs: 2000 } }),
      (err: unknown) =>
        err instanceof ProvenanceError &&
        err.code === 'TRUSTED_ROOT_UNAVAILABLE' &&
        err.message.includes(offline) &&
        /ECONNREFUSED/.test(err.message) &&
        /tuf-repo\.github\.com/.test(err.hint) &&
        /path as the trusted root/.test(err.hint) &&
        !err.toLine().includes('\n'),
    );
  });

  void it('auto: public-good, and GitHub only when reachable', async () => {
    const warnings: string[] = [];
    const roots = await loadTrustedRoots('auto', REPO_ROOT, {
      github: { mirrorURL: offline },
      publicGood: { mirrorURL: offline, retries: 0 },
      log: { warning: (m) => warnings.push(m) },
    });
    assert.equal(roots.length, 1);
    assert.ok(roots[0]?.tlogs.some((t) => t.baseUrl === 'https://rekor.sigstore.dev'));
    // Public-good's repository was out of reach too: the shipped snapshot, said once; GitHub's absence is not a warning.
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0] ?? '', /public-good TUF repository .* could not be reached/);
  });

  void it('public-good-offline: the snapshot shipped with the action, and it is the public-good instance', async () => {
    const [root] = await loadTrustedRoots('public-good-offline', REPO_ROOT);
    assert.ok(root?.tlogs.some((t) => t.baseUrl === 'https://rekor.sigstore.dev'));
    assert.ok(root?.certificateAuthorities.some((ca) => ca.uri === 'https://fulcio.sigstore.dev'));
  });

  void it('lists every named choice in the hint for a trusted root that is neither a name nor a file', async () => {
    await assert.rejects(
      loadTrustedRoots('public-good-ofline', dir),
      (err: unknown) =>
        err instanceof ProvenanceError && err.hint.includes('public-good, public-good-offline, github, auto'),
    );
  });
});

void describe("the pinned root of GitHub's TUF repository", () => {
  // TUF signs the OLPC canonical JSON of `signed` (the PEM keys keep their raw newlines).
  const canonical = olpcCanonical;

  void it('is signed by at least its threshold of its own root keys', async () => {
    interface Root {
      signed: {
        _type: string;
        keys: Record<string, { keyval: { public: string } }>;
        roles: { root: { keyids: string[]; threshold: number } };
      };
      signatures: { keyid: string; sig: string }[];
    }
    const root = JSON.parse(
      await readFile(path.join(REPO_ROOT, 'src/verify/trust/github-tuf-root.json'), 'utf8'),
    ) as Root;
    assert.equal(root.signed._type, 'root');
    const data = Buffer.from(canonical(root.signed));
    const valid = root.signatures.filter(({ keyid, sig }) => {
      const key = root.signed.keys[keyid];
      return (
        sig !== '' &&
        key !== undefined &&
        root.signed.roles.root.keyids.includes(keyid) &&
        verify('sha256', data, key.keyval.public, Buffer.from(sig, 'hex'))
      );
    });
    assert.ok(
      valid.length >= root.signed.roles.root.threshold,
      `${valid.length} valid signatures, threshold ${root.signed.roles.root.threshold}`,
    );
    // The content signed is version 3 as GitHub published it; an edit changes this digest.
    assert.equal(
      createHash('sha256').update(data).digest('hex'),
      'c776688864e787dcf9f76f9b51d7aa0108f1c50217bebbf0f5d117fb2fe986a5',
    );
  });
});
