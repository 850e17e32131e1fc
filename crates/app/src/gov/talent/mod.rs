//! The industry–education matching platform (产教对接, 69号 四（三） 产教融合综合服务平台): enterprises
//! post demands (`talent_demands`: jobs, internships, joint training, R&D problems), colleges post
//! supply (`talent_supplies`: programmes, graduates by skill, labs, teachers), both tagged with the
//! "digital talent tags" of [`wuliu_match::talent::tags`]. Matches are computed on request by the
//! [`wuliu_match::talent`] engine over the open posts of the post's region, both ways, with reasons
//! and a score breakdown; the education bureau reads statistics (supply against demand per tag,
//! the gaps, the match rate, the demands nothing serves).
//!
//! # Who may do what
//!
//! | action | roles |
//! |---|---|
//! | post a demand | `enterprise`, for its own party; `admin` on behalf of a party with the enterprise role (`on_behalf_of`) |
//! | post supply | `college`, for its own party; `admin` on behalf of a party with the college role |
//! | edit or close a post (with its `version`) | the owning party's account; `admin` |
//! | read a post | `admin`, `regulator`: all; `official`: all of its region; the owner; the other side (a college reading demands, an enterprise reading supply): the open posts of its region |
//! | a post's matches | `admin`, `regulator`, `official` (its region); the owner |
//! | statistics | `admin`, `regulator`, `official` (教育局 and the other units; its region) |
//! | the tag vocabulary | every caller |
//!
//! The owner of a post is always the caller's party (or, for an admin, the party named in
//! `on_behalf_of`, which must exist with the right role); a body naming an owner another way is
//! refused. Shipper and carrier accounts do not post: a logistics company that wants to post jobs
//! uses an `enterprise` account for its party (a party may hold both roles), so the platform's
//! freight rights and its talent rights stay apart.
//!
//! # Versions
//!
//! An edit or a close carries the `version` the caller read; the write goes through only if the
//! post is still at that version (else 409, nothing written), so two editors never overwrite each
//! other silently. A closed post cannot be edited and no longer takes part in matching or in the
//! statistics.

//! # Bounds
//!
//! Titles 120 and descriptions 2000 characters, 12 tags per list, counts 1 to 10,000 (422 naming
//! the field); at most [`posts::MAX_OPEN_PER_PARTY`] open posts per party and side (409); matching
//! and statistics weigh at most [`posts::MAX_POSTS`] open posts per side (the answer says
//! `truncated`), and list at most 50 matches.

pub mod matching;
pub mod posts;

use wuliu_store::Kind;

use crate::caller::{Caller, Role};
use crate::error::AppError;

/// Which side of the platform a post is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// An enterprise's demand.
    Demand,
    /// A college's supply.
    Supply,
}

impl Side {
    /// The record kind.
    pub fn kind(self) -> Kind {
        match self {
            Side::Demand => Kind::TalentDemand,
            Side::Supply => Kind::TalentSupply,
        }
    }

    /// The role that posts on this side.
    pub fn role(self) -> Role {
        match self {
            Side::Demand => Role::Enterprise,
            Side::Supply => Role::College,
        }
    }

    /// The party role (`enterprise`, `college`) an owner must hold.
    pub fn party_role(self) -> &'static str {
        self.role().name()
    }

    /// The post's name in messages.
    pub fn what(self) -> &'static str {
        match self {
            Side::Demand => "talent demand",
            Side::Supply => "talent supply",
        }
    }

    /// The audit action prefix.
    pub fn action(self) -> &'static str {
        match self {
            Side::Demand => "talent.demand",
            Side::Supply => "talent.supply",
        }
    }

    /// The other side.
    pub fn other(self) -> Side {
        match self {
            Side::Demand => Side::Supply,
            Side::Supply => Side::Demand,
        }
    }
}

/// Whether `caller` reads every post of its region (admins and regulators read every region).
pub fn reads_region(caller: &Caller) -> bool {
    caller.sees_all() || caller.role == Role::Official
}

/// Refuses callers who may not read matches and statistics across parties.
pub(crate) fn authorise_overview(caller: &Caller, what: &str) -> Result<(), AppError> {
    if reads_region(caller) {
        return Ok(());
    }
    Err(AppError::Forbidden {
        field: None,
        message: format!(
            "a {} may not read {what} (admins, regulators and officials may)",
            caller.role.name()
        ),
    })
}
