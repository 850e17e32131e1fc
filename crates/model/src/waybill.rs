//! Electronic waybills (电子运单) with the field set of the national network-freight waybill record, and
//! fund-flow records (资金流水单) linked to them.
//!
//! Field names follow the national monitoring interface's record (in snake case); the mapping is documented
//! per field.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::codes::{validate_plate, validate_resident_id, validate_uscc};
use crate::common::check_division;
use crate::geo::GeoPoint;
use crate::ids::{DivisionCode, DriverId, LoadId, PartyId, VehicleId, WaybillId};
use crate::units::{Kg, Yuan, M3};
use crate::validation::{Validate, Violations};
use crate::vehicle::PlateColour;

/// Business type codes of the national record (业务类型代码).
pub const BUSINESS_TYPE_CODES: &[(&str, &str)] = &[
    ("1002996", "trunk line general cargo (干线普货运输)"),
    ("1003997", "city distribution (城市配送)"),
    ("1003998", "rural distribution (农村配送)"),
    ("1002998", "container transport (集装箱运输)"),
    ("1003999", "other (其他)"),
];

/// One end of a consignment (ConsignorInfo / ConsigneeInfo).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WaybillParty {
    /// Name (Consignor / Consignee).
    pub name: String,
    /// Credit code or ID number (ConsignorID / ConsigneeID).
    #[serde(default)]
    pub id_code: Option<String>,
    /// Place of loading or goods-receipt place (PlaceOfLoading / GoodsReceiptPlace).
    pub place: String,
    /// Division code of the place (CountrySubdivisionCode).
    pub division_code: DivisionCode,
    /// Coordinate of the place, when known.
    #[serde(default)]
    pub point: Option<GeoPoint>,
}

/// The vehicle on the waybill (VehicleInfo).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WaybillVehicle {
    /// Platform vehicle ID, when the vehicle is registered here.
    #[serde(default)]
    pub vehicle_id: Option<VehicleId>,
    /// VehicleNumber.
    pub plate: String,
    /// VehiclePlateColorCode.
    pub plate_colour: PlateColour,
}

/// A driver on the waybill (Driver: DriverName, DrivingLicense).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WaybillDriver {
    /// Platform driver ID, when registered here.
    #[serde(default)]
    pub driver_id: Option<DriverId>,
    /// DriverName.
    pub name: String,
    /// DrivingLicense: the licence number, which is the resident ID number.
    pub licence_number: String,
}

/// One goods line (GoodsInfo).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GoodsLine {
    /// DescriptionOfGoods.
    pub description: String,
    /// CargoTypeClassificationCode (货物类型分类代码).
    pub cargo_type_code: String,
    /// GoodsItemGrossWeight.
    pub gross_weight: Kg,
    /// Cube.
    #[serde(default)]
    pub cube: Option<M3>,
    /// TotalNumberOfPackages.
    #[serde(default)]
    pub packages: Option<u32>,
}

/// The actual carrier (ActualCarrierInfo).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActualCarrier {
    /// ActualCarrierName.
    pub name: String,
    /// ActualCarrierBusinessLicense: road transport business permit number.
    pub business_licence: String,
    /// ActualCarrierID: credit code or resident ID number.
    pub id_code: String,
}

/// Insurance (InsuranceInformation). A policy number of `none` records that the goods are uninsured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Insurance {
    /// PolicyNumber, or `none`.
    pub policy_number: String,
    /// InsuranceCompanyCode, or `none`.
    pub company_code: String,
}

/// Waybill lifecycle: draft → confirmed → dispatched → signed → receipted; draft or confirmed may be cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum WaybillStatus {
    /// Created, e.g. by the matching engine, not yet confirmed by the parties.
    Draft,
    /// Confirmed by shipper and carrier (运单确认).
    #[default]
    Confirmed,
    /// Goods despatched (发车).
    Dispatched,
    /// Consignee signed for the goods (签收).
    Signed,
    /// Receipt returned; the waybill is closed (回单).
    Receipted,
    /// Withdrawn before despatch.
    Cancelled,
}

impl WaybillStatus {
    /// The statuses this one may move to.
    pub fn next(self) -> &'static [WaybillStatus] {
        use WaybillStatus::*;
        match self {
            Draft => &[Confirmed, Cancelled],
            Confirmed => &[Dispatched, Cancelled],
            Dispatched => &[Signed],
            Signed => &[Receipted],
            Receipted | Cancelled => &[],
        }
    }
}

