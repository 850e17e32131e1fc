//! Export in the national network-freight exchange format (交通运输部 网络货运信息交互系统 and the
//! provincial monitoring systems, 省级网络货运信息监测系统): the four documents a network-freight
//! operator reports — electronic waybill (电子运单, `WLHY_YD1001`), fund-flow record (资金流水单,
//! `WLHY_ZJ1001`), vehicle (车辆信息单, `WLHY_CL1001`) and driver (驾驶员信息单, `WLHY_JSY1001`).
//!
//! Each stored record becomes one message `{"root": {"header": …, "body": …}}`: the header names
//! the document, the interface (`ipcType`), the sender and the send time; the body is the document
//! in the national element names (lower camel case, as the JSON interfaces spell them). The body is
//! plain JSON: whoever forwards it to a monitoring system encrypts it (SM2/SM4 per province) and adds
//! the account's token, which this platform does not hold.
//!
//! ## Sources followed
//!
//! The layout was read from public client code of network-freight platforms (the element names and
//! the format notes quoted there from the 部级 technical specification); the code here is our own.
//!
//! - `Shaun911006/fjwccy` (Fujian provincial JSON interface): `src/WccyClient.php` (the envelope
//!   `root.header`: `messageReferenceNumber`, `documentName`, `documentVersionNumber`, `senderCode`,
//!   `messageSendingDateTime`, `ipcType`; the four `WLHY_*1001` codes), `src/content/Order.php`,
//!   `order/ConsignorInfo.php`, `order/ConsigneeInfo.php`, `order/VehicleInfo.php`,
//!   `order/vehicleInfo/Driver.php`, `order/vehicleInfo/GoodsInfo.php`, `order/ActualCarrierInfo.php`,
//!   `Flow.php`, `flow/ShippingNoteList.php`, `flow/Financiallist.php`, `Truck.php`, `Driver.php`
//!   (element names, required fields, 3-decimal amounts and weights, 2-decimal tonnages).
//! - `Shaun911006/wlhywebservice` (the national web-service interface, XML): `src/WccyFlow.php` and
//!   `src/MsgBase.php` (the same fund-flow elements in upper camel case; header with
//!   `MessageReferenceNumber`, `DocumentName`, `SenderCode`, `MessageSendingDateTime`).
//! - `loginkhub/api-gateway-demo-sign-java-master` (the national logistics information platform's
//!   waybill check): `src/test/java/org/logink/cloud/api/gateway/demo/main/YunYanWaybillCheckDemo.java`
//!   (the waybill nesting: `vehicleInfo` holding `driver` and `goodsInfo`; `consignorID`,
//!   `consigneeID`, `actualCarrierID`).
//! - The Tianjin monitoring SDK `com.github.qq120011676.nfptj` (`ro/WaybillRO.java`, `NFPTJ.java`;
//!   found by content in the code index, repository path not shown there): the field notes of the
//!   specification (`an..35`, `n14 YYYYMMDDhhmmss`, `n..18,3`, weights in kilograms `n..14,3`, volume
//!   `n..9,4`, `0000` serial, transport type `1` = road, business type codes), and the document names
//!   电子运单 / 资金流水单 / 车辆信息单 / 驾驶员信息单.
//!
//! ## Choices where the sources disagree
//!
//! | point | sources | chosen |
//! |---|---|---|
//! | fund-flow interface code | `WLHY_ZJ1001` (fjwccy, and two clients found by content: a `ShaanXiNetworkFreight` service and a `com.xljt.freight` `IPCTypeEnum`) vs `WLHY_JZ1001` (nfptj) | `WLHY_ZJ1001` |
//! | ID element casing | `consignorID`, `consigneeID`, `actualCarrierID` (logink, the XML `…ID`) vs `consignorId`, `actualCarrierId` (fjwccy) | `…ID`, the national element name lower-camel-cased |
//! | `vehicleInfo` | an object (logink, nfptj) vs a list (fjwccy, which counts it for `vehicleAmount`) | a list of one: the element repeats per vehicle in the specification |
//! | `driver` | an object (logink) vs a list (fjwccy, nfptj: 可循环) | a list |
//! | insurance company element | `insuranceCompanyCode` (nfptj, fjwccy) vs `insuranceCompany` (logink) | `insuranceCompanyCode` |
//! | document name | 电子运单 … (nfptj, as the specification lists them) vs 电子运单上传 … (fjwccy) | 电子运单, 资金流水单, 车辆信息单, 驾驶员信息单 |
//! | `documentVersionNumber` | `2.0` (fjwccy) vs `V2020` (wlhywebservice) | `2.0` |
//! | plate colour code | a string `an..2` (fjwccy, spec notes) vs an integer (one Java DTO) | a string, e.g. `"2"` |
//!
//! Times: the format's `YYYYMMDDhhmmss` has no zone; the systems run on Beijing time (the clients
//! format their local clock), so UTC times are written in UTC+8. Dates are `YYYYMMDD`.
//!
//! ## What the model does not hold
//!
//! Filled as the format allows: `vehicleAmount` is 1 and the vehicle list holds the waybill's one
//! vehicle; `transportTypeCode` is 1 (公路运输, the platform is road freight); `originalDocumentNumber`
//! is the shipping note number when the waybill has none; the vehicle's per-vehicle loading and
//! receipt places are the waybill's; `sendToProDateTime` is the export's send time; a vehicle without
//! a road transport certificate (the model allows that only up to 4.5 t) gets
//! `roadTransportCertificateNumber` = its region's six-digit code + `000000`, as the format allows for
//! light vehicles. The operator (`carrier`, `unifiedSocialCreditIdentifier`, `permitNumber`) is the
//! waybill's carrier party; a fund-flow record's `carrier` (实际承运人名称) is the actual carrier named
//! by the waybills it pays.
//!
//! Left out: waybill `transportationCost`, `transportationDistance`, `finishDateTime` (newer
//! provincial fields); `despatchActualDateTime` / `goodsReceiptDateTime` until the waybill has them;
//! `consignorID` / `consigneeID` when not recorded; vehicle `vehicleType`, `owner`, `useCharacter`,
//! `vin`, `issuingOrganizations`, `registerDate`, `issueDate`, `vehicleEnergyType`, `grossMass`,
//! `trailerVehiclePlateNumber`; driver `issuingOrganizations` and `validPeriodFrom`. A monitoring
//! system that requires them will refuse those messages until the model records them.

