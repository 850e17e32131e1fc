//! The alarm and status words of a location report (tables 24 and 25 of the
//! 2013 standard; the 2019 edition keeps these bits).

macro_rules! bits {
    ($ty:ident { $($(#[$doc:meta])* $name:ident = $bit:expr;)* }) => {
        impl $ty {
            $(
                $(#[$doc])*
                pub fn $name(self) -> bool {
                    self.bit($bit)
                }
            )*
        }
    };
}

/// The 32-bit alarm word of 0x0200.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct AlarmFlags(pub u32);

/// The 32-bit status word of 0x0200.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct StatusFlags(pub u32);

impl AlarmFlags {
    /// Whether bit `n` (0..=31) is set; false for larger `n`.
    pub fn bit(self, n: u32) -> bool {
        n < 32 && self.0 & (1 << n) != 0
    }

    /// A copy with bit `n` set or cleared (ignored for `n` > 31).
    pub fn with(self, n: u32, on: bool) -> Self {
        AlarmFlags(with_bit(self.0, n, on))
    }
}

impl StatusFlags {
    /// Whether bit `n` (0..=31) is set; false for larger `n`.
    pub fn bit(self, n: u32) -> bool {
        n < 32 && self.0 & (1 << n) != 0
    }

    /// A copy with bit `n` set or cleared (ignored for `n` > 31).
    pub fn with(self, n: u32, on: bool) -> Self {
        StatusFlags(with_bit(self.0, n, on))
    }
}

fn with_bit(word: u32, n: u32, on: bool) -> u32 {
    if n > 31 {
        word
    } else if on {
        word | (1 << n)
    } else {
        word & !(1 << n)
    }
}

bits!(AlarmFlags {
    /// Bit 0: emergency (SOS) alarm.
    emergency = 0;
    /// Bit 1: overspeed alarm.
    overspeed = 1;
    /// Bit 2: fatigue driving alarm.
    fatigue = 2;
    /// Bit 3: danger warning.
    danger_warning = 3;
    /// Bit 4: GNSS module fault.
    gnss_fault = 4;
    /// Bit 5: GNSS antenna disconnected.
    gnss_antenna_cut = 5;
    /// Bit 6: GNSS antenna short circuit.
    gnss_antenna_short = 6;
    /// Bit 7: main power under-voltage.
    power_low = 7;
    /// Bit 8: main power cut.
    power_cut = 8;
    /// Bit 13: overspeed early warning.
    overspeed_warning = 13;
    /// Bit 14: fatigue driving early warning.
    fatigue_warning = 14;
    /// Bit 18: accumulated driving time of the day exceeded.
    daily_driving_exceeded = 18;
    /// Bit 19: parked too long.
    parking_overtime = 19;
    /// Bit 20: entered or left an area.
    area_in_out = 20;
    /// Bit 21: entered or left a route.
    route_in_out = 21;
    /// Bit 23: route deviation.
    route_deviation = 23;
    /// Bit 26: vehicle stolen.
    stolen = 26;
    /// Bit 29: collision warning.
    collision = 29;
    /// Bit 30: rollover warning.
    rollover = 30;
});

bits!(StatusFlags {
    /// Bit 0: ACC (ignition) on.
    acc_on = 0;
    /// Bit 1: position fixed.
    positioned = 1;
    /// Bit 2: latitude is south.
    south = 2;
    /// Bit 3: longitude is west.
    west = 3;
    /// Bit 4: vehicle out of operation.
    out_of_service = 4;
    /// Bit 5: coordinates encrypted by a confidentiality plug-in.
    coordinates_encrypted = 5;
    /// Bit 10: oil circuit cut.
    oil_cut = 10;
    /// Bit 11: electric circuit cut.
    circuit_cut = 11;
    /// Bit 12: doors locked.
    doors_locked = 12;
    /// Bit 18: GPS used for the fix.
    gps = 18;
    /// Bit 19: BeiDou used for the fix.
    beidou = 19;
    /// Bit 20: GLONASS used for the fix.
    glonass = 20;
    /// Bit 21: Galileo used for the fix.
    galileo = 21;
});

impl StatusFlags {
    /// Bits 8..=9: load state (0 empty, 1 half, 2 reserved, 3 full).
    pub fn load_state(self) -> u8 {
        ((self.0 >> 8) & 0x03) as u8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_bits() {
        let s = StatusFlags(0b1111);
        assert!(s.acc_on() && s.positioned() && s.south() && s.west());
        assert!(!StatusFlags(0x800).acc_on());
        assert!(StatusFlags(0x800).circuit_cut());
        let a = AlarmFlags::default().with(1, true).with(2, true);
        assert!(a.overspeed() && a.fatigue() && !a.emergency());
        assert_eq!(a.with(1, false).0, 4);
        assert!(!a.bit(40));
    }
}
