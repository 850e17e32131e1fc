//! `wuliu ledger capture|query|verify|report`: the traceability ledger from the command line.
//! `verify` needs no ledger and no network: it checks an exported bundle on its own.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::Subcommand;
use wuliu_ledger::coldchain::ColdChainPolicy;
use wuliu_ledger::{verify_bundle, verify_bundle_with_key, Capturer, EventQuery, Ledger};

/// Ledger subcommands.
#[derive(Subcommand)]
pub enum LedgerCommand {
    /// Capture an EPCIS 2.0 JSON document (all events or none; durable when this returns).
    /// Without `--party` the capture is recorded as the local operator's (role `operator`,
    /// allowed into any lot); with it, the per-lot rules of a party apply.
    Capture {
        /// The EPCIS document.
        file: PathBuf,
        /// Capture as this party (recorded as the capturer; may capture only into lots it owns
        /// or was handed).
        #[arg(long)]
        party: Option<String>,
        /// The party's role, recorded with it.
        #[arg(long, default_value = "shipper", requires = "party")]
        role: String,
        /// Ledger directory.
        #[arg(long, default_value = "wuliu-ledger")]
        dir: PathBuf,
    },
    /// Query events by identifier and business step.
    Query {
        /// EPC or lot identifier (EPC URN or GS1 Digital Link).
        #[arg(long)]
        epc: Vec<String>,
        /// Business step, e.g. `shipping`.
        #[arg(long)]
        biz_step: Vec<String>,
        /// Ledger directory.
        #[arg(long, default_value = "wuliu-ledger")]
        dir: PathBuf,
    },
    /// Verify an exported lot bundle offline (signature, inclusion proofs, event bytes).
    Verify {
        /// The bundle (JSON, from `GET /ledger/lots/{lot}/bundle` or `ledger export`).
        bundle: PathBuf,
        /// The ledger's published Ed25519 public key (hex); without it, only self-consistency is checked.
        #[arg(long)]
        key: Option<String>,
    },
    /// Export a lot's verifiable history bundle.
    Export {
        /// Lot or item identifier.
        #[arg(long)]
        lot: String,
        /// Ledger directory.
        #[arg(long, default_value = "wuliu-ledger")]
        dir: PathBuf,
    },
    /// Cold-chain report of a lot: gaps, excursions, time out of range, hand-overs, status.
    Report {
        /// Lot or item identifier.
        #[arg(long)]
        lot: String,
        /// Temperature class: frozen, chilled, refrigerated, ice_temperature, ultra_low, controlled_ambient.
        #[arg(long, default_value = "chilled")]
        class: String,
        /// Ledger directory.
        #[arg(long, default_value = "wuliu-ledger")]
        dir: PathBuf,
    },
}

fn open(dir: &PathBuf) -> Result<Ledger> {
    let ledger =
        Ledger::open(dir).with_context(|| format!("cannot open ledger {}", dir.display()))?;
    if let Some(t) = ledger.open_report().torn_tail {
        eprintln!(
            "wuliu: ledger {}: dropped {} bytes at byte {} ({}), never acknowledged",
            dir.display(),
            t.bytes,
            t.offset,
            t.kind
        );
    }
    Ok(ledger)
}

fn print(v: &impl serde::Serialize) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(v)?);
    Ok(())
}

/// Runs a ledger subcommand.
pub fn run(cmd: LedgerCommand) -> Result<()> {
    match cmd {
        LedgerCommand::Capture {
            file,
            party,
            role,
            dir,
        } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let by = match &party {
                Some(p) => Capturer::party(p, &role),
                None => Capturer {
                    party_id: None,
                    role: "operator".into(),
                    admin: true,
                },
            };
            match open(&dir)?.capture(&text, &by) {
                Ok(receipt) => print(&receipt),
                Err(e) => {
                    for issue in e.issues() {
                        eprintln!("{}: {issue}", file.display());
                    }
                    bail!("{}: {e}", file.display())
                }
            }
        }
        LedgerCommand::Query { epc, biz_step, dir } => {
            let q: EventQuery = serde_json::from_value(
                serde_json::json!({ "MATCH_anyEPC": epc, "EQ_bizStep": biz_step }),
            )?;
            print(&open(&dir)?.query(&q)?)
        }
        LedgerCommand::Verify { bundle, key } => {
            let text = std::fs::read_to_string(&bundle)
                .with_context(|| format!("cannot read {}", bundle.display()))?;
            let report = match &key {
                Some(k) => verify_bundle_with_key(&text, k),
                None => verify_bundle(&text),
            };
            print(&report)?;
            if !report.ok {
                bail!(
                    "{}: verification FAILED ({} problem(s))",
                    bundle.display(),
                    report.failures.len()
                );
            }
            eprintln!(
                "{}: {} events verified against the signed tree head",
                bundle.display(),
                report.entries_verified
            );
            Ok(())
        }
        LedgerCommand::Export { lot, dir } => print(&open(&dir)?.export_bundle(&lot)?),
        LedgerCommand::Report { lot, class, dir } => {
            let policy: ColdChainPolicy =
                serde_json::from_value(serde_json::json!({ "class": class }))
                    .with_context(|| format!("--class '{class}' is not a temperature class"))?;
            print(&open(&dir)?.lot_report(&lot, &policy)?)
        }
    }
}
