//! `wuliu user …` and `wuliu token …`, and the demo accounts of `serve --demo`. The rules (party
//! binding, password length, expiry) are [`wuliu_app::accounts`]'; the CLI acts as an admin of
//! `--region` named `cli` in the audit trail.

use std::io::BufRead;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::Subcommand;
use wuliu_app::accounts::{generate_password, Accounts, NewToken, NewUser, Policy};
use wuliu_app::{AppError, Caller, Role};
use wuliu_store::Repository;

/// `wuliu token …`
#[derive(Subcommand)]
pub enum TokenCommand {
    /// Create a token and print it (it is shown once; only its hash is stored).
    Create {
        /// admin, regulator, shipper or carrier.
        #[arg(long)]
        role: String,
        /// Party the token acts for (required for shipper and carrier; it must have that role).
        #[arg(long)]
        party: Option<String>,
        /// A label.
        #[arg(long, default_value = "cli")]
        name: String,
        /// Days until the token stops working (1 to 366).
        #[arg(long, default_value_t = 90)]
        expires_days: i64,
    },
    /// List tokens (never their secrets).
    List,
    /// Revoke a token by its ID (`tok_…`, from `token list`).
    Revoke {
        /// The token's ID.
        id: String,
    },
}

/// `wuliu user …`
#[derive(Subcommand)]
pub enum UserCommand {
    /// Create a user; prints a generated password once unless `--password-stdin` gives one.
    Create {
        /// Login name (a-z, 0-9, '.', '_', '-').
        username: String,
        /// admin, regulator, shipper or carrier.
        #[arg(long)]
        role: String,
        /// Party the user acts for (required for shipper and carrier; it must have that role).
        #[arg(long)]
        party: Option<String>,
        /// Read the password from the first line of standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a new password (generated and printed, or from `--password-stdin`); ends the user's
    /// sessions.
    Password {
        /// Login name.
        username: String,
        /// Read the password from the first line of standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Disable a user (ends its sessions; it can no longer log in).
    Disable {
        /// Login name.
        username: String,
    },
    /// Enable a disabled user again.
    Enable {
        /// Login name.
        username: String,
    },
    /// List users.
    List,
}

fn app_err(e: AppError) -> anyhow::Error {
    match &e {
        AppError::Invalid(v) => anyhow::anyhow!(
            "{}",
            v.0.iter()
                .map(|x| format!("{}: {}", x.field, x.message))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        _ => anyhow::anyhow!("{e}"),
    }
}

fn parse_role(role: &str) -> Result<Role> {
    Role::parse(role)
        .with_context(|| format!("--role '{role}' is not admin, regulator, shipper or carrier"))
}

fn cli(region: &str) -> Caller {
    Caller::system(region, "cli")
}

/// The password from standard input's first line, or a generated one (then printed).
fn password(from_stdin: bool) -> Result<(String, bool)> {
    if !from_stdin {
        return Ok((generate_password(), true));
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    Ok((line.trim_end_matches(['\r', '\n']).to_string(), false))
}

/// Creates a token as the CLI (an admin) and returns its secret.
pub async fn create_token(
    repo: Arc<dyn Repository>,
    region: &str,
    role: &str,
    party: Option<String>,
    name: &str,
    expires_days: i64,
) -> Result<String> {
    let accounts = Accounts::new(repo, Policy::default());
    let new = NewToken {
        name: name.to_string(),
        role: parse_role(role)?,
        party_id: party,
        region: region.to_string(),
        expires_days: Some(expires_days),
    };
    let (secret, view) = accounts
        .create_token(&cli(region), new)
        .await
        .map_err(app_err)?;
    eprintln!(
        "wuliu: token {} ({}) expires {}; revoke with `wuliu token revoke {}`",
        view.id,
        view.name,
        view.expires_at.as_deref().unwrap_or("?"),
        view.id
    );
    Ok(secret)
}

/// Runs `wuliu token …`.
pub async fn token(repo: Arc<dyn Repository>, region: &str, command: TokenCommand) -> Result<()> {
    let accounts = Accounts::new(repo.clone(), Policy::default());
    match command {
        TokenCommand::Create {
            role,
            party,
            name,
            expires_days,
        } => {
            let secret = create_token(repo, region, &role, party, &name, expires_days).await?;
            println!("{secret}");
        }
        TokenCommand::List => {
            let tokens = accounts.tokens(&cli(region)).await.map_err(app_err)?;
            println!("ID\tNAME\tROLE\tPARTY\tREGION\tSTATUS\tEXPIRES\tLAST USED");
            for t in tokens {
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    t.id,
                    t.name,
                    t.role,
                    t.party_id.as_deref().unwrap_or("-"),
                    t.region,
                    t.status,
                    t.expires_at.as_deref().unwrap_or("-"),
                    t.last_used_at.as_deref().unwrap_or("-")
                );
            }
        }
        TokenCommand::Revoke { id } => {
            let t = accounts
                .revoke_token(&cli(region), &id)
                .await
                .map_err(app_err)?;
            eprintln!("wuliu: token {} ({}) is {}", t.id, t.name, t.status);
        }
    }
    Ok(())
}

/// Runs `wuliu user …`.
pub async fn user(repo: Arc<dyn Repository>, region: &str, command: UserCommand) -> Result<()> {
    let accounts = Accounts::new(repo, Policy::default());
    let caller = cli(region);
    match command {
        UserCommand::Create {
            username,
            role,
            party,
            password_stdin,
        } => {
            let (pw, generated) = password(password_stdin)?;
            let new = NewUser {
                username,
                password: pw.clone(),
                role: parse_role(&role)?,
                party_id: party,
                region: region.to_string(),
            };
            let u = accounts.create_user(&caller, new).await.map_err(app_err)?;
            eprintln!("wuliu: user '{}' ({}) created", u.username, u.role);
            if generated {
                eprintln!(
                    "wuliu: its password is shown once; reset it with `wuliu user password {}`",
                    u.username
                );
                println!("{pw}");
            }
        }
        UserCommand::Password {
            username,
            password_stdin,
        } => {
            let (pw, generated) = password(password_stdin)?;
            accounts
                .set_password(&caller, &username, pw.clone())
                .await
                .map_err(app_err)?;
            eprintln!("wuliu: password of '{username}' set; its sessions are ended");
            if generated {
                println!("{pw}");
            }
        }
        UserCommand::Disable { username } => {
            accounts
                .set_disabled(&caller, &username, true)
                .await
                .map_err(app_err)?;
            eprintln!("wuliu: user '{username}' disabled; its sessions are ended");
        }
        UserCommand::Enable { username } => {
            accounts
                .set_disabled(&caller, &username, false)
                .await
                .map_err(app_err)?;
            eprintln!("wuliu: user '{username}' enabled");
        }
        UserCommand::List => {
            println!("USERNAME\tROLE\tPARTY\tREGION\tSTATUS\tCREATED");
            for u in accounts.users(&caller).await.map_err(app_err)? {
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    u.username,
                    u.role,
                    u.party_id.as_deref().unwrap_or("-"),
                    u.region,
                    if u.disabled { "disabled" } else { "active" },
                    u.created_at
                );
            }
        }
    }
    Ok(())
}

/// The demo's accounts: name, role, party (for the official, the name of its government unit,
/// looked up in the directory).
const DEMO_USERS: [(&str, Role, Option<&str>); 7] = [
    ("demo-admin", Role::Admin, None),
    ("demo-regulator", Role::Regulator, None),
    ("demo-shipper", Role::Shipper, Some("pty_demo_shipper_01")),
    ("demo-carrier", Role::Carrier, Some("pty_demo_carrier_01")),
    (
        "demo-official",
        Role::Official,
        Some(crate::demo_gov::DEMO_OFFICIAL_UNIT),
    ),
    (
        "demo-enterprise",
        Role::Enterprise,
        Some("pty_demo_enterprise_01"),
    ),
    ("demo-college", Role::College, Some("pty_demo_college_01")),
];

/// The party (or, for an official, the unit's record ID) a demo user acts for.
async fn demo_party(
    repo: &dyn Repository,
    region: &str,
    role: Role,
    party: Option<&str>,
) -> Result<Option<String>> {
    match (role, party) {
        (Role::Official, Some(unit)) => Ok(wuliu_app::gov::units::by_name(repo, region, unit)
            .await
            .map_err(app_err)?
            .map(|rec| rec.id)),
        (_, p) => Ok(p.map(String::from)),
    }
}

/// Creates the demo users that do not exist yet, each with a generated password printed once,
/// and, when the demo admin is new, an admin token printed once. Later starts print no secret.
pub async fn demo_users(repo: Arc<dyn Repository>, region: &str, listen: &str) -> Result<()> {
    let accounts = Accounts::new(repo.clone(), Policy::default());
    let caller = Caller::system(region, "demo");
    let mut created = Vec::new();
    for (name, role, party) in DEMO_USERS {
        if repo.user(name).await?.is_some() {
            continue;
        }
        let pw = generate_password();
        let party = demo_party(repo.as_ref(), region, role, party).await?;
        let new = NewUser {
            username: name.into(),
            password: pw.clone(),
            role,
            party_id: party.clone(),
            region: region.to_string(),
        };
        match accounts.create_user(&caller, new).await {
            Ok(_) => {
                let of = party.map(|p| format!(" of {p}")).unwrap_or_default();
                println!("demo user {name} ({}{of}): password {pw}", role.name());
                created.push(name);
            }
            Err(e) => eprintln!("wuliu: demo user {name} not created: {}", app_err(e)),
        }
    }
    if created.is_empty() {
        println!(
            "demo users: demo-admin, demo-regulator, demo-shipper, demo-carrier, demo-official, demo-enterprise, demo-college (passwords were printed when they were created; reset one with `wuliu user password <name>`)"
        );
        return Ok(());
    }
    println!("these passwords are shown once; reset one with `wuliu user password <name>`");
    println!(
        "log in: curl -i -H 'content-type: application/json' -d '{{\"username\":\"demo-admin\",\"password\":\"…\"}}' http://{listen}/api/v1/login"
    );
    if created.contains(&"demo-admin") {
        let token = create_token(repo, region, "admin", None, "demo admin", 90).await?;
        println!("admin token (shown once): {token}");
        println!(
            "try: curl -H 'Authorization: Bearer {token}' http://{listen}/api/v1/vehicles?limit=2"
        );
    }
    Ok(())
}