use std::collections::HashMap;

use base64::Engine;
use chrono::{DateTime, FixedOffset, NaiveDate, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use wuliu_model::{Driver, Party, Payment, Vehicle, Waybill};
use wuliu_store::{Cursor, Field, Filter, Kind, Literal, Op, Record};

use crate::caller::Caller;
use crate::error::AppError;
use crate::service::Service;
use crate::spec;

/// Most records one export answer holds; more are fetched with `next_cursor`.
pub const MAX_EXCHANGE_RECORDS: u32 = 10_000;
/// Records per answer when the caller names no limit.
pub const DEFAULT_EXCHANGE_RECORDS: u32 = 1_000;
/// The `documentVersionNumber` of the header.
pub const DOCUMENT_VERSION: &str = "2.0";
/// `transportTypeCode` 1: road transport (公路运输).
pub const TRANSPORT_TYPE_ROAD: u32 = 1;

/// One of the four national documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Document {
    /// 电子运单, from `waybills`.
    Waybill,
    /// 资金流水单, from `payments`.
    Payment,
    /// 车辆信息单, from `vehicles`.
    Vehicle,
    /// 驾驶员信息单, from `drivers`.
    Driver,
}

impl Document {
    /// All four, in the order of the national interface list.
    pub const ALL: [Document; 4] = [
        Document::Waybill,
        Document::Payment,
        Document::Vehicle,
        Document::Driver,
    ];

    /// The document exported from a collection (`waybills`, `payments`, `vehicles`, `drivers`).
    pub fn parse(collection: &str) -> Option<Document> {
        Self::ALL.into_iter().find(|d| d.collection() == collection)
    }

    /// The stored kind the document is made from.
    pub fn kind(self) -> Kind {
        match self {
            Document::Waybill => Kind::Waybill,
            Document::Payment => Kind::Payment,
            Document::Vehicle => Kind::Vehicle,
            Document::Driver => Kind::Driver,
        }
    }

    /// The collection name (the URL segment).
    pub fn collection(self) -> &'static str {
        self.kind().table()
    }

    /// The interface code (`ipcType`).
    pub fn ipc_type(self) -> &'static str {
        match self {
            Document::Waybill => "WLHY_YD1001",
            Document::Payment => "WLHY_ZJ1001",
            Document::Vehicle => "WLHY_CL1001",
            Document::Driver => "WLHY_JSY1001",
        }
    }

    /// The document name of the header (`documentName`).
    pub fn document_name(self) -> &'static str {
        match self {
            Document::Waybill => "电子运单",
            Document::Payment => "资金流水单",
            Document::Vehicle => "车辆信息单",
            Document::Driver => "驾驶员信息单",
        }
    }
}