/// An electronic waybill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Waybill {
    /// The caller's own ID; unique per region.
    #[serde(default)]
    pub external_id: Option<String>,
    /// ShippingNoteNumber (托运单号).
    pub shipping_note_number: String,
    /// OriginalDocumentNumber (原始单号).
    #[serde(default)]
    pub original_document_number: Option<String>,
    /// SerialNumber (分段分单号), `0000` when not split.
    #[serde(default = "default_serial")]
    pub serial_number: String,
    /// BusinessTypeCode, see [`BUSINESS_TYPE_CODES`].
    pub business_type_code: String,
    /// Shipper party (owner of the goods) on this platform.
    pub shipper_id: PartyId,
    /// Network-freight operator / carrier party on this platform (Carrier).
    pub carrier_id: PartyId,
    /// The load this waybill executes, if posted here.
    #[serde(default)]
    pub load_id: Option<LoadId>,
    /// ConsignmentDateTime (运单生成/托运时间).
    pub consignment_time: DateTime<Utc>,
    /// DespatchActualDateTime (发货时间).
    #[serde(default)]
    pub despatch_time: Option<DateTime<Utc>>,
    /// GoodsReceiptDateTime (收货时间).
    #[serde(default)]
    pub receipt_time: Option<DateTime<Utc>>,
    /// ConsignorInfo.
    pub consignor: WaybillParty,
    /// ConsigneeInfo.
    pub consignee: WaybillParty,
    /// VehicleInfo.
    pub vehicle: WaybillVehicle,
    /// Drivers (one or two).
    pub drivers: Vec<WaybillDriver>,
    /// GoodsInfo lines.
    pub goods: Vec<GoodsLine>,
    /// ActualCarrierInfo.
    pub actual_carrier: ActualCarrier,
    /// InsuranceInformation.
    pub insurance: Insurance,
    /// TotalMonetaryAmount (运费金额), yuan.
    pub total_amount: Yuan,
    /// Remark.
    #[serde(default)]
    pub remark: Option<String>,
    /// Lifecycle state.
    #[serde(default)]
    pub status: WaybillStatus,
}

fn default_serial() -> String {
    "0000".to_string()
}

fn check_waybill_party(p: &WaybillParty, path: &str, v: &mut Violations) {
    v.require_text(&format!("{path}.name"), &p.name);
    v.require_text(&format!("{path}.place"), &p.place);
    check_division(&p.division_code, &format!("{path}.division_code"), v);
    if let Some(pt) = &p.point {
        pt.check(&format!("{path}.point"), v);
    }
}

/// Accepts a unified social credit code or a resident ID number.
fn check_id_code(code: &str, path: &str, v: &mut Violations) {
    if validate_uscc(code).is_err() && validate_resident_id(code).is_err() {
        v.push(
            "id_code.invalid",
            path,
            format!("'{code}' is neither a valid credit code nor a resident ID number"),
        );
    }
}

impl Validate for Waybill {
    fn validate_into(&self, v: &mut Violations) {
        v.require_text("shipping_note_number", &self.shipping_note_number);
        if self.serial_number.len() != 4 || !self.serial_number.chars().all(|c| c.is_ascii_digit())
        {
            v.push(
                "waybill.serial_invalid",
                "serial_number",
                "serial number must be four digits, 0000 when not split",
            );
        }
        if !BUSINESS_TYPE_CODES
            .iter()
            .any(|(c, _)| *c == self.business_type_code)
        {
            let codes: Vec<&str> = BUSINESS_TYPE_CODES.iter().map(|(c, _)| *c).collect();
            v.push(
                "waybill.business_type_invalid",
                "business_type_code",
                format!(
                    "'{}' is not one of {}",
                    self.business_type_code,
                    codes.join(", ")
                ),
            );
        }
        v.require_text("shipper_id", self.shipper_id.as_str());
        v.require_text("carrier_id", self.carrier_id.as_str());
        check_waybill_party(&self.consignor, "consignor", v);
        check_waybill_party(&self.consignee, "consignee", v);
        if let Some(id) = &self.consignor.id_code {
            check_id_code(id, "consignor.id_code", v);
        }
        if let Err(e) = validate_plate(&self.vehicle.plate) {
            v.push(
                "vehicle.plate_invalid",
                "vehicle.plate",
                format!("plate number: {e}"),
            );
        }
        if self.drivers.is_empty() {
            v.push(
                "waybill.driver_required",
                "drivers",
                "a waybill needs at least one driver",
            );
        }
        for (i, d) in self.drivers.iter().enumerate() {
            v.require_text(&format!("drivers[{i}].name"), &d.name);
            if let Err(e) = validate_resident_id(&d.licence_number) {
                v.push(
                    "driver.id_number_invalid",
                    format!("drivers[{i}].licence_number"),
                    format!("licence number: {e}"),
                );
            }
        }
        if self.goods.is_empty() {
            v.push(
                "waybill.goods_required",
                "goods",
                "a waybill needs at least one goods line",
            );
        }
        for (i, g) in self.goods.iter().enumerate() {
            v.require_text(&format!("goods[{i}].description"), &g.description);
            v.require_text(&format!("goods[{i}].cargo_type_code"), &g.cargo_type_code);
            v.require_positive(&format!("goods[{i}].gross_weight"), g.gross_weight.0, false);
        }
        v.require_text("actual_carrier.name", &self.actual_carrier.name);
        v.require_text(
            "actual_carrier.business_licence",
            &self.actual_carrier.business_licence,
        );
        check_id_code(&self.actual_carrier.id_code, "actual_carrier.id_code", v);
        v.require_text("insurance.policy_number", &self.insurance.policy_number);
        v.require_text("insurance.company_code", &self.insurance.company_code);
        v.require_positive("total_amount", self.total_amount.0, true);
        if let (Some(d), Some(r)) = (self.despatch_time, self.receipt_time) {
            if r < d {
                v.push(
                    "waybill.receipt_before_despatch",
                    "receipt_time",
                    "goods receipt time is before despatch time",
                );
            }
        }
        if let Some(d) = self.despatch_time {
            if d < self.consignment_time {
                v.push(
                    "waybill.despatch_before_consignment",
                    "despatch_time",
                    "despatch time is before the consignment time",
                );
            }
        }
    }
}

