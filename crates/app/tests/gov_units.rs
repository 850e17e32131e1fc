//! The government desks' shared parts (issue 29) against the store: the directory of units (one
//! unit per name even when two callers add it at once), official accounts bound to a unit of
//! their region, the freight records desk roles may not write, and attachments (every bad field
//! named, bounds, damaged content refused, downloads only for callers who may read the owner).
//! On SQLite, and on PostgreSQL too when `WULIU_TEST_DATABASE_URL` names one.

mod common;

use base64::Engine;
use common::{stores, unique};
use serde_json::{json, Value};
use wuliu_app::accounts::check_party;
use wuliu_app::gov::attachments::{self, AttachmentInput, MAX_BYTES};
use wuliu_app::gov::units;
use wuliu_app::{AppError, Caller, Role};
use wuliu_store::{Kind, NewRecord, WriteOp};

const REGION: &str = "450200";

fn office() -> Caller {
    Caller::new(Role::Regulator, None, REGION, "user:office")
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn fields(e: &AppError) -> Vec<String> {
    match e {
        AppError::Invalid(v) => v.0.iter().map(|p| p.field.clone()).collect(),
        other => panic!("expected a 422, got {other:?}"),
    }
}

#[tokio::test]
async fn a_unit_is_stored_once_per_name_even_when_added_twice_at_once() {
    for (store, repo, _dir) in stores().await {
        let name = format!("市{}局", unique("测试"));
        let office = office();
        let (a, b) = tokio::join!(
            units::ensure(repo.as_ref(), &office, &name),
            units::ensure(repo.as_ref(), &office, &name)
        );
        assert_eq!(a.unwrap(), b.unwrap(), "{store}: one unit per name");
        let rec = units::by_name(repo.as_ref(), REGION, &name)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(rec.body["level"], "city", "{store}");
        // Only the regulator's staff and admins add units.
        let shipper = Caller::new(Role::Shipper, Some("pty_x".into()), REGION, "user:s");
        let e = units::ensure(repo.as_ref(), &shipper, "市另一个局").await;
        assert!(
            matches!(e, Err(AppError::Forbidden { .. })),
            "{store}: {e:?}"
        );
        // A name with spaces around it, or too long, is refused naming the field.
        let e = units::create(repo.as_ref(), &office, json!({"name": " 市商务局"}))
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["name"], "{store}");
    }
}

#[tokio::test]
async fn an_official_account_names_a_unit_of_its_region() {
    for (store, repo, _dir) in stores().await {
        let unit = units::ensure(repo.as_ref(), &office(), "市商务局")
            .await
            .unwrap();
        check_party(repo.as_ref(), Role::Official, Some(&unit), REGION)
            .await
            .unwrap_or_else(|e| panic!("{store}: {e:?}"));
        for (party, region, code) in [
            (None, REGION, "account.party_required"),
            (Some("gun_nowhere"), REGION, "account.unit_unknown"),
            (Some(unit.as_str()), "450300", "account.party_region"),
        ] {
            let e = check_party(repo.as_ref(), Role::Official, party, region)
                .await
                .unwrap_err();
            match e {
                AppError::Invalid(v) => assert_eq!(v.0[0].code, code),
                other => panic!("{store}: {other:?}"),
            }
        }
        // A unit is not a party: an enterprise account cannot name one.
        let e = check_party(repo.as_ref(), Role::Enterprise, Some(&unit), REGION)
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::Invalid(_)), "{store}: {e:?}");
    }
}

#[tokio::test]
async fn desk_roles_do_not_write_freight_records() {
    for (store, repo, _dir) in stores().await {
        let svc = wuliu_app::Service::new(repo.clone());
        for role in [Role::Official, Role::Enterprise, Role::College] {
            let caller = Caller::new(role, Some("pty_demo".into()), REGION, "user:desk");
            let load = json!({"shipper_id": "pty_demo", "external_id": unique("L")});
            let spec = wuliu_app::spec::by_kind(Kind::Load);
            let e = svc.create(&caller, spec, load, REGION).await.unwrap_err();
            assert!(
                matches!(e, AppError::Forbidden { .. }),
                "{store}: a {} wrote a load: {e:?}",
                role.name()
            );
        }
    }
}

/// A stored record to attach files to.
async fn owner(repo: &common::Repo) -> String {
    let id = unique("gtr_");
    let op = WriteOp::Insert {
        kind: Kind::TaskReport,
        rec: NewRecord {
            id: id.clone(),
            region: REGION.into(),
            external_id: None,
            owner_party: None,
            partner_party: None,
            status: None,
            body: json!({"note": "owner"}),
        },
    };
    repo.commit(vec![op], vec![]).await.unwrap();
    id
}