/// Beijing time (UTC+8), the zone of the format's times.
fn beijing() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// A time as the format writes it: `YYYYMMDDhhmmss`, Beijing time.
pub fn national_time(t: DateTime<Utc>) -> String {
    t.with_timezone(&beijing())
        .format("%Y%m%d%H%M%S")
        .to_string()
}

/// A date as the format writes it: `YYYYMMDD`.
pub fn national_date(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

/// A decimal with exactly `places` decimals (`2600` → `2600.000` for 3), as the format's `n..18,3`.
pub fn decimal(value: f64, places: usize) -> String {
    let text = format!("{value:.places$}");
    // No "-0.000" for values that round to zero.
    match text.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_string(),
        _ => text,
    }
}

/// A plate colour as the format's `vehiclePlateColorCode` (JT/T 697.7 codes, as text).
pub fn plate_colour_code(c: wuliu_model::PlateColour) -> String {
    c.code().to_string()
}

/// The network-freight operator of a waybill (网络货运经营者): name, credit code and permit.
#[derive(Debug, Clone, PartialEq)]
pub struct Operator {
    /// Registered name (`carrier`).
    pub name: String,
    /// Unified social credit code (`unifiedSocialCreditIdentifier`).
    pub credit_code: String,
    /// Road transport business permit number (`permitNumber`), when recorded.
    pub permit_number: Option<String>,
}

impl Operator {
    /// The operator data of a party.
    pub fn from_party(p: &Party) -> Operator {
        Operator {
            name: p.name.clone(),
            credit_code: p.credit_code.clone(),
            permit_number: p.transport_permit.as_ref().map(|c| c.number.clone()),
        }
    }
}

/// 托运人信息 (`consignorInfo`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConsignorInfo {
    /// 托运人名称.
    pub consignor: String,
    /// 托运人统一社会信用代码或个人证件号; left out when not recorded.
    #[serde(
        rename = "consignorID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub consignor_id: Option<String>,
    /// 装货地址.
    pub place_of_loading: String,
    /// 装货地点的国家行政区划代码.
    pub country_subdivision_code: String,
}

/// 收货方信息 (`consigneeInfo`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConsigneeInfo {
    /// 收货方名称.
    pub consignee: String,
    /// 收货方统一社会信用代码或个人证件号码 (optional in the format).
    #[serde(
        rename = "consigneeID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub consignee_id: Option<String>,
    /// 收货地址.
    pub goods_receipt_place: String,
    /// 收货地点的国家行政区划代码.
    pub country_subdivision_code: String,
}

/// A driver of the vehicle (`driver` entry).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DriverInfo {
    /// 姓名.
    pub driver_name: String,
    /// 身份证号 (the format calls it `drivingLicense`).
    pub driving_license: String,
}

/// A goods line (`goodsInfo` entry).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GoodsInfo {
    /// 货物名称.
    pub description_of_goods: String,
    /// 货物类型分类代码.
    pub cargo_type_classification_code: String,
    /// 货物项毛重: kilograms with 3 decimals.
    pub goods_item_gross_weight: String,
    /// 体积: cubic metres with 4 decimals, when recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cube: Option<String>,
    /// 总件数, when recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_number_of_packages: Option<u32>,
}

/// 车辆信息 (`vehicleInfo` entry): the vehicle, its drivers and goods.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VehicleInfo {
    /// 车牌颜色代码.
    pub vehicle_plate_color_code: String,
    /// 车辆牌照号.
    pub vehicle_number: String,
    /// 发货日期时间 of this vehicle, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub despatch_actual_date_time: Option<String>,
    /// 收货日期时间 of this vehicle, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goods_receipt_date_time: Option<String>,
    /// 装货地址.
    pub place_of_loading: String,
    /// 装货地址的国家行政区划代码.
    pub loading_country_subdivision_code: String,
    /// 收货地址.
    pub goods_receipt_place: String,
    /// 收货地址的国家行政区划代码.
    pub receipt_country_subdivision_code: String,
    /// 驾驶员 (one or more).
    pub driver: Vec<DriverInfo>,
    /// 货物信息.
    pub goods_info: Vec<GoodsInfo>,
}

/// 实际承运人信息 (`actualCarrierInfo`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActualCarrierInfo {
    /// 实际承运人名称.
    pub actual_carrier_name: String,
    /// 实际承运人道路运输经营许可证号.
    pub actual_carrier_business_license: String,
    /// 实际承运人统一社会信用代码或证件号码.
    #[serde(rename = "actualCarrierID")]
    pub actual_carrier_id: String,
}

/// 保险信息 (`insuranceInformation`); `none` when uninsured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InsuranceInformation {
    /// 保险单号.
    pub policy_number: String,
    /// 保险公司代码.
    pub insurance_company_code: String,
}

