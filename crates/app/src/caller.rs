//! Who is calling: roles, callers, and API token secrets.
//!
//! | role | sees | changes |
//! |---|---|---|
//! | `admin` | everything, every region | everything (the platform operator; amendments are audited) |
//! | `regulator` | everything, every region | nothing (read-only) |
//! | `shipper`, `carrier` | records its own party owns or is party to, in its region; public facilities and reference data | what [`crate::rules`] lets its role set |
//! | `official` | as a shipper for freight (nothing of its own); the government desks its unit takes part in | progress reports for its unit's tasks, appeals its unit collects, per desk rules |
//! | `enterprise`, `college` | as a shipper for freight; the industry–education platform | its own demands (enterprise) or supply (college) |
//!
//! An `official` acts for a government unit (a `gov_units` record, e.g. 市商务局) named in its
//! `party_id`; an `enterprise` or `college` for a party whose roles include it.

use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use wuliu_store::Record;

/// What a caller may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Platform administrator (the platform operator).
    Admin,
    /// Transport regulator: read-only across regions.
    Regulator,
    /// A shipper party.
    Shipper,
    /// A carrier party.
    Carrier,
    /// Staff of a government unit (a `gov_units` record): reports progress on its unit's gazette
    /// tasks and works the appeal desk as its unit's place in the task force allows.
    Official,
    /// An enterprise on the industry–education platform (posts demands: jobs, internships, …).
    Enterprise,
    /// A college on the industry–education platform (posts supply: programmes, graduates, …).
    College,
}

impl Role {
    /// Parses a role name.
    pub fn parse(s: &str) -> Option<Role> {
        serde_json::from_value(serde_json::Value::String(s.to_string())).ok()
    }
    /// The role's name.
    pub fn name(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Regulator => "regulator",
            Role::Shipper => "shipper",
            Role::Carrier => "carrier",
            Role::Official => "official",
            Role::Enterprise => "enterprise",
            Role::College => "college",
        }
    }
    /// Whether the role acts for a party or unit (and so needs one).
    pub fn needs_party(self) -> bool {
        !matches!(self, Role::Admin | Role::Regulator)
    }

    /// Whether the role takes part in freight (its party may own loads, vehicles, waybills, …).
    pub fn is_freight(self) -> bool {
        matches!(self, Role::Shipper | Role::Carrier)
    }
}

/// The authenticated caller of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// Role.
    pub role: Role,
    /// Party the caller acts for (shipper and carrier).
    pub party_id: Option<String>,
    /// The caller's region.
    pub region: String,
    /// Who, for the audit trail: `user:<name>`, `token:<name>`, `cli` or `system`.
    pub actor: String,
    /// Where the request came from (client address), for the audit trail.
    pub address: Option<String>,
    /// The request's ID, for the audit trail and logs.
    pub request_id: Option<String>,
}

impl Caller {
    /// An admin of `region` acting as the platform itself (workflows, the CLI, demo seeding).
    pub fn system(region: &str, actor: &str) -> Caller {
        Caller {
            role: Role::Admin,
            party_id: None,
            region: region.to_string(),
            actor: actor.to_string(),
            address: None,
            request_id: None,
        }
    }

    /// A caller of `role` for `party` in `region`, named `actor` in the audit trail.
    pub fn new(role: Role, party_id: Option<String>, region: &str, actor: &str) -> Caller {
        Caller {
            role,
            party_id,
            region: region.to_string(),
            actor: actor.to_string(),
            address: None,
            request_id: None,
        }
    }

    /// Whether the caller sees every region and every party's records.
    pub fn sees_all(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Regulator)
    }

    /// Whether the caller may read `rec` (`public` for facilities and reference data).
    pub fn can_read(&self, rec: &Record, public: bool) -> bool {
        if self.sees_all() {
            return true;
        }
        rec.region == self.region
            && (public || self.party_id.as_deref().is_some_and(|p| rec.involves(p)))
    }

    /// The caller's party, or "" for roles without one.
    pub fn party(&self) -> &str {
        self.party_id.as_deref().unwrap_or_default()
    }
}

/// SHA-256 of a secret (token or session ID), hex; only this is stored.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A new random secret: `prefix` + 64 hex characters (256 bits).
pub fn new_secret(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!("{prefix}{}", hex::encode(bytes))
}
