//! The tag vocabulary: the "digital talent tags" (人才成长数字标签) of 69号 §四（三）, as stable
//! ASCII codes with Chinese and English labels and the passage each comes from.
//!
//! Sources (the gazette text in `../shared/seed/`, 柳州市人民政府公报 2024 年第 10 期):
//! - **69号** 《柳州市国家产教融合试点城市建设工作方案》 二、建设目标: the "3+3+1" industries (汽车,
//!   工程机械, 轻工（智能家电）; 智能轨道, 智能电网, 生物制药; 工业设计, 大数据) and the digital
//!   technologies (5G, 人工智能, 工业互联网, 物联网, 车联网, 大数据, 区块链) of its 数字产业 system;
//!   四（五）: 生产性实训、技术研发、检验检测.
//! - **59号** 《柳州市物流业发展"十四五"规划》: the "5+5" industries (汽车, 钢铁, 机械, 化工及日化, 轻工;
//!   高端装备制造, 新一代电子信息技术, 节能环保, 生物与制药, 生产性服务业), 工业物流 around 汽车、工程机械、
//!   冶金, 新能源汽车 "柳州模式", and the logistics skills of chapter 1 and 4 (OMS/TMS/WMS, 智能仓储,
//!   工业机器人 and AGV, 数控机床, 冷链, 多式联运, 供应链, JIT 线边物流).
//!
//! Tags outside the vocabulary are refused (the statistics count by tag, so free text would split
//! one skill into many spellings).

use serde::Serialize;

/// Which list a tag belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TagGroup {
    /// An industry (行业).
    Industry,
    /// A skill (技能).
    Skill,
}

/// One tag of the vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Tag {
    /// Stable code, used in posts and statistics.
    pub code: &'static str,
    /// Chinese label.
    pub zh: &'static str,
    /// English label.
    pub en: &'static str,
    /// The list it belongs to.
    pub group: TagGroup,
    /// Where the gazette names it.
    pub source: &'static str,
}

const fn t(
    code: &'static str,
    zh: &'static str,
    en: &'static str,
    group: TagGroup,
    source: &'static str,
) -> Tag {
    Tag {
        code,
        zh,
        en,
        group,
        source,
    }
}

use TagGroup::{Industry as I, Skill as S};

const G69: &str = "69号 二、建设目标（“3+3+1”目标产业体系）";
const D69: &str = "69号 二、建设目标（数字产业产教融合体系）";
const P55: &str = "59号 第四章（“5+5”城市产业结构）";
const L59: &str = "59号 第一章 发展现状（工业物流、智能化与信息化管理）";

/// Every tag, industries first.
pub const TAGS: &[Tag] = &[
    t("automotive", "汽车", "Automotive", I, G69),
    t(
        "construction_machinery",
        "工程机械",
        "Construction machinery",
        I,
        G69,
    ),
    t(
        "light_industry",
        "轻工（智能家电）",
        "Light industry (smart appliances)",
        I,
        G69,
    ),
    t("smart_rail", "智能轨道", "Smart rail transit", I, G69),
    t("smart_grid", "智能电网", "Smart grid", I, G69),
    t("biopharma", "生物制药", "Biopharmaceuticals", I, G69),
    t("industrial_design", "工业设计", "Industrial design", I, G69),
    t("digital_economy", "数字经济", "Digital economy", I, D69),
    t("steel", "钢铁/冶金", "Steel and metallurgy", I, P55),
    t(
        "chemicals",
        "化工及日化",
        "Chemicals and daily chemicals",
        I,
        P55,
    ),
    t(
        "high_end_equipment",
        "高端装备制造",
        "High-end equipment",
        I,
        P55,
    ),
    t(
        "electronics",
        "新一代电子信息",
        "Electronics and IT",
        I,
        P55,
    ),
    t(
        "new_energy",
        "新能源",
        "New energy (vehicles)",
        I,
        "59号 第一章（新能源汽车“柳州模式”）",
    ),
    t("logistics", "物流", "Logistics", I, "59号 全文（物流业）"),
    t("5g", "5G", "5G", S, D69),
    t("ai", "人工智能", "Artificial intelligence", S, D69),
    t(
        "industrial_internet",
        "工业互联网",
        "Industrial internet",
        S,
        D69,
    ),
    t("iot", "物联网", "Internet of things", S, D69),
    t("connected_vehicles", "车联网", "Connected vehicles", S, D69),
    t("big_data", "大数据分析", "Big data analytics", S, D69),
    t("blockchain", "区块链", "Blockchain", S, D69),
    t(
        "smart_manufacturing",
        "智能制造",
        "Smart manufacturing",
        S,
        D69,
    ),
    t(
        "product_design",
        "工业设计（技能）",
        "Product design",
        S,
        G69,
    ),
    t(
        "quality_testing",
        "检验检测",
        "Quality testing",
        S,
        "69号 三（五）",
    ),
    t(
        "industrial_robots",
        "工业机器人/AGV",
        "Industrial robots and AGVs",
        S,
        L59,
    ),
    t(
        "cnc_machining",
        "数控加工",
        "CNC machining",
        S,
        "59号 第五章（高端数控机床）",
    ),
    t(
        "ev_battery",
        "新能源汽车电池",
        "EV batteries",
        S,
        "59号 第四章（新能源车电池、总成）",
    ),
    t("smart_warehousing", "智能仓储", "Smart warehousing", S, L59),
    t(
        "logistics_systems",
        "物流信息系统（OMS/TMS/WMS）",
        "Logistics systems (OMS/TMS/WMS)",
        S,
        L59,
    ),
    t(
        "cold_chain",
        "冷链",
        "Cold chain",
        S,
        "59号 第五章（冷链物流）",
    ),
    t(
        "multimodal",
        "多式联运",
        "Multimodal transport",
        S,
        "59号 第五章（多式联运）",
    ),
    t(
        "supply_chain",
        "供应链管理",
        "Supply-chain management",
        S,
        "59号 第一章（现代供应链试点）",
    ),
    t(
        "jit_line_side",
        "JIT线边物流",
        "JIT line-side logistics",
        S,
        L59,
    ),
];

/// The tag with `code`, if it is in the vocabulary.
pub fn lookup(code: &str) -> Option<&'static Tag> {
    TAGS.iter().find(|t| t.code == code)
}

/// Whether `code` is a tag of `group`.
pub fn is_tag(code: &str, group: TagGroup) -> bool {
    lookup(code).is_some_and(|t| t.group == group)
}

/// The Chinese label of `code` (the code itself when unknown).
pub fn zh(code: &str) -> &str {
    lookup(code).map_or(code, |t| t.zh)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_ascii_and_sourced() {
        let mut seen = std::collections::BTreeSet::new();
        for t in TAGS {
            assert!(seen.insert(t.code), "duplicate tag {}", t.code);
            assert!(t
                .code
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'));
            assert!(t.source.contains("号"), "{} has no gazette source", t.code);
        }
        assert!(is_tag("automotive", TagGroup::Industry));
        assert!(!is_tag("automotive", TagGroup::Skill));
        assert!(is_tag("cnc_machining", TagGroup::Skill));
    }
}
