//! Made-up place and street names. They sound like south-west China but name no real place: city
//! and county names combine characters deliberately avoiding the first characters of Guangxi's real
//! prefecture cities.

use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

const FIRST: &[&str] = &[
    "青", "岚", "澄", "榕", "枫", "溪", "鹤", "凤", "云", "龙", "金", "银", "石", "松", "竹", "桐",
    "碧", "翠", "霞", "峰", "沅", "灵", "平", "泉", "华", "瑶", "临", "怀", "新", "枣", "杉", "茶",
];
const SECOND: &[&str] = &[
    "州", "城", "江", "山", "川", "源", "溪", "阳", "浦", "岭", "林", "塘", "宁", "丰", "田", "坪",
];

/// Street name stems for city and town grids.
pub(crate) const STREET_STEMS: &[&str] = &[
    "民族", "友爱", "朝阳", "建设", "解放", "人民", "中山", "新华", "东风", "红星", "长青", "桃源",
    "滨江", "北湖", "园湖", "金湖", "竹溪", "星光", "江南", "凤翔", "白沙", "青山", "五一", "明秀",
    "大学", "科园", "高新", "文化", "体育", "育才", "和平", "团结", "胜利", "光明", "幸福", "振兴",
    "新民", "公园", "荔园", "翠竹", "榕树", "迎宾", "站前", "工业", "航洋", "花园", "古城", "学院",
    "沿江", "环城", "兴宁", "秀灵", "茅桥", "凤岭", "仙葫", "五象", "良庆", "埌东", "那洪", "金桥",
];

const SURNAMES: &[&str] = &[
    "韦", "黄", "覃", "莫", "陆", "蒙", "梁", "罗", "潘", "卢", "蓝", "廖", "农", "谭", "吴", "杨",
    "何", "周", "邓", "石", "马", "欧", "甘", "苏",
];
const VILLAGE_PREFIX: &[&str] = &[
    "", "", "", "上", "下", "新", "大", "小", "东", "西", "那", "板",
];
const VILLAGE_SUFFIX: &[&str] = &[
    "家村", "屯", "寨", "垌", "坡", "岭", "塘村", "坪", "湾", "冲", "庄", "洞",
];

/// `count` distinct two-character place names.
pub(crate) fn places(rng: &mut ChaCha8Rng, count: usize) -> Vec<String> {
    let mut all: Vec<String> = FIRST
        .iter()
        .flat_map(|a| SECOND.iter().map(move |b| format!("{a}{b}")))
        .collect();
    all.shuffle(rng);
    // More places than names (never with the configured limits): number the rest.
    (0..count)
        .map(|i| {
            let base = &all[i % all.len()];
            if i < all.len() {
                base.clone()
            } else {
                format!("{base}{}", i / all.len() + 1)
            }
        })
        .collect()
}

/// A village name.
pub(crate) fn village(rng: &mut ChaCha8Rng) -> String {
    format!(
        "{}{}{}",
        VILLAGE_PREFIX[rng.gen_range(0..VILLAGE_PREFIX.len())],
        SURNAMES[rng.gen_range(0..SURNAMES.len())],
        VILLAGE_SUFFIX[rng.gen_range(0..VILLAGE_SUFFIX.len())]
    )
}

/// Chinese numerals for numbered streets.
pub(crate) const NUMERALS: &[&str] = &["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

/// Expressway route numbers (national `G…` and provincial `S…`), used in turn.
pub(crate) const EXPRESSWAY_REFS: &[&str] = &[
    "G72", "G75", "G78", "G80", "G65", "G59", "G69", "G7211", "G7212", "G7201", "G8011", "G6517",
    "S21", "S22", "S31", "S40", "S43", "S50", "S60", "S11", "S12", "S13", "S20", "S30", "S41",
    "S42", "S51", "S52", "S61", "S62",
];

/// The first character of a place name (for expressway names like "青云高速").
pub(crate) fn initial(name: &str) -> &str {
    name.char_indices()
        .nth(1)
        .map(|(i, _)| &name[..i])
        .unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    #[test]
    fn names_are_distinct_and_made_up() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let names = places(&mut rng, 130);
        let set: std::collections::HashSet<_> = names.iter().collect();
        assert_eq!(set.len(), 130);
        for real in ["南宁", "柳州", "桂林", "梧州", "北海", "玉林", "百色"] {
            assert!(!set.contains(&real.to_string()));
        }
        assert_eq!(initial("青州"), "青");
        assert!(!village(&mut rng).is_empty());
    }
}