/// 电子运单 (`WLHY_YD1001`) body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WaybillMessage {
    /// 原始单号 (the shipping note number when the waybill records none).
    pub original_document_number: String,
    /// 运单号.
    pub shipping_note_number: String,
    /// 分段分单号, `0000` when not split.
    pub serial_number: String,
    /// 运输总车辆数.
    pub vehicle_amount: u32,
    /// 运输组织类型代码 (1 = road).
    pub transport_type_code: u32,
    /// 运单上传时间.
    pub send_to_pro_date_time: String,
    /// 网络货运经营者名称.
    pub carrier: String,
    /// 统一社会信用代码 of the operator.
    pub unified_social_credit_identifier: String,
    /// 道路运输经营许可证编号 of the operator, when recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permit_number: Option<String>,
    /// 运单生成时间.
    pub consignment_date_time: String,
    /// 业务类型代码.
    pub business_type_code: String,
    /// 发货日期时间, once despatched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub despatch_actual_date_time: Option<String>,
    /// 收货日期时间, once received.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goods_receipt_date_time: Option<String>,
    /// 托运人信息.
    pub consignor_info: ConsignorInfo,
    /// 收货方信息.
    pub consignee_info: ConsigneeInfo,
    /// 运费金额: yuan with 3 decimals.
    pub total_monetary_amount: String,
    /// 车辆信息.
    pub vehicle_info: Vec<VehicleInfo>,
    /// 实际承运人信息.
    pub actual_carrier_info: ActualCarrierInfo,
    /// 保险信息.
    pub insurance_information: InsuranceInformation,
    /// 备注.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
}

impl WaybillMessage {
    /// The waybill `w` of `operator`, sent at `sent_at`.
    pub fn from_model(w: &Waybill, operator: &Operator, sent_at: DateTime<Utc>) -> Self {
        let despatch = w.despatch_time.map(national_time);
        let receipt = w.receipt_time.map(national_time);
        let vehicle = VehicleInfo {
            vehicle_plate_color_code: plate_colour_code(w.vehicle.plate_colour),
            vehicle_number: w.vehicle.plate.clone(),
            despatch_actual_date_time: despatch.clone(),
            goods_receipt_date_time: receipt.clone(),
            place_of_loading: w.consignor.place.clone(),
            loading_country_subdivision_code: w.consignor.division_code.0.clone(),
            goods_receipt_place: w.consignee.place.clone(),
            receipt_country_subdivision_code: w.consignee.division_code.0.clone(),
            driver: w
                .drivers
                .iter()
                .map(|d| DriverInfo {
                    driver_name: d.name.clone(),
                    driving_license: d.licence_number.clone(),
                })
                .collect(),
            goods_info: w
                .goods
                .iter()
                .map(|g| GoodsInfo {
                    description_of_goods: g.description.clone(),
                    cargo_type_classification_code: g.cargo_type_code.clone(),
                    goods_item_gross_weight: decimal(g.gross_weight.0, 3),
                    cube: g.cube.map(|c| decimal(c.0, 4)),
                    total_number_of_packages: g.packages,
                })
                .collect(),
        };
        WaybillMessage {
            original_document_number: w
                .original_document_number
                .clone()
                .unwrap_or_else(|| w.shipping_note_number.clone()),
            shipping_note_number: w.shipping_note_number.clone(),
            serial_number: w.serial_number.clone(),
            vehicle_amount: 1,
            transport_type_code: TRANSPORT_TYPE_ROAD,
            send_to_pro_date_time: national_time(sent_at),
            carrier: operator.name.clone(),
            unified_social_credit_identifier: operator.credit_code.clone(),
            permit_number: operator.permit_number.clone(),
            consignment_date_time: national_time(w.consignment_time),
            business_type_code: w.business_type_code.clone(),
            despatch_actual_date_time: despatch,
            goods_receipt_date_time: receipt,
            consignor_info: ConsignorInfo {
                consignor: w.consignor.name.clone(),
                consignor_id: w.consignor.id_code.clone(),
                place_of_loading: w.consignor.place.clone(),
                country_subdivision_code: w.consignor.division_code.0.clone(),
            },
            consignee_info: ConsigneeInfo {
                consignee: w.consignee.name.clone(),
                consignee_id: w.consignee.id_code.clone(),
                goods_receipt_place: w.consignee.place.clone(),
                country_subdivision_code: w.consignee.division_code.0.clone(),
            },
            total_monetary_amount: decimal(w.total_amount.0, 3),
            vehicle_info: vec![vehicle],
            actual_carrier_info: ActualCarrierInfo {
                actual_carrier_name: w.actual_carrier.name.clone(),
                actual_carrier_business_license: w.actual_carrier.business_licence.clone(),
                actual_carrier_id: w.actual_carrier.id_code.clone(),
            },
            insurance_information: InsuranceInformation {
                policy_number: w.insurance.policy_number.clone(),
                insurance_company_code: w.insurance.company_code.clone(),
            },
            remark: w.remark.clone(),
        }
    }
}