#[tokio::test]
async fn attachments_name_every_bad_field_and_stay_within_bounds() {
    for (store, repo, _dir) in stores().await {
        let report = owner(&repo).await;
        let bad = AttachmentInput {
            file_name: "../etc/passwd".into(),
            media_type: "application/x-msdownload".into(),
            content_base64: "not base64!".into(),
        };
        let e = attachments::add(repo.as_ref(), &office(), (Kind::TaskReport, &report), bad)
            .await
            .unwrap_err();
        let mut got = fields(&e);
        got.sort();
        assert_eq!(
            got,
            [
                "attachment.content_base64",
                "attachment.file_name",
                "attachment.media_type"
            ],
            "{store}"
        );
        let huge = AttachmentInput {
            file_name: "大.pdf".into(),
            media_type: "application/pdf".into(),
            content_base64: b64(&vec![7u8; MAX_BYTES + 1]),
        };
        let e = attachments::add(repo.as_ref(), &office(), (Kind::TaskReport, &report), huge)
            .await
            .unwrap_err();
        assert_eq!(fields(&e), ["attachment.content_base64"], "{store}");
        assert!(attachments::list(repo.as_ref(), &report)
            .await
            .unwrap()
            .is_empty());
        // A good one is stored with its size and SHA-256, and listed without its content.
        let pdf = b"%PDF-1.4 progress report".to_vec();
        let good = AttachmentInput {
            file_name: "第三季度进展.pdf".into(),
            media_type: "application/pdf".into(),
            content_base64: b64(&pdf),
        };
        let meta = attachments::add(repo.as_ref(), &office(), (Kind::TaskReport, &report), good)
            .await
            .unwrap();
        assert_eq!(meta["size"], pdf.len(), "{store}");
        assert!(meta.get("content_base64").is_none(), "{store}: {meta}");
        let listed = attachments::list(repo.as_ref(), &report).await.unwrap();
        assert_eq!(listed.len(), 1, "{store}");
        let id = meta["id"].as_str().unwrap();
        let (_, bytes) = attachments::download(repo.as_ref(), &office(), id)
            .await
            .unwrap();
        assert_eq!(bytes, pdf, "{store}");
        // A caller who may not read the owner is told nothing exists.
        let outsider = Caller::new(Role::Carrier, Some("pty_c".into()), REGION, "user:c");
        let e = attachments::download(repo.as_ref(), &outsider, id).await;
        assert!(matches!(e, Err(AppError::NotFound(_))), "{store}: {e:?}");
        // An attachment to a record that does not exist is a 404.
        let e = attachments::add(
            repo.as_ref(),
            &office(),
            (Kind::TaskReport, "gtr_missing"),
            AttachmentInput {
                file_name: "a.txt".into(),
                media_type: "text/plain".into(),
                content_base64: b64(b"a"),
            },
        )
        .await;
        assert!(matches!(e, Err(AppError::NotFound(_))), "{store}: {e:?}");
    }
}

#[tokio::test]
async fn damaged_attachment_content_is_refused_not_served() {
    for (store, repo, _dir) in stores().await {
        let report = owner(&repo).await;
        let input = AttachmentInput {
            file_name: "a.txt".into(),
            media_type: "text/plain".into(),
            content_base64: b64(b"the original"),
        };
        let meta = attachments::add(repo.as_ref(), &office(), (Kind::TaskReport, &report), input)
            .await
            .unwrap();
        let id = meta["id"].as_str().unwrap();
        let mut rec = repo.get(Kind::Attachment, id).await.unwrap().unwrap();
        rec.body["content_base64"] = Value::String(b64(b"tampered"));
        let op = WriteOp::Update {
            kind: Kind::Attachment,
            rec: NewRecord {
                id: rec.id.clone(),
                region: rec.region.clone(),
                external_id: None,
                owner_party: None,
                partner_party: None,
                status: None,
                body: rec.body.clone(),
            },
            expected_version: rec.version,
        };
        repo.commit(vec![op], vec![]).await.unwrap();
        let e = attachments::content(repo.as_ref(), id).await;
        assert!(
            matches!(&e, Err(AppError::Internal(m)) if m.contains("SHA-256")),
            "{store}: {e:?}"
        );
    }
}
