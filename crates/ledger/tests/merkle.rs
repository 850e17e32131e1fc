//! RFC 9162 tree hashing and proofs: published test vectors, an independent oracle written
//! straight from the RFC's recursive definitions, and tamper detection.

use wuliu_ledger::hash::{empty_root, leaf_hash, node_hash, Hash};
use wuliu_ledger::tree::MerkleTree;
use wuliu_ledger::{verify_consistency, verify_inclusion, ProofError};

/// The Certificate Transparency reference leaves (RFC 6962 / RFC 9162 share the hashing).
const CT_LEAVES: [&str; 8] = [
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
];
/// Root of the tree of the first n leaves, n = 0..=8.
const CT_ROOTS: [&str; 9] = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

fn h(s: &str) -> Hash {
    Hash::from_hex(s).unwrap()
}

fn ct_tree() -> (MerkleTree, Vec<Hash>) {
    let leaves: Vec<Hash> = CT_LEAVES
        .iter()
        .map(|x| leaf_hash(&hex::decode(x).unwrap()))
        .collect();
    let mut t = MerkleTree::new();
    for l in &leaves {
        t.push(*l);
    }
    (t, leaves)
}

#[test]
fn roots_match_the_published_vectors() {
    let (t, _) = ct_tree();
    assert_eq!(empty_root(), h(CT_ROOTS[0]));
    for (n, root) in CT_ROOTS.iter().enumerate() {
        assert_eq!(t.root(n as u64).unwrap(), h(root), "size {n}");
    }
}

#[test]
fn proofs_match_the_published_vectors() {
    let (t, leaves) = ct_tree();
    let p = t.inclusion_path(0, 8).unwrap();
    assert_eq!(
        p,
        vec![
            h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
        ]
    );
    let p = t.inclusion_path(5, 8).unwrap();
    assert_eq!(
        p,
        vec![
            h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
            h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
            h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        ]
    );
    assert_eq!(
        verify_inclusion(5, 8, &leaves[5], &p, &h(CT_ROOTS[8])),
        Ok(())
    );
    let c = t.consistency_path(2, 5).unwrap();
    assert_eq!(
        c,
        vec![
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
        ]
    );
    assert_eq!(
        verify_consistency(2, 5, &h(CT_ROOTS[2]), &h(CT_ROOTS[5]), &c),
        Ok(())
    );
    let c = t.consistency_path(2, 8).unwrap();
    assert_eq!(
        c,
        vec![
            h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
        ]
    );
}

// ---- Oracle: RFC 9162 §2.1 definitions, recursively over the leaf list. ----

fn k_of(n: usize) -> usize {
    let mut k = 1;
    while k * 2 < n {
        k *= 2;
    }
    k
}

fn mth(d: &[Hash]) -> Hash {
    match d.len() {
        0 => empty_root(),
        1 => d[0],
        n => {
            let k = k_of(n);
            node_hash(&mth(&d[..k]), &mth(&d[k..]))
        }
    }
}

fn path(m: usize, d: &[Hash]) -> Vec<Hash> {
    let n = d.len();
    if n <= 1 {
        return vec![];
    }
    let k = k_of(n);
    if m < k {
        let mut p = path(m, &d[..k]);
        p.push(mth(&d[k..]));
        p
    } else {
        let mut p = path(m - k, &d[k..]);
        p.push(mth(&d[..k]));
        p
    }
}

fn subproof(m: usize, d: &[Hash], b: bool) -> Vec<Hash> {
    let n = d.len();
    if m == n {
        return if b { vec![] } else { vec![mth(d)] };
    }
    let k = k_of(n);
    if m <= k {
        let mut p = subproof(m, &d[..k], b);
        p.push(mth(&d[k..]));
        p
    } else {
        let mut p = subproof(m - k, &d[k..], false);
        p.push(mth(&d[..k]));
        p
    }
}

fn leaves(n: usize) -> Vec<Hash> {
    (0..n as u32).map(|i| leaf_hash(&i.to_le_bytes())).collect()
}