/// A waybill paid by a fund-flow record (`shippingNoteList` entry).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShippingNote {
    /// 运单号.
    pub shipping_note_number: String,
    /// 分段分单号.
    pub serial_number: String,
    /// 运费金额 of that waybill: yuan with 3 decimals.
    pub total_monetary_amount: String,
}

/// One payment (`financiallist` entry).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Financial {
    /// 付款方式代码.
    pub payment_means_code: String,
    /// 收款方名称.
    pub recipient: String,
    /// 收款帐户信息.
    pub receipt_account: String,
    /// 收款方银行代码.
    pub bank_code: String,
    /// 流水号/序列号.
    pub sequence_code: String,
    /// 实际支付金额: yuan with 3 decimals.
    pub monetary_amount: String,
    /// 日期时间 of the payment.
    pub date_time: String,
}

/// 资金流水单 (`WLHY_ZJ1001`) body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentMessage {
    /// 单证号.
    pub document_number: String,
    /// 资金流水单上传时间.
    pub send_to_pro_date_time: String,
    /// 实际承运人名称.
    pub carrier: String,
    /// 实际承运人统一社会信用代码或证件号码.
    #[serde(rename = "actualCarrierID")]
    pub actual_carrier_id: String,
    /// 车辆牌照号.
    pub vehicle_number: String,
    /// 车牌颜色代码.
    pub vehicle_plate_color_code: String,
    /// 运单列表.
    pub shipping_note_list: Vec<ShippingNote>,
    /// 财务列表 (the format spells it with a lower-case `l`).
    pub financiallist: Vec<Financial>,
    /// 备注.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
}

impl PaymentMessage {
    /// The fund-flow record `p`, whose actual carrier is named `actual_carrier_name`, sent at
    /// `sent_at`.
    pub fn from_model(p: &Payment, actual_carrier_name: &str, sent_at: DateTime<Utc>) -> Self {
        PaymentMessage {
            document_number: p.document_number.clone(),
            send_to_pro_date_time: national_time(sent_at),
            carrier: actual_carrier_name.to_string(),
            actual_carrier_id: p.actual_carrier_id_code.clone(),
            vehicle_number: p.plate.clone(),
            vehicle_plate_color_code: plate_colour_code(p.plate_colour),
            shipping_note_list: p
                .waybills
                .iter()
                .map(|w| ShippingNote {
                    shipping_note_number: w.shipping_note_number.clone(),
                    serial_number: w.serial_number.clone(),
                    total_monetary_amount: decimal(w.amount.0, 3),
                })
                .collect(),
            financiallist: p
                .payments
                .iter()
                .map(|l| Financial {
                    payment_means_code: l.means_code.clone(),
                    recipient: l.recipient.clone(),
                    receipt_account: l.account.clone(),
                    bank_code: l.bank_code.clone(),
                    sequence_code: l.serial.clone(),
                    monetary_amount: decimal(l.amount.0, 3),
                    date_time: national_time(l.time),
                })
                .collect(),
            remark: p.remark.clone(),
        }
    }
}

/// 车辆信息单 (`WLHY_CL1001`) body, with the elements the model holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VehicleMessage {
    /// 车辆牌照号.
    pub vehicle_number: String,
    /// 车牌颜色代码.
    pub vehicle_plate_color_code: String,
    /// 核定载质量: tonnes with 2 decimals.
    pub vehicle_tonnage: String,
    /// 道路运输证号 (region code + `000000` for a light vehicle without one).
    pub road_transport_certificate_number: String,
}

impl VehicleMessage {
    /// The vehicle `v`, registered on the platform in `region`.
    pub fn from_model(v: &Vehicle, region: &str) -> Self {
        VehicleMessage {
            vehicle_number: v.plate.clone(),
            vehicle_plate_color_code: plate_colour_code(v.plate_colour),
            vehicle_tonnage: decimal(v.rated_load.0 / 1000.0, 2),
            road_transport_certificate_number: v
                .transport_certificate
                .as_ref()
                .map(|c| c.number.clone())
                .unwrap_or_else(|| format!("{region}000000")),
        }
    }
}