/// A waybill covered by a fund-flow record (ShippingNoteList entry).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PaidWaybill {
    /// Platform waybill ID.
    pub waybill_id: WaybillId,
    /// ShippingNoteNumber.
    pub shipping_note_number: String,
    /// SerialNumber.
    #[serde(default = "default_serial")]
    pub serial_number: String,
    /// TotalMonetaryAmount of that waybill.
    pub amount: Yuan,
}

/// One payment (Financiallist entry).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentLine {
    /// PaymentMeansCode (付款方式代码), e.g. `32` bank transfer, `42` online payment.
    pub means_code: String,
    /// Recipient (收款方名称).
    pub recipient: String,
    /// ReceiptAccount (收款账户).
    pub account: String,
    /// BankCode (收款方银行代码).
    pub bank_code: String,
    /// SequenceCode: the bank's transaction serial (流水号).
    pub serial: String,
    /// MonetaryAmount.
    pub amount: Yuan,
    /// DateTime of the payment.
    pub time: DateTime<Utc>,
}

/// A fund-flow record (资金流水单) paying one or more waybills.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Payment {
    /// The caller's own ID; unique per region.
    #[serde(default)]
    pub external_id: Option<String>,
    /// DocumentNumber (单证号).
    pub document_number: String,
    /// Network-freight operator / carrier party (Carrier).
    pub carrier_id: PartyId,
    /// Shipper party that bears the cost.
    pub shipper_id: PartyId,
    /// ActualCarrierID.
    pub actual_carrier_id_code: String,
    /// VehicleNumber.
    pub plate: String,
    /// VehiclePlateColorCode.
    pub plate_colour: PlateColour,
    /// ShippingNoteList.
    pub waybills: Vec<PaidWaybill>,
    /// Financiallist.
    pub payments: Vec<PaymentLine>,
    /// Remark.
    #[serde(default)]
    pub remark: Option<String>,
}

impl Validate for Payment {
    fn validate_into(&self, v: &mut Violations) {
        v.require_text("document_number", &self.document_number);
        v.require_text("carrier_id", self.carrier_id.as_str());
        v.require_text("shipper_id", self.shipper_id.as_str());
        check_id_code(&self.actual_carrier_id_code, "actual_carrier_id_code", v);
        if let Err(e) = validate_plate(&self.plate) {
            v.push(
                "vehicle.plate_invalid",
                "plate",
                format!("plate number: {e}"),
            );
        }
        if self.waybills.is_empty() {
            v.push(
                "payment.waybill_required",
                "waybills",
                "a fund-flow record covers at least one waybill",
            );
        }
        for (i, w) in self.waybills.iter().enumerate() {
            v.require_text(&format!("waybills[{i}].waybill_id"), w.waybill_id.as_str());
            v.require_text(
                &format!("waybills[{i}].shipping_note_number"),
                &w.shipping_note_number,
            );
        }
        if self.payments.is_empty() {
            v.push(
                "payment.line_required",
                "payments",
                "a fund-flow record needs at least one payment",
            );
        }
        for (i, p) in self.payments.iter().enumerate() {
            v.require_text(&format!("payments[{i}].means_code"), &p.means_code);
            v.require_text(&format!("payments[{i}].recipient"), &p.recipient);
            v.require_text(&format!("payments[{i}].account"), &p.account);
            v.require_text(&format!("payments[{i}].bank_code"), &p.bank_code);
            v.require_text(&format!("payments[{i}].serial"), &p.serial);
            v.require_positive(&format!("payments[{i}].amount"), p.amount.0, false);
        }
    }
}
