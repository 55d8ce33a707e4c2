// The fence around sigstore-js internals (src/verify/crypto/sigstore-internals.ts) holds: the
// sigstore-js packages are pinned to exact versions and installed at those versions (a mismatch
// names the internals to re-check), every internal the fence lists still exists with the shape we
// use, and no other file in src/ reaches past a sigstore-js package's entry point.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { ASN1Obj, X509Certificate } from '@sigstore/core';
import { Verifier, type SignedEntity, type TrustMaterial } from '@sigstore/verify';
import {
  ASN1TagClass,
  filterTLogAuthorities,
  replaceFindExtension,
  replaceSigningKeyStage,
  SIGSTORE_INTERNALS,
  tufSeeds,
  verifyCertificateChain,
  type SigstoreInternal,
} from '../../src/verify/crypto/sigstore-internals.ts';
import { trustMaterialOf } from '../../src/verify/trust/material.ts';
import { publicGoodSnapshot, PUBLIC_GOOD_TUF_MIRROR } from '../../src/verify/trust/public-good.ts';

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
const FENCE = 'src/verify/crypto/sigstore-internals.ts';
// Pinned exactly: the packages whose internals the fence reaches, and @sigstore/sign (the signing
// half of the same release train, as issue 17 asks).
const PINNED = ['@sigstore/verify', '@sigstore/core', '@sigstore/sign', '@sigstore/tuf'] as const;

const readJSON = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(path.join(REPO_ROOT, file), 'utf8')) as Record<string, unknown>;

function recheck(pkg: string): string {
  const internals = SIGSTORE_INTERNALS.filter((i) => i.package === pkg);
  if (internals.length === 0) return `no internal of ${pkg} is reached; run the signing and verify tests`;
  return `re-check in ${FENCE}: ${internals.map((i) => `${i.kind} ${i.name} (used by ${i.usedBy.join(', ')})`).join('; ')}`;
}

describe('sigstore-js versions are pinned', () => {
  const manifest = readJSON('package.json');
  const dependencies = manifest['dependencies'] as Record<string, string>;
  const lock = readJSON('package-lock.json');
  const lockPackages = lock['packages'] as Record<string, { version?: string }>;

  for (const pkg of PINNED) {
    it(`${pkg}: exact pin, installed and locked at it`, () => {
      const pin = dependencies[pkg];
      assert.ok(
        pin !== undefined && /^\d+\.\d+\.\d+$/.test(pin),
        `${pkg} must be pinned to an exact version in package.json, found ${pin ?? 'none'}; ${recheck(pkg)}`,
      );
      const installed = (readJSON(`node_modules/${pkg}/package.json`)['version'] as string | undefined) ?? 'none';
      assert.equal(installed, pin, `${pkg} installed at ${installed}, pinned at ${pin}; ${recheck(pkg)}`);
      assert.equal(
        lockPackages[`node_modules/${pkg}`]?.version,
        pin,
        `package-lock.json has ${pkg} at ${lockPackages[`node_modules/${pkg}`]?.version ?? 'none'}, package.json pins ${pin}; run npm install`,
      );
    });

    it(`${pkg}: one copy (no package nests its own at another version)`, () => {
      const nested = Object.keys(lockPackages).filter(
        (key) => key.endsWith(`/node_modules/${pkg}`) && key !== `node_modules/${pkg}`,
      );
      assert.deepEqual(
        nested,
        [],
        `a second copy of ${pkg} would not be the one the fence's internals were checked against; ${recheck(pkg)}`,
      );
    });
  }

  it('every package the fence reaches into is pinned', () => {
    const reached = [...new Set(SIGSTORE_INTERNALS.map((i) => i.package))];
    assert.deepEqual(
      reached.filter((pkg) => !(PINNED as readonly string[]).includes(pkg)),
      [],
    );
  });
});