/// 驾驶员信息单 (`WLHY_JSY1001`) body, with the elements the model holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DriverMessage {
    /// 姓名.
    pub driver_name: String,
    /// 身份证号.
    pub driving_license: String,
    /// 准驾车型.
    pub vehicle_class: String,
    /// 驾驶证有效期至.
    pub valid_period_to: String,
    /// 从业资格证号.
    pub qualification_certificate: String,
    /// 手机号码.
    pub telephone: String,
}

impl DriverMessage {
    /// The driver `d`.
    pub fn from_model(d: &Driver) -> Self {
        DriverMessage {
            driver_name: d.name.clone(),
            driving_license: d.id_number.clone(),
            vehicle_class: d.licence.class.clone(),
            valid_period_to: national_date(d.licence.expires),
            qualification_certificate: d.qualification.number.clone(),
            telephone: d.phone.clone(),
        }
    }
}

/// The body of a message: one of the four documents.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum DocumentBody {
    /// 电子运单.
    Waybill(Box<WaybillMessage>),
    /// 资金流水单.
    Payment(PaymentMessage),
    /// 车辆信息单.
    Vehicle(VehicleMessage),
    /// 驾驶员信息单.
    Driver(DriverMessage),
}

/// The message header (`root.header`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageHeader {
    /// 报文参考号: 32 hexadecimal digits, unique per message.
    pub message_reference_number: String,
    /// 报文名称, e.g. 电子运单.
    pub document_name: String,
    /// 报文版本号.
    pub document_version_number: String,
    /// 发送方代码.
    pub sender_code: String,
    /// 发送日期时间, `YYYYMMDDhhmmss`.
    pub message_sending_date_time: String,
    /// 业务接口代码, e.g. `WLHY_YD1001`.
    pub ipc_type: String,
}

impl MessageHeader {
    /// A header for `document` from `sender_code` at `sent_at`, with a fresh reference number.
    pub fn new(document: Document, sender_code: &str, sent_at: DateTime<Utc>) -> Self {
        MessageHeader {
            message_reference_number: format!("{:032x}", rand::random::<u128>()),
            document_name: document.document_name().to_string(),
            document_version_number: DOCUMENT_VERSION.to_string(),
            sender_code: sender_code.to_string(),
            message_sending_date_time: national_time(sent_at),
            ipc_type: document.ipc_type().to_string(),
        }
    }
}

/// Header and body (`root`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MessageRoot {
    /// The header.
    pub header: MessageHeader,
    /// The document.
    pub body: DocumentBody,
}

/// One message as the exchange sends it: `{"root": {"header": …, "body": …}}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Message {
    /// The message.
    pub root: MessageRoot,
}

/// One exported record: which record it is, and its message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExchangeItem {
    /// The platform record's ID.
    pub record_id: String,
    /// The record's region.
    pub region: String,
    /// The record's version.
    pub version: i64,
    /// The record's last change (RFC 3339).
    pub updated_at: String,
    /// The national message.
    pub message: Message,
}

/// A record that could not be turned into a message, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Skipped {
    /// The platform record's ID.
    pub record_id: String,
    /// Why (e.g. the waybill's carrier party is missing).
    pub reason: String,
}

/// What an export answers: the messages of one document type.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExchangeBatch {
    /// The collection exported (`waybills`, …).
    pub document: String,
    /// The interface code of every message.
    pub ipc_type: String,
    /// The document name of every message.
    pub document_name: String,
    /// The headers' sender code.
    pub sender_code: String,
    /// When the batch was built (RFC 3339).
    pub sent_at: String,
    /// Number of messages.
    pub count: usize,
    /// The messages, oldest change first.
    pub messages: Vec<ExchangeItem>,
    /// Records selected but not converted.
    pub skipped: Vec<Skipped>,
    /// Pass as `cursor` for the next records; `None` when this was the last.
    pub next_cursor: Option<String>,
}

/// Which records to export.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExchangeQuery {
    /// Only this record (no other selection may be given with it).
    pub id: Option<String>,
    /// Only this region (GB/T 2260); all regions otherwise.
    pub region: Option<String>,
    /// Records changed at or after this time (`updated_at`).
    pub from: Option<DateTime<Utc>>,
    /// Records changed before this time (`updated_at`).
    pub to: Option<DateTime<Utc>>,
    /// At most this many records (1 to [`MAX_EXCHANGE_RECORDS`], default [`DEFAULT_EXCHANGE_RECORDS`]).
    pub limit: Option<u32>,
    /// The previous answer's `next_cursor`.
    pub cursor: Option<String>,
}

