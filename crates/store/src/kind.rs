//! The kinds of records the platform stores, each in its own table.

use serde::{Deserialize, Serialize};

/// A stored entity kind. Each kind has one table, named by [`Kind::table`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Parties (shippers, carriers, consignees, platform operators).
    Party,
    /// Vehicles.
    Vehicle,
    /// Drivers.
    Driver,
    /// Loads (freight orders).
    Load,
    /// Electronic waybills.
    Waybill,
    /// Fund-flow records.
    Payment,
    /// Facilities.
    Facility,
    /// Transport and warehouse events.
    Event,
    /// County-level units (reference data).
    County,
    /// The logistics plan's 2025 targets (reference data).
    PlanTarget,
    /// The plan's 2020 baselines (reference data).
    Baseline,
    /// Dispatch (vehicle routing) plans and their results.
    DispatchPlan,
    /// JT/T 808 terminals bound to vehicles.
    Terminal,
    /// Monitoring alerts raised by the rules.
    Alert,
    /// Plan indicator values entered by the regulator with their source.
    IndicatorValue,
    /// Progress reports on the plan's key projects.
    ProjectReport,
    /// Relief items of the emergency catalogue (water, food, medicine, tents, …).
    EmergencyItem,
    /// Emergency stockpiles (government and agreement reserves).
    Stockpile,
    /// Stock of one item at one stockpile, by lot, with its reservation holds.
    StockLot,
    /// Reservations of stock for a relief request.
    StockReservation,
    /// Stock issued (leaving a stockpile).
    StockIssue,
    /// Green-channel passes (应急通行证) of emergency fleet vehicles.
    GreenPass,
    /// Relief requests from demand points (shelters, hospitals, villages).
    ReliefRequest,
    /// Government units (市发展改革委, 市商务局, …): the units gazette tasks name and officials act for.
    GovUnit,
    /// Tasks and measures of the gazette's task-division documents (61号, 69号).
    GovTask,
    /// Progress reports by units on gazette tasks.
    TaskReport,
    /// The 2025 county targets of 63号 (reference data).
    CountyTarget,
    /// Values of county targets entered with their source.
    CountyTargetValue,
    /// Foreign-enterprise appeals (外资企业问题诉求, 65号).
    ForeignAppeal,
    /// The appeal desk's weekly and monthly reports, with their approval.
    AppealReport,
    /// Enterprises' demands on the industry–education platform (jobs, internships, joint training, R&D problems).
    TalentDemand,
    /// Colleges' supply on the industry–education platform (programmes, graduates, labs, teachers).
    TalentSupply,
    /// Files attached to records (progress reports, appeals).
    Attachment,
    /// Per-region settings of a government desk (the appeal desk's cut-off times, holidays, groups).
    DeskConfig,
}

impl Kind {
    /// Every kind, in a stable order.
    pub const ALL: [Kind; 34] = [
        Kind::Party,
        Kind::Vehicle,
        Kind::Driver,
        Kind::Load,
        Kind::Waybill,
        Kind::Payment,
        Kind::Facility,
        Kind::Event,
        Kind::County,
        Kind::PlanTarget,
        Kind::Baseline,
        Kind::DispatchPlan,
        Kind::Terminal,
        Kind::Alert,
        Kind::IndicatorValue,
        Kind::ProjectReport,
        Kind::EmergencyItem,
        Kind::Stockpile,
        Kind::StockLot,
        Kind::StockReservation,
        Kind::StockIssue,
        Kind::GreenPass,
        Kind::ReliefRequest,
        Kind::GovUnit,
        Kind::GovTask,
        Kind::TaskReport,
        Kind::CountyTarget,
        Kind::CountyTargetValue,
        Kind::ForeignAppeal,
        Kind::AppealReport,
        Kind::TalentDemand,
        Kind::TalentSupply,
        Kind::Attachment,
        Kind::DeskConfig,
    ];

    /// Table name, which is also the URL collection name.
    pub fn table(self) -> &'static str {
        match self {
            Kind::Party => "parties",
            Kind::Vehicle => "vehicles",
            Kind::Driver => "drivers",
            Kind::Load => "loads",
            Kind::Waybill => "waybills",
            Kind::Payment => "payments",
            Kind::Facility => "facilities",
            Kind::Event => "events",
            Kind::County => "counties",
            Kind::PlanTarget => "plan_targets",
            Kind::Baseline => "baselines",
            Kind::DispatchPlan => "dispatch_plans",
            Kind::Terminal => "terminals",
            Kind::Alert => "alerts",
            Kind::IndicatorValue => "indicator_values",
            Kind::ProjectReport => "project_reports",
            Kind::EmergencyItem => "emergency_items",
            Kind::Stockpile => "stockpiles",
            Kind::StockLot => "stock_lots",
            Kind::StockReservation => "stock_reservations",
            Kind::StockIssue => "stock_issues",
            Kind::GreenPass => "green_passes",
            Kind::ReliefRequest => "relief_requests",
            Kind::GovUnit => "gov_units",
            Kind::GovTask => "gov_tasks",
            Kind::TaskReport => "task_reports",
            Kind::CountyTarget => "county_targets",
            Kind::CountyTargetValue => "county_target_values",
            Kind::ForeignAppeal => "foreign_appeals",
            Kind::AppealReport => "appeal_reports",
            Kind::TalentDemand => "talent_demands",
            Kind::TalentSupply => "talent_supplies",
            Kind::Attachment => "attachments",
            Kind::DeskConfig => "desk_configs",
        }
    }

    /// Prefix of generated IDs.
    pub fn id_prefix(self) -> &'static str {
        match self {
            Kind::Party => "pty_",
            Kind::Vehicle => "veh_",
            Kind::Driver => "drv_",
            Kind::Load => "lod_",
            Kind::Waybill => "wyb_",
            Kind::Payment => "pay_",
            Kind::Facility => "fac_",
            Kind::Event => "evt_",
            Kind::County => "cty_",
            Kind::PlanTarget => "tgt_",
            Kind::Baseline => "bas_",
            Kind::DispatchPlan => "dsp_",
            Kind::Terminal => "trm_",
            Kind::Alert => "alr_",
            Kind::IndicatorValue => "ivl_",
            Kind::ProjectReport => "prr_",
            Kind::EmergencyItem => "emi_",
            Kind::Stockpile => "stp_",
            Kind::StockLot => "lot_",
            Kind::StockReservation => "rsv_",
            Kind::StockIssue => "iss_",
            Kind::GreenPass => "gcp_",
            Kind::ReliefRequest => "erq_",
            Kind::GovUnit => "gun_",
            Kind::GovTask => "gtk_",
            Kind::TaskReport => "gtr_",
            Kind::CountyTarget => "ctg_",
            Kind::CountyTargetValue => "ctv_",
            Kind::ForeignAppeal => "fap_",
            Kind::AppealReport => "apr_",
            Kind::TalentDemand => "tdm_",
            Kind::TalentSupply => "tsu_",
            Kind::Attachment => "att_",
            Kind::DeskConfig => "dcf_",
        }
    }

    /// Looks a kind up by its table / collection name.
    pub fn from_table(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.table() == name)
    }
}
