//! The lot explorer (`#/lot`) in a real browser, against `wuliu serve --demo` (whose ledger holds
//! the demo's cold-chain lots).
//!
//! A buyer with no login opens a lot from its QR code's URL: the timeline and the temperature chart
//! render, the page verifies the bundle itself (leaf hashes, inclusion proofs, Ed25519 signatures
//! by WebCrypto) and says "verified" with every event ✓; the leaf hashes the page computed equal the
//! ledger's (Rust `leaf_hash` over the stored bytes, and the server's own event proofs). Then the
//! bundle is tampered with (one field of one event; separately the tree head's signature; and a
//! trusted key that is not the signer's) and fed to the upload mode: the page reports failure and
//! names the event. The QR code encodes the lot's URL at this server (same module matrix as the
//! vendored library gives for that URL), and the share code is needed: without it, or with a
//! wrong one, the lot is not shown. Screenshots: `lot-desktop`, `lot-phone`, `lot-tampered`.

mod browser;

use browser::*;
use fantoccini::Client;
use serde_json::{json, Value};

/// The demo's lot with a warm excursion (see `crates/cli/src/demo_ledger.rs`).
const LOT: &str = "urn:epc:class:lgtin:6901234.054321.LZ26A01";

fn pct(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

async fn js(c: &Client, script: &str, args: Vec<Value>) -> Value {
    c.execute(script, args).await.unwrap()
}

/// Feeds `bundle` to the upload mode (a fresh page each time) and waits for its verdict.
async fn upload(c: &Client, base: &str, bundle: &Value) -> String {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    open(c, base, &format!("lot?mode=upload&n={n}")).await;
    wait_css(c, "#lot-upload-text").await;
    js(
        c,
        "document.getElementById('lot-upload-text').value = arguments[0];
         document.getElementById('lot-upload-verify').click();",
        vec![json!(bundle.to_string())],
    )
    .await;
    let el = wait_css(c, "#lot-upload-result #lot-verdict[data-verdict=\"verified\"], #lot-upload-result #lot-verdict[data-verdict=\"failed\"]").await;
    el.attr("data-verdict").await.unwrap().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_buyer_verifies_a_lot_in_the_browser_and_a_tampered_bundle_fails() {
    let Some(s) = Session::start("console_lot") else {
        return;
    };
    let base = s.demo.base.clone();

    // The lot's owner (the demo shipper) sees its lots and gets the share code for the QR.
    let shipper = s.login_as("demo-shipper").await;
    open(&shipper, &base, "lot").await;
    wait_css(&shipper, &format!("#lot-recent a[data-lot=\"{LOT}\"]")).await;
    let (status, shared) = call(
        &shipper,
        "GET",
        &format!("/ledger/lots/{}/share", pct(LOT)),
        None,
    )
    .await;
    assert_eq!(status, 200, "{shared}");
    let code = shared["share"].as_str().unwrap().to_string();
    let (status, bundle) = call(
        &shipper,
        "GET",
        &format!("/ledger/lots/{}/bundle", pct(LOT)),
        None,
    )
    .await;
    assert_eq!(status, 200, "{bundle}");
    let entries = bundle["entries"].as_array().unwrap().clone();
    assert!(
        entries.len() >= 6,
        "the demo lot has its journey: {}",
        entries.len()
    );

    // The buyer: no login, the QR code's URL.
    let buyer = s.anonymous().await;
    let page = format!("lot?id={}&share={code}", pct(LOT));
    open(&buyer, &base, &page).await;
    wait_css(&buyer, "#lot-verdict[data-verdict=\"verified\"]").await;
    let rows = js(
        &buyer,
        "return [...document.querySelectorAll('#lot-timeline .lot-event')].map(e =>
           [e.dataset.ok, e.dataset.leafHash, Number(e.dataset.leafIndex), e.dataset.eventId,
            e.querySelector('.lot-event-mark').textContent]);",
        vec![],
    )
    .await;
    let rows: Vec<(String, String, u64, String, String)> = serde_json::from_value(rows).unwrap();
    assert_eq!(rows.len(), entries.len(), "one timeline row per event");
    for (row, entry) in rows.iter().zip(&entries) {
        assert_eq!(row.0, "yes", "every event verified: {row:?}");
        assert_eq!(row.4, "✓");
        // The page's leaf hash is the ledger's: over the stored bytes, and as the server proves it.
        let stored = entry["event_json"].as_str().unwrap();
        let rust = wuliu_ledger::hash::leaf_hash(stored.as_bytes()).to_hex();
        assert_eq!(row.1, rust, "leaf {}", row.2);
        assert_eq!(row.2, entry["leaf_index"].as_u64().unwrap());
        let (status, proof) = call(
            &shipper,
            "GET",
            &format!("/ledger/events/{}/proof", pct(&row.3)),
            None,
        )
        .await;
        assert_eq!(status, 200, "{proof}");
        assert_eq!(
            proof["leaf_hash"].as_str().unwrap(),
            row.1,
            "server's leaf hash of {}",
            row.3
        );
    }
    let timeline = text_of(&buyer, "#lot-timeline").await;
    assert!(
        timeline.contains("pty_demo_carrier_01"),
        "custody hand-over shown: {timeline}"
    );
    // The chart drew, with the demo's excursion counted.
    wait_css(&buyer, "#lot-chart canvas").await;
    let count = wait_css(&buyer, "#lot-excursions")
        .await
        .attr("data-count")
        .await
        .unwrap()
        .unwrap();
    assert!(
        count.parse::<u32>().unwrap() >= 1,
        "the warm spell is an excursion"
    );
    // The key's fingerprint is shown, and the same as this server's published key.
    let (_, key) = fetch(&buyer, "/ledger/public-key").await;
    assert_eq!(
        text_of(&buyer, "#lot-key-id").await,
        bundle["tree_head"]["key_id"].as_str().unwrap()
    );
    wait_css(&buyer, "#lot-server-key[data-same=\"yes\"]").await;
    assert!(key["public_key_hex"].is_string());

    // The QR code: the lot's URL at this server, drawn from the library's matrix of that URL.
    let want_url = format!("{base}/#/lot?id={}&share={code}", pct(LOT));
    let qr = wait_css(&buyer, "#lot-qr").await;
    let url = qr.attr("data-url").await.unwrap().unwrap();
    let decoded_id = js(
        &buyer,
        "return new URLSearchParams(arguments[0].split('?')[1]).get('id');",
        vec![json!(url)],
    )
    .await;
    assert_eq!(decoded_id, json!(LOT), "{url}");
    assert_eq!(url, want_url);
    let same = c_exec_async(
        &buyer,
        "const [url, done] = [arguments[0], arguments[arguments.length - 1]];
         import('/assets/js/pages/lot.js').then(m => {
           const rows = m.qrMatrix(url); let d = '';
           rows.forEach((row, r) => row.forEach((dark, c) => { if (dark) d += `M${c + 4} ${r + 4}h1v1h-1z`; }));
           const path = document.querySelector('#lot-qr svg path');
           done([path.getAttribute('d') === d, rows.length, d.length]);
         }).catch(e => done([false, String(e), 0]));",
        vec![json!(url)],
    )
    .await;
    assert_eq!(
        same[0],
        json!(true),
        "the QR code draws the lot's URL: {same}"
    );
    assert!(same[1].as_u64().unwrap() >= 21);
    // The QR link opens the same page.
    assert_eq!(text_of(&buyer, "#lot-qr-link").await, url);

    screenshot(&buyer, "lot-desktop").await;
    viewport(&buyer, 390, 844).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let overflow = js(
        &buyer,
        "return document.documentElement.scrollWidth - window.innerWidth;",
        vec![],
    )
    .await;
    assert!(
        overflow.as_i64().unwrap() <= 0,
        "no sideways scrolling on a phone: {overflow}"
    );
    screenshot(&buyer, "lot-phone").await;
    viewport(&buyer, 1366, 768).await;
    assert_no_console_errors(&s.driver, &buyer, "lot page").await;

    // Upload mode: the untouched bundle verifies offline...
    assert_eq!(upload(&buyer, &base, &bundle).await, "verified");
    // ...one changed field of one event fails, naming that event.
    let victim = entries
        .iter()
        .position(|e| {
            e["event_json"]
                .as_str()
                .unwrap()
                .contains("\"bizStep\":\"arriving\"")
        })
        .expect("the demo lot arrives at the hub");
    let original = entries[victim]["event_json"].as_str().unwrap();
    let event_id = serde_json::from_str::<Value>(original).unwrap()["eventID"]
        .as_str()
        .unwrap()
        .to_string();
    let tampered_json = original.replacen(
        "\"disposition\":\"in_transit\"",
        "\"disposition\":\"in_progress\"",
        1,
    );
    assert_ne!(tampered_json, original);
    let mut tampered = bundle.clone();
    tampered["entries"][victim]["event_json"] = json!(tampered_json);
    assert_eq!(upload(&buyer, &base, &tampered).await, "failed");
    let bad = js(
        &buyer,
        "return [...document.querySelectorAll('#lot-upload-result .lot-event')].map(e => [e.dataset.eventId, e.dataset.ok]);",
        vec![],
    )
    .await;
    let bad: Vec<(String, String)> = serde_json::from_value(bad).unwrap();
    assert_eq!(bad[victim], (event_id.clone(), "no".to_string()), "{bad:?}");
    let failures = text_of(&buyer, "#lot-upload-result #lot-failures").await;
    assert!(
        failures.contains(&event_id) && failures.contains("proof.invalid"),
        "{failures}"
    );
    let verdict = text_of(&buyer, "#lot-upload-result #lot-verdict").await;
    assert!(
        verdict.contains(&event_id),
        "the verdict names the event: {verdict}"
    );
    screenshot(&buyer, "lot-tampered").await;

    // A forged tree-head signature fails, although every proof still leads to the root.
    let mut forged = bundle.clone();
    let sig = forged["tree_head"]["signature"]
        .as_str()
        .unwrap()
        .to_string();
    let flipped = match sig.strip_prefix('0') {
        Some(rest) => format!("1{rest}"),
        None => format!("0{}", &sig[1..]),
    };
    forged["tree_head"]["signature"] = json!(flipped);
    assert_eq!(upload(&buyer, &base, &forged).await, "failed");
    let failures = text_of(&buyer, "#lot-upload-result #lot-failures").await;
    assert!(failures.contains("tree_head.signature"), "{failures}");

    // A key the buyer trusts that did not sign: failed, though the bundle is genuine.
    js(
        &buyer,
        "localStorage.setItem('wuliu.lot.trusted_key', arguments[0]);",
        vec![json!("11".repeat(32))],
    )
    .await;
    assert_eq!(upload(&buyer, &base, &bundle).await, "failed");
    let failures = text_of(&buyer, "#lot-upload-result #lot-failures").await;
    assert!(failures.contains("tree_head.untrusted_key"), "{failures}");
    // The right key pinned: verified.
    js(
        &buyer,
        "localStorage.setItem('wuliu.lot.trusted_key', arguments[0]);",
        vec![key["public_key_hex"].clone()],
    )
    .await;
    assert_eq!(upload(&buyer, &base, &bundle).await, "verified");
    assert_no_console_errors(&s.driver, &buyer, "upload mode").await;

    // Without the share code the buyer sees nothing; a wrong code opens nothing.
    open(&buyer, &base, &format!("lot?id={}", pct(LOT))).await;
    wait_css(&buyer, "[data-state=\"need-share\"]").await;
    let wrong: String = code.chars().rev().collect();
    open(&buyer, &base, &format!("lot?id={}&share={wrong}", pct(LOT))).await;
    wait_css(&buyer, "[data-state=\"not-found\"]").await;
    let (status, _) = fetch(&buyer, &format!("/ledger/lots/{}/bundle", pct(LOT))).await;
    assert_eq!(status, 401, "no bundle without a login or the code");

    buyer.close().await.unwrap();
    shipper.close().await.unwrap();
}

async fn c_exec_async(c: &Client, script: &str, args: Vec<Value>) -> Value {
    c.execute_async(script, args).await.unwrap()
}