/// How the batch is sent.
#[derive(Debug, Clone, PartialEq)]
pub struct ExchangeOptions {
    /// The headers' `senderCode`.
    pub sender_code: String,
    /// Send time of the headers and the documents' upload times.
    pub sent_at: DateTime<Utc>,
}

/// Only admins and the regulator export national messages (they hold every party's records).
pub fn check_access(caller: &Caller) -> Result<(), AppError> {
    if caller.sees_all() {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "role",
            format!(
                "the national exchange export is for admins and regulators, not {}",
                caller.role.name()
            ),
        ))
    }
}

/// `updated_at` as the store writes it, so text comparison is time order.
fn store_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn encode_cursor(c: &Cursor) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(serde_json::to_vec(c).expect("a cursor serialises"))
}

fn decode_cursor(text: &str) -> Result<Cursor, AppError> {
    let refuse = || {
        AppError::bad(
            "param.invalid",
            "cursor",
            "cursor is not one this export issued",
        )
    };
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text)
        .map_err(|_| refuse())?;
    serde_json::from_slice(&bytes).map_err(|_| refuse())
}

/// Records read while converting (parties, waybills), each read once per batch.
struct Lookup<'a> {
    service: &'a Service,
    seen: HashMap<(Kind, String), Option<Record>>,
}

impl Lookup<'_> {
    async fn get(&mut self, kind: Kind, id: &str) -> Result<Option<Record>, AppError> {
        let key = (kind, id.to_string());
        if let Some(found) = self.seen.get(&key) {
            return Ok(found.clone());
        }
        let found = self.service.repo.get(kind, id).await?;
        self.seen.insert(key, found.clone());
        Ok(found)
    }
}

fn parse<T: serde::de::DeserializeOwned>(rec: &Record, what: &str) -> Result<T, String> {
    serde_json::from_value(rec.body.clone())
        .map_err(|e| format!("the stored {what} '{}' does not read as one: {e}", rec.id))
}

/// The message body of `rec`, or why there is none.
async fn convert(
    document: Document,
    rec: &Record,
    lookup: &mut Lookup<'_>,
    sent_at: DateTime<Utc>,
) -> Result<Result<DocumentBody, String>, AppError> {
    Ok(match document {
        Document::Waybill => {
            let w: Waybill = match parse(rec, "waybill") {
                Ok(w) => w,
                Err(e) => return Ok(Err(e)),
            };
            let party = lookup.get(Kind::Party, w.carrier_id.as_str()).await?;
            match party.as_ref().map(|p| parse::<Party>(p, "party")) {
                Some(Ok(p)) => Ok(DocumentBody::Waybill(Box::new(WaybillMessage::from_model(
                    &w,
                    &Operator::from_party(&p),
                    sent_at,
                )))),
                Some(Err(e)) => Err(e),
                None => Err(format!(
                    "the waybill's carrier party '{}' is missing",
                    w.carrier_id
                )),
            }
        }
        Document::Payment => {
            let p: Payment = match parse(rec, "payment") {
                Ok(p) => p,
                Err(e) => return Ok(Err(e)),
            };
            // The actual carrier's name is on the waybills paid: the one with the same ID code,
            // else the first.
            let mut names = Vec::new();
            for paid in &p.waybills {
                if let Some(r) = lookup.get(Kind::Waybill, paid.waybill_id.as_str()).await? {
                    if let Ok(w) = parse::<Waybill>(&r, "waybill") {
                        names.push((w.actual_carrier.id_code, w.actual_carrier.name));
                    }
                }
            }
            let name = names
                .iter()
                .find(|(code, _)| *code == p.actual_carrier_id_code)
                .or(names.first())
                .map(|(_, name)| name.clone());
            match name {
                Some(name) => Ok(DocumentBody::Payment(PaymentMessage::from_model(
                    &p, &name, sent_at,
                ))),
                None => Err(
                    "no waybill this fund-flow record pays names its actual carrier".to_string(),
                ),
            }
        }
        Document::Vehicle => parse::<Vehicle>(rec, "vehicle")
            .map(|v| DocumentBody::Vehicle(VehicleMessage::from_model(&v, &rec.region))),
        Document::Driver => parse::<Driver>(rec, "driver")
            .map(|d| DocumentBody::Driver(DriverMessage::from_model(&d))),
    })
}