#[test]
fn tree_agrees_with_the_rfc_definitions_for_every_size_up_to_70() {
    let all = leaves(70);
    let mut t = MerkleTree::new();
    for l in &all {
        t.push(*l);
    }
    for n in 0..=70usize {
        let d = &all[..n];
        let root = mth(d);
        assert_eq!(t.root(n as u64).unwrap(), root, "root {n}");
        for m in 0..n {
            let p = t.inclusion_path(m as u64, n as u64).unwrap();
            assert_eq!(p, path(m, d), "path {m} of {n}");
            assert_eq!(
                verify_inclusion(m as u64, n as u64, &d[m], &p, &root),
                Ok(())
            );
        }
        for m in 1..n {
            let p = t.consistency_path(m as u64, n as u64).unwrap();
            assert_eq!(p, subproof(m, d, true), "consistency {m}->{n}");
            assert_eq!(
                verify_consistency(m as u64, n as u64, &mth(&d[..m]), &root, &p),
                Ok(())
            );
        }
    }
}

#[test]
fn any_change_to_an_inclusion_proof_is_caught() {
    let all = leaves(37);
    let mut t = MerkleTree::new();
    for l in &all {
        t.push(*l);
    }
    let root = t.root(37).unwrap();
    for m in [0u64, 1, 17, 31, 32, 36] {
        let p = t.inclusion_path(m, 37).unwrap();
        let leaf = all[m as usize];
        // Wrong leaf, wrong index, wrong root. (A wrong size alone can give the same path
        // shape; the size is bound to the root by the signed tree head instead.)
        assert!(verify_inclusion(m, 37, &all[(m as usize + 1) % 37], &p, &root).is_err());
        assert!(verify_inclusion((m + 1) % 37, 37, &leaf, &p, &root).is_err());
        assert!(verify_inclusion(m, 1000, &leaf, &p, &root).is_err());
        assert!(verify_inclusion(m, 37, &leaf, &p, &leaf_hash(b"x")).is_err());
        assert!(matches!(
            verify_inclusion(37, 37, &leaf, &p, &root),
            Err(ProofError::IndexOutOfRange { .. })
        ));
        // Each element flipped, dropped, or an element added.
        for i in 0..p.len() {
            let mut q = p.clone();
            q[i].0[0] ^= 1;
            assert!(verify_inclusion(m, 37, &leaf, &q, &root).is_err());
            let mut q = p.clone();
            q.remove(i);
            assert!(verify_inclusion(m, 37, &leaf, &q, &root).is_err());
        }
        let mut q = p.clone();
        q.push(root);
        assert!(verify_inclusion(m, 37, &leaf, &q, &root).is_err());
    }
}

#[test]
fn any_change_to_a_consistency_proof_is_caught() {
    let all = leaves(50);
    let mut t = MerkleTree::new();
    for l in &all {
        t.push(*l);
    }
    for (old, new) in [(1u64, 50u64), (7, 50), (16, 50), (33, 49), (49, 50)] {
        let p = t.consistency_path(old, new).unwrap();
        let (r1, r2) = (t.root(old).unwrap(), t.root(new).unwrap());
        assert_eq!(verify_consistency(old, new, &r1, &r2, &p), Ok(()));
        assert!(verify_consistency(old, new, &r2, &r2, &p).is_err());
        assert!(verify_consistency(old, new, &r1, &r1, &p).is_err());
        assert!(verify_consistency(old + 1, new, &r1, &r2, &p).is_err());
        assert!(verify_consistency(new, old, &r1, &r2, &p).is_err());
        for i in 0..p.len() {
            let mut q = p.clone();
            q[i].0[31] ^= 0x80;
            assert!(verify_consistency(old, new, &r1, &r2, &q).is_err());
            let mut q = p.clone();
            q.remove(i);
            assert!(verify_consistency(old, new, &r1, &r2, &q).is_err());
        }
        // A different history of the same length is not consistent.
        let mut forked = MerkleTree::new();
        for (i, l) in all.iter().enumerate().take(new as usize) {
            forked.push(if i == 0 { leaf_hash(b"rewritten") } else { *l });
        }
        assert!(verify_consistency(old, new, &r1, &forked.root(new).unwrap(), &p).is_err());
    }
    // Same size: empty proof and equal roots.
    let r = t.root(10).unwrap();
    assert_eq!(verify_consistency(10, 10, &r, &r, &[]), Ok(()));
    assert!(verify_consistency(10, 10, &r, &t.root(11).unwrap(), &[]).is_err());
}