// One check per internal the fence lists, by name; a new entry without a check fails below.
const material = (): TrustMaterial => trustMaterialOf(publicGoodSnapshot());
const checks: Record<string, () => void> = {
  'dist/key/certificate.js#verifyCertificateChain': () => {
    assert.equal(typeof verifyCertificateChain, 'function');
    // (timestamp, leaf, certificateAuthorities) → the path, leaf first; a trusted root chains to itself.
    const ca = material().certificateAuthorities.find((c) => c.certChain.length === 1);
    assert.ok(ca?.certChain[0], 'the public-good snapshot has a single-certificate authority');
    const root = ca.certChain[0];
    const path = verifyCertificateChain(root.notBefore, root, [ca]);
    assert.equal(path[0], root);
  },
  'dist/trust/filter.js#filterTLogAuthorities': () => {
    assert.equal(typeof filterTLogAuthorities, 'function');
    const [log] = material().ctlogs;
    assert.ok(log);
    assert.deepEqual(filterTLogAuthorities([log], { logID: log.logID, targetDate: log.validFor.start }), [log]);
    assert.deepEqual(filterTLogAuthorities([log], { logID: Buffer.from('other'), targetDate: log.validFor.start }), []);
  },
  'Verifier.verifySigningKey': () => {
    // verify() calls the stage after the timestamps, with (entity, timestamps), and uses its Signer.
    const calls: unknown[][] = [];
    const verifier = replaceSigningKeyStage(
      new Verifier(material(), { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 }),
      (original) => {
        assert.equal(typeof original, 'function');
        return (...args) => {
          calls.push(args);
          throw new Error('stage reached');
        };
      },
    );
    const entity = {
      timestamps: [],
      key: { $case: 'public-key', hint: '' },
      tlogEntries: [],
      signature: {},
    } as unknown as SignedEntity;
    assert.throws(() => verifier.verify(entity), /stage reached/);
    assert.deepEqual(calls, [[entity, []]]);
  },
  'X509Certificate.findExtension': () => {
    const root = material().certificateAuthorities[0]?.certChain.at(-1);
    assert.ok(root);
    const cert = X509Certificate.parse(Buffer.from(root.root.toDER()));
    const asked: string[] = [];
    replaceFindExtension(cert, (oid) => {
      asked.push(oid);
      return undefined;
    });
    // The extension getters look up through it: a CA certificate with no extension found reads as no CA.
    assert.equal(cert.extBasicConstraints, undefined);
    assert.deepEqual(asked, ['2.5.29.19']);
  },
  'ASN1Tag (via ASN1Obj#tag.constructor)': () => {
    const sequence = new ASN1TagClass(0x30);
    assert.ok(ASN1Obj.parseBuffer(Buffer.from([0x30, 0x00])).tag instanceof ASN1TagClass);
    assert.equal(sequence.toDER(), 0x30);
    assert.equal(sequence.constructed, true);
    assert.equal(new ASN1TagClass(0x06).isOID(), true);
    assert.equal(new ASN1TagClass(0x18).isGeneralizedTime(), true);
    assert.throws(() => new ASN1TagClass(0x1f)); // long-form tag numbers, which der.ts leaves out
  },
  'seeds.json': () => {
    const seed = tufSeeds[PUBLIC_GOOD_TUF_MIRROR];
    assert.equal(typeof seed['root.json'], 'string');
    assert.equal(typeof seed.targets['trusted_root.json'], 'string');
  },
};

describe('each internal the fence relies on still has its shape', () => {
  for (const internal of SIGSTORE_INTERNALS) {
    it(`${internal.package} ${internal.kind} ${internal.name}`, () => {
      const check = checks[internal.name];
      assert.ok(check, `no check for ${internal.name}: add one to this test`);
      try {
        check();
      } catch (err) {
        throw new Error(
          `${internal.package} ${internal.name} changed; it is used by ${internal.usedBy.join(', ')} because ${internal.why}`,
          { cause: err },
        );
      }
    });
  }
});

function tsFiles(dir: string): string[] {
  return readdirSync(path.join(REPO_ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.relative(REPO_ROOT, path.join(entry.parentPath, entry.name)));
}

interface Reach {
  file: string;
  what: string;
}

// Module specifiers that go past a sigstore-js package's entry point (`@sigstore/x/anything`), from
// imports, re-exports, import(), require() and import =; and the names of the private members the
// fence reaches (as properties or strings), wherever they appear.
function reachesIn(file: string, privateMembers: ReadonlySet<string>): Reach[] {
  const source = ts.createSourceFile(
    file,
    readFileSync(path.join(REPO_ROOT, file), 'utf8'),
    ts.ScriptTarget.Latest,
    true,
  );
  const found: Reach[] = [];
  const specifier = (node: ts.Node | undefined): void => {
    if (node && ts.isStringLiteralLike(node) && /^@sigstore\/[^/]+\/./.test(node.text))
      found.push({ file, what: node.text });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) specifier(node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference))
      specifier(node.moduleReference.expression);
    else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === 'require'))
    )
      specifier(node.arguments[0]);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) specifier(node.argument.literal);
    if (
      (ts.isIdentifier(node) || ts.isPrivateIdentifier(node) || ts.isStringLiteralLike(node)) &&
      privateMembers.has(node.text)
    )
      found.push({ file, what: node.text });
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const memberName = (internal: SigstoreInternal): string => internal.name.split('.').at(-1) ?? internal.name;

describe('only the fence reaches into sigstore-js', () => {
  const privateMembers = new Set(SIGSTORE_INTERNALS.filter((i) => i.kind === 'private member').map(memberName));

  it(`no file in src/ but ${FENCE} imports a sigstore-js file or names a private member`, () => {
    const reaches = tsFiles('src')
      .filter((file) => file !== FENCE)
      .flatMap((file) => reachesIn(file, privateMembers));
    assert.deepEqual(reaches, [], `import these through ${FENCE} (and list them there)`);
  });

  it('the fence itself reaches exactly the deep paths it lists', () => {
    const listed = SIGSTORE_INTERNALS.filter((i) => i.kind === 'deep import').map(
      (i) => `${i.package}/${i.name.split('#')[0] ?? ''}`,
    );
    const imported = reachesIn(FENCE, new Set()).map((r) => r.what);
    assert.deepEqual([...new Set(imported)].sort(), [...new Set(listed)].sort());
  });

  it("testkit reaches only @sigstore/mock's files (its root loads nock, which would intercept every request)", () => {
    const reaches = tsFiles('testkit').flatMap((file) => reachesIn(file, new Set()));
    assert.deepEqual(
      reaches.filter((r) => !r.what.startsWith('@sigstore/mock/dist/')),
      [],
    );
    assert.deepEqual(reaches.map((r) => `${r.file}: ${r.what}`).sort(), [
      'testkit/sigstore-stack.ts: @sigstore/mock/dist/fulcio/index.js',
      'testkit/sigstore-stack.ts: @sigstore/mock/dist/shared.types.js',
      'testkit/sigstore-stack.ts: @sigstore/mock/dist/timestamp/index.js',
    ]);
  });
});
