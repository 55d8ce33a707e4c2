// The local Rekor's Merkle tree (testkit/rekor/merkle.ts) against RFC 6962: the Certificate
// Transparency project's known-answer roots and paths, and, for every prefix of a 70-leaf log and
// every leaf in it, the tree hash and audit path by the RFC's recursive definitions, checked with
// RFC 9162's verification algorithm (__tests__/testkit/rfc9162.ts), all after the tree grew past them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MerkleTree, leafHash } from '../../testkit/rekor/merkle.ts';
import { auditPath, hashLeaf, treeHash, verifyInclusion } from './rfc9162.ts';

const hex = (b: Buffer): string => b.toString('hex');

// certificate-transparency's merkle_tree_test / transparency-dev/merkle's reference test data.
const CT_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];
const CT_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const CT_PATH_LEAF_0_OF_8 = [
  '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
  '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
  '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
];

function treeOf(leaves: readonly Buffer[]): MerkleTree {
  const tree = new MerkleTree();
  leaves.forEach((leaf, i) => assert.equal(tree.append(leaf), i));
  return tree;
}

void describe('the local Rekor’s Merkle tree', () => {
  void it('matches the Certificate Transparency known answers, for the empty tree too', () => {
    const tree = treeOf(CT_LEAVES.map((l) => leafHash(Buffer.from(l, 'hex'))));
    assert.equal(hex(tree.rootHash(0)), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.deepEqual(
      CT_ROOTS.map((_, i) => hex(tree.rootHash(i + 1))),
      CT_ROOTS,
    );
    assert.deepEqual(tree.inclusionProof(0).map(hex), CT_PATH_LEAF_0_OF_8);
  });

  void it('gives every prefix’s root and every leaf’s audit path as RFC 6962 defines them, after the tree grew', () => {
    const leaves = Array.from({ length: 70 }, (_, i) => hashLeaf(Buffer.from(`entry ${i}`)));
    const tree = treeOf(leaves);
    let proofs = 0;
    for (let size = 1; size <= leaves.length; size++) {
      const prefix = leaves.slice(0, size);
      const root = tree.rootHash(size);
      assert.equal(hex(root), hex(treeHash(prefix)), `root of ${size}`);
      for (let index = 0; index < size; index++) {
        const path = tree.inclusionProof(index, size);
        assert.deepEqual(path.map(hex), auditPath(index, prefix).map(hex), `path of ${index} in ${size}`);
        assert.ok(
          verifyInclusion(BigInt(index), BigInt(size), leaves[index] as Buffer, path, root),
          `proof of ${index} in ${size}`,
        );
        proofs++;
      }
    }
    assert.equal(proofs, (70 * 71) / 2);
  });

  void it('hashes a leaf as SHA-256(0x00 || data), not the data alone', () => {
    assert.equal(hex(leafHash(Buffer.from(''))), CT_ROOTS[0]);
  });

  void it('refuses sizes and indexes outside the tree', () => {
    const tree = treeOf([leafHash(Buffer.from('a')), leafHash(Buffer.from('b'))]);
    assert.throws(() => tree.rootHash(3), RangeError);
    assert.throws(() => tree.rootHash(-1), RangeError);
    assert.throws(() => tree.inclusionProof(2, 2), RangeError);
    assert.throws(() => tree.inclusionProof(1, 1), RangeError);
    assert.throws(() => tree.inclusionProof(0, 3), RangeError);
  });

  void it('has a test verifier that refuses what is wrong (a changed hash, size, index or root)', () => {
    const leaves = Array.from({ length: 13 }, (_, i) => hashLeaf(Buffer.from([i])));
    const tree = treeOf(leaves);
    const root = tree.rootHash();
    const path = tree.inclusionProof(6);
    const leaf = leaves[6] as Buffer;
    assert.ok(verifyInclusion(6n, 13n, leaf, path, root));
    const flipped = path.map((h, i) =>
      i === 1 ? Buffer.concat([h.subarray(0, 31), Buffer.from([(h[31] ?? 0) ^ 1])]) : h,
    );
    assert.equal(verifyInclusion(6n, 13n, leaf, flipped, root), false);
    // A size whose tree puts leaf 6 on another path shape; 14 would not (leaf 6 sits in the same left
    // subtree of 8 there), which is why a proof's size must be bound by the signed checkpoint.
    assert.equal(verifyInclusion(6n, 7n, leaf, path, root), false);
    assert.ok(verifyInclusion(6n, 14n, leaf, path, root));
    assert.equal(verifyInclusion(7n, 13n, leaf, path, root), false);
    assert.equal(verifyInclusion(6n, 13n, leaf, path.slice(0, -1), root), false);
    assert.equal(verifyInclusion(6n, 13n, leaf, [...path].reverse(), root), false);
    assert.equal(verifyInclusion(6n, 13n, leaf, path, tree.rootHash(12)), false);
  });
});
