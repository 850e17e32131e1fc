//! API tokens and roles.
//!
//! | role | sees | changes |
//! |---|---|---|
//! | `admin` | everything, every region | everything |
//! | `regulator` | everything, every region | nothing (read-only) |
//! | `shipper`, `carrier` | records its own party owns or is party to, in its region; public facilities and reference data | records its own party owns |

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use wuliu_store::{Record, StoredToken};

use crate::error::ApiError;
use crate::AppState;

/// What a token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Platform administrator.
    Admin,
    /// Transport regulator: read-only across regions.
    Regulator,
    /// A shipper party.
    Shipper,
    /// A carrier party.
    Carrier,
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
        }
    }
}

/// The authenticated caller of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// Role.
    pub role: Role,
    /// Party the caller acts for (shipper and carrier).
    pub party_id: Option<String>,
    /// The caller's region.
    pub region: String,
}

impl Caller {
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
}

/// SHA-256 of a token, hex; only this is stored.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Generates a new secret token (`wl_` + 64 hex characters) and the record to store for it.
pub fn new_token(
    name: &str,
    role: Role,
    party_id: Option<String>,
    region: &str,
) -> (String, StoredToken) {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let secret = format!("wl_{}", hex::encode(bytes));
    let stored = StoredToken {
        token_hash: hash_token(&secret),
        name: name.to_string(),
        role: role.name().to_string(),
        party_id,
        region: region.to_string(),
        created_at: chrono::Utc::now().to_rfc3339(),
    };
    (secret, stored)
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .ok_or_else(|| {
                ApiError::Unauthorized("missing 'Authorization: Bearer <token>' header".into())
            })?;
        let token = header
            .to_str()
            .ok()
            .and_then(|h| h.strip_prefix("Bearer "))
            .ok_or_else(|| {
                ApiError::Unauthorized("Authorization header must be 'Bearer <token>'".into())
            })?;
        let stored = state
            .repo
            .token(&hash_token(token.trim()))
            .await?
            .ok_or_else(|| ApiError::Unauthorized("unknown token".into()))?;
        let role = Role::parse(&stored.role)
            .ok_or_else(|| ApiError::Internal(format!("stored role '{}'", stored.role)))?;
        Ok(Caller {
            role,
            party_id: stored.party_id,
            region: stored.region,
        })
    }
}