/// The records `query` selects, and the cursor after them.
async fn select(
    service: &Service,
    caller: &Caller,
    document: Document,
    query: &ExchangeQuery,
) -> Result<(Vec<Record>, Option<String>), AppError> {
    let spec = spec::by_kind(document.kind());
    if let Some(id) = &query.id {
        let others = query.region.is_some()
            || query.from.is_some()
            || query.to.is_some()
            || query.limit.is_some()
            || query.cursor.is_some();
        if others {
            return Err(AppError::bad(
                "param.conflict",
                "id",
                "id selects one record; leave out region, from, to, limit and cursor",
            ));
        }
        return Ok((vec![service.get(caller, spec, id).await?], None));
    }
    let limit = query.limit.unwrap_or(DEFAULT_EXCHANGE_RECORDS);
    if limit == 0 {
        return Err(AppError::bad(
            "param.invalid",
            "limit",
            format!("limit must be from 1 to {MAX_EXCHANGE_RECORDS}"),
        ));
    }
    if limit > MAX_EXCHANGE_RECORDS {
        return Err(AppError::too_large(
            "limit",
            format!(
                "an export answers at most {MAX_EXCHANGE_RECORDS} records; ask for limit ≤ {MAX_EXCHANGE_RECORDS} and follow next_cursor, or narrow with from, to or region"
            ),
        ));
    }
    if let (Some(from), Some(to)) = (query.from, query.to) {
        if to <= from {
            return Err(AppError::bad(
                "param.invalid",
                "to",
                "to must be after from (the range is [from, to))",
            ));
        }
    }
    let mut q = service.visible_query(caller, spec, query.region.clone())?;
    q.sort = Field::Column("updated_at");
    q.limit = limit;
    for (bound, op) in [(query.from, Op::Gte), (query.to, Op::Lt)] {
        if let Some(t) = bound {
            q.filters.push(Filter {
                field: Field::Column("updated_at"),
                op,
                value: Literal::Text(store_time(t)),
            });
        }
    }
    if let Some(c) = &query.cursor {
        q.after = Some(decode_cursor(c)?);
    }
    let page = service.repo.list(document.kind(), &q).await?;
    Ok((page.records, page.next.as_ref().map(encode_cursor)))
}

/// Builds the batch of `document` messages for the records `query` selects: admins and the
/// regulator only; at most [`MAX_EXCHANGE_RECORDS`] records, oldest change first, with a cursor
/// for the rest.
pub async fn export_batch(
    service: &Service,
    caller: &Caller,
    document: Document,
    query: &ExchangeQuery,
    options: &ExchangeOptions,
) -> Result<ExchangeBatch, AppError> {
    check_access(caller)?;
    let (records, next_cursor) = select(service, caller, document, query).await?;
    let mut lookup = Lookup {
        service,
        seen: HashMap::new(),
    };
    let mut messages = Vec::with_capacity(records.len());
    let mut skipped = Vec::new();
    for rec in &records {
        match convert(document, rec, &mut lookup, options.sent_at).await? {
            Ok(body) => messages.push(ExchangeItem {
                record_id: rec.id.clone(),
                region: rec.region.clone(),
                version: rec.version,
                updated_at: rec.updated_at.clone(),
                message: Message {
                    root: MessageRoot {
                        header: MessageHeader::new(document, &options.sender_code, options.sent_at),
                        body,
                    },
                },
            }),
            Err(reason) => skipped.push(Skipped {
                record_id: rec.id.clone(),
                reason,
            }),
        }
    }
    Ok(ExchangeBatch {
        document: document.collection().to_string(),
        ipc_type: document.ipc_type().to_string(),
        document_name: document.document_name().to_string(),
        sender_code: options.sender_code.clone(),
        sent_at: options.sent_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        count: messages.len(),
        messages,
        skipped,
        next_cursor,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let t = DateTime::parse_from_rfc3339("2026-11-02T20:30:05Z")
            .unwrap()
            .with_timezone(&Utc);
        // 20:30 UTC is 04:30 the next day in Beijing.
        assert_eq!(national_time(t), "20261103043005");
        assert_eq!(
            national_date(NaiveDate::from_ymd_opt(2031, 1, 1).unwrap()),
            "20310101"
        );
        assert_eq!(decimal(2600.0, 3), "2600.000");
        assert_eq!(decimal(0.1 + 0.2, 3), "0.300");
        assert_eq!(decimal(-0.0001, 3), "0.000");
        assert_eq!(decimal(18.0, 2), "18.00");
    }

    #[test]
    fn documents() {
        for d in Document::ALL {
            assert_eq!(Document::parse(d.collection()), Some(d));
        }
        assert_eq!(Document::parse("loads"), None);
        assert_eq!(Document::Payment.ipc_type(), "WLHY_ZJ1001");
        let h = MessageHeader::new(Document::Driver, "450200", Utc::now());
        assert_eq!(h.message_reference_number.len(), 32);
        assert_eq!(h.ipc_type, "WLHY_JSY1001");
    }
}
