//! The records a network-freight platform uploads for a trip: the waybill and the fund-flow record,
//! as the platform's model types.

use chrono::{DateTime, Duration, Utc};
use wuliu_model::waybill::{
    ActualCarrier, GoodsLine, Insurance, PaidWaybill, PaymentLine, WaybillDriver, WaybillParty,
    WaybillVehicle,
};
use wuliu_model::{
    DivisionCode, DriverId, Kg, PartyId, Payment, VehicleId, Waybill, WaybillId, WaybillStatus,
    Yuan,
};

use crate::scenario::{End, Trip};

fn party(end: &End, id_code: Option<String>) -> WaybillParty {
    WaybillParty {
        name: end.name.clone(),
        id_code,
        place: end.place.clone(),
        division_code: DivisionCode(end.division.clone()),
        point: Some(end.point),
    }
}

/// The waybill of `trip` at status `confirmed`, with its consignment and despatch times, and the
/// receipt time when `with_receipt` (a replayed trip is over; a live one is not yet).
pub fn waybill(trip: &Trip, with_receipt: bool) -> Waybill {
    let carrier = &trip.carrier.body;
    let long = !trip.consignee.division.starts_with("4502");
    Waybill {
        external_id: Some(trip.external_id.clone()),
        shipping_note_number: trip.shipping_note_number.clone(),
        original_document_number: None,
        serial_number: "0000".to_string(),
        business_type_code: if long { "1002996" } else { "1003997" }.to_string(),
        shipper_id: PartyId(trip.shipper.id.clone()),
        carrier_id: PartyId(trip.carrier.id.clone()),
        load_id: None,
        consignment_time: trip.consignment,
        despatch_time: Some(trip.despatch),
        receipt_time: with_receipt.then_some(trip.receipt),
        consignor: party(&trip.consignor, Some(trip.shipper.body.credit_code.clone())),
        consignee: party(&trip.consignee, None),
        vehicle: WaybillVehicle {
            vehicle_id: trip.vehicle.id.clone().map(VehicleId),
            plate: trip.vehicle.record.plate.clone(),
            plate_colour: trip.vehicle.record.plate_colour,
        },
        drivers: vec![WaybillDriver {
            driver_id: trip.driver.id.clone().map(DriverId),
            name: trip.driver.record.name.clone(),
            licence_number: trip.driver.record.id_number.clone(),
        }],
        goods: vec![GoodsLine {
            description: trip.goods.clone(),
            cargo_type_code: trip.cargo_type_code.clone(),
            gross_weight: Kg(trip.gross_weight_kg),
            cube: None,
            packages: Some(trip.packages),
        }],
        actual_carrier: ActualCarrier {
            name: carrier.name.clone(),
            business_licence: carrier
                .transport_permit
                .as_ref()
                .map_or_else(|| carrier.credit_code.clone(), |p| p.number.clone()),
            id_code: carrier.credit_code.clone(),
        },
        insurance: Insurance {
            policy_number: "none".to_string(),
            company_code: "none".to_string(),
        },
        total_amount: Yuan(trip.amount),
        remark: Some(format!("wuliu simulate {}", trip.external_id)),
        status: WaybillStatus::Confirmed,
    }
}

/// When the freight of `trip` is paid: a few hours after receipt.
pub fn payment_time(trip: &Trip) -> DateTime<Utc> {
    trip.receipt + Duration::minutes(60 + (trip.index as i64 * 37) % 240)
}

/// The fund-flow record paying `trip`'s waybill `waybill_id` in full to its payee.
pub fn payment(trip: &Trip, waybill_id: &str) -> Payment {
    Payment {
        external_id: Some(format!("{}-pay", trip.external_id)),
        document_number: format!("FP-{}", trip.external_id),
        carrier_id: PartyId(trip.carrier.id.clone()),
        shipper_id: PartyId(trip.shipper.id.clone()),
        actual_carrier_id_code: trip.carrier.body.credit_code.clone(),
        plate: trip.vehicle.record.plate.clone(),
        plate_colour: trip.vehicle.record.plate_colour,
        waybills: vec![PaidWaybill {
            waybill_id: WaybillId(waybill_id.to_string()),
            shipping_note_number: trip.shipping_note_number.clone(),
            serial_number: "0000".to_string(),
            amount: Yuan(trip.amount),
        }],
        payments: vec![PaymentLine {
            means_code: "32".to_string(),
            recipient: trip.payee.recipient.clone(),
            account: trip.payee.account.clone(),
            bank_code: trip.payee.bank_code.clone(),
            serial: format!(
                "{:020}",
                crate::identity::fnv1a(&trip.external_id) % 10u64.pow(19)
            ),
            amount: Yuan(trip.amount),
            time: payment_time(trip),
        }],
        remark: None,
    }
}
