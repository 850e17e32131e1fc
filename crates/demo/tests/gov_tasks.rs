//! The embedded task-division tables (61号, 69号, 63号) parse completely, real rows match the CSV text field
//! by field, and a corrupted row names its file, line and field.

use std::collections::BTreeMap;

use wuliu_demo::gov_tasks::{
    county_targets, incentive_measures, industry_education_tasks, parse_county_targets,
    parse_incentive_measures, parse_industry_education_tasks, INDUSTRY_EDUCATION_TASKS_CSV,
};
use wuliu_model::gov_tasks::{
    Comparator, Deadline, DivisionTask, FieldError, RowError, TargetAttribute, TargetCell,
};

fn all_tasks() -> Vec<DivisionTask> {
    let mut tasks = industry_education_tasks().expect("69号 parses");
    tasks.extend(incentive_measures().expect("61号 parses"));
    tasks
}

#[test]
fn every_row_parses_with_its_seq() {
    let tasks = industry_education_tasks().unwrap();
    let measures = incentive_measures().unwrap();
    let targets = county_targets().unwrap();
    assert_eq!(tasks.len(), 27);
    assert_eq!(measures.len(), 35);
    assert_eq!(targets.len(), 23);
    assert!(tasks.iter().map(|t| t.seq).eq(1..=27));
    assert!(measures.iter().map(|t| t.seq).eq(1..=35));
    assert!(tasks
        .iter()
        .all(|t| t.document.number == "柳政办〔2022〕69号"));
    assert!(measures
        .iter()
        .all(|t| t.document.number == "柳政办〔2022〕61号"));
    // 22 numbered indicators; No. 19 has two rows with distinct keys.
    let seqs: std::collections::BTreeSet<u32> = targets.iter().map(|t| t.seq).collect();
    assert!(seqs.into_iter().eq(1..=22));
    let ids: Vec<_> = targets
        .iter()
        .map(|t| t.external_id.clone().unwrap())
        .collect();
    assert_eq!(ids[0], "C01");
    assert_eq!(ids[18..20], ["C19a", "C19b"]);
    let unique: std::collections::BTreeSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), 23);
}

#[test]
fn task_1_lead_units_expand_to_five_city_units() {
    let t = &industry_education_tasks().unwrap()[0];
    assert_eq!(t.external_id.as_deref(), Some("69-01"));
    assert!(t
        .text
        .starts_with("将产教融合纳入柳州市国民经济和社会发展第十四个五年规划"));
    assert_eq!(
        t.lead_units.text,
        "市工业和信息化局、科技局、财政局、人力资源社会保障局、国资委"
    );
    assert_eq!(
        t.lead_units.units,
        [
            "市工业和信息化局",
            "市科技局",
            "市财政局",
            "市人力资源社会保障局",
            "市国资委"
        ]
    );
    assert!(t.lead_units.units.iter().all(|u| u.starts_with('市')));
    assert_eq!(
        t.cooperating_units, t.lead_units,
        "row 1 prints the same list twice"
    );
    assert_eq!(t.deadline, Deadline::Ongoing);
    assert_eq!(t.deadline_text, "持续推进");
    assert_eq!(t.region_units, None);
}

#[test]
fn task_rows_with_zones_duplicates_and_the_misaligned_row_14() {
    let tasks = industry_education_tasks().unwrap();
    // Row 2: the two zones share 管委会.
    assert_eq!(
        tasks[1].lead_units.units,
        [
            "市教育局",
            "市发展改革委",
            "柳东新区管委会",
            "阳和工业新区（北部生态新区）管委会"
        ]
    );
    // Row 4 prints 教育局 twice (市教育局、…、教育局): kept once.
    assert_eq!(tasks[3].lead_units.units, ["市教育局", "市发展改革委"]);
    // Row 12: 自然资规局、规划局 is the one 市自然资源和规划局; 柳州高新区 is a committee too.
    let coop = &tasks[11].cooperating_units.units;
    assert_eq!(
        *coop,
        [
            "市发展改革委",
            "市工业和信息化局",
            "市人力资源社会保障局",
            "市自然资源和规划局",
            "市国资委",
            "柳州高新区管委会",
            "阳和工业新区（北部生态新区）管委会"
        ]
    );
    // Row 14: two misaligned OCR cells joined with ；, no deadline.
    let t14 = &tasks[13];
    assert_eq!(
        t14.lead_units.text,
        "市教育局、教育局；市发展改革委、教育局"
    );
    assert_eq!(t14.lead_units.units, ["市教育局", "市发展改革委"]);
    assert_eq!(t14.cooperating_units.units.len(), 5);
    assert_eq!(t14.deadline, Deadline::NotStated);
    assert_eq!(t14.deadline_text, "");
    // Row 17: the tax bureau leads.
    assert_eq!(
        tasks[16].lead_units.units,
        ["市税务局", "市人力资源社会保障局"]
    );
    assert_eq!(tasks[16].deadline_text, "持续进行");
}

#[test]
fn measure_rows_split_region_and_city_units() {
    let measures = incentive_measures().unwrap();
    let m1 = &measures[0];
    assert_eq!(m1.external_id.as_deref(), Some("61-01"));
    let region = m1.region_units.as_ref().unwrap();
    assert_eq!(region.text, "自治区科技厅、自治区财政厅");
    assert_eq!(region.units, ["自治区科技厅", "自治区财政厅"]);
    assert_eq!(region.lead(), Some("自治区科技厅"));
    assert_eq!(m1.lead_units.units, ["市科技局"]);
    assert_eq!(m1.lead_units.text, "市科技局");
    assert_eq!(m1.cooperating_units.units, ["市财政局"]);
    assert_eq!(m1.deadline, Deadline::NotStated);
    assert_eq!(m1.note, None);
    // Row 5 prints the regional unit twice: one unit.
    assert_eq!(
        measures[4].region_units.as_ref().unwrap().units,
        ["自治区市场监管局"]
    );
    // Row 13: banks and regulators keep their own names.
    let m13 = &measures[12];
    assert_eq!(
        m13.region_units.as_ref().unwrap().units,
        [
            "人民银行南宁中心支行",
            "广西银保监局",
            "广西证监局",
            "自治区地方金融监管局"
        ]
    );
    assert_eq!(m13.lead_units.units, ["人民银行柳州中心支行"]);
    assert_eq!(
        m13.cooperating_units.units,
        ["柳州银保监分局", "市财政局（金融办）"]
    );
    // Row 17: five regional and five city units.
    let m17 = &measures[16];
    assert_eq!(m17.region_units.as_ref().unwrap().units.len(), 5);
    assert_eq!(m17.lead_units.units, ["市农业农村局"]);
    assert_eq!(m17.cooperating_units.units.len(), 4);
    assert_eq!(
        m17.cooperating_units.text,
        "市乡村振兴局、市财政局、市生态环境局、市住房城乡建设局"
    );
    // Single-unit rows have no cooperating unit.
    assert_eq!(measures[1].lead_units.units, ["市发展改革委"]);
    assert!(measures[1].cooperating_units.units.is_empty());
    assert!(measures.iter().all(|m| m.lead_units.units.len() == 1));
}

#[test]
fn deadlines_of_every_row_are_known_or_kept() {
    let mut kinds: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    let tasks = all_tasks();
    for t in &tasks {
        let doc = if t.document.number.contains("69号") {
            "69"
        } else {
            "61"
        };
        *kinds.entry((doc, t.deadline.kind())).or_default() += 1;
        if let Deadline::Text { text } = &t.deadline {
            assert_eq!(text, &t.deadline_text, "unread text is kept verbatim");
        }
        assert_eq!(Deadline::parse(&t.deadline_text), t.deadline);
    }
    println!("deadline kinds: {kinds:?}");
    let expected = BTreeMap::from([
        (("61", "not_stated"), 35),
        (("69", "not_stated"), 1),
        (("69", "ongoing"), 26),
    ]);
    assert_eq!(kinds, expected);
    let wordings: BTreeMap<&str, usize> = tasks.iter().fold(BTreeMap::new(), |mut m, t| {
        *m.entry(t.deadline_text.as_str()).or_default() += 1;
        m
    });
    assert_eq!(wordings["持续推进"], 17);
    assert_eq!(wordings["持续进行"], 9);
}

#[test]
fn no_unit_is_empty_or_starts_with_a_separator() {
    let tasks = all_tasks();
    let mut distinct = std::collections::BTreeSet::new();
    let mut total = 0;
    for t in &tasks {
        let lists = [
            Some(&t.lead_units),
            Some(&t.cooperating_units),
            t.region_units.as_ref(),
        ];
        for list in lists.into_iter().flatten() {
            for u in &list.units {
                assert!(!u.trim().is_empty(), "{:?}: empty unit", t.external_id);
                assert!(
                    !u.starts_with(['、', '；', ';', '，', ',']) && !u.ends_with(['、', '；']),
                    "{:?}: unit {u}",
                    t.external_id
                );
                assert_eq!(u.trim(), u);
                total += 1;
                distinct.insert(u.clone());
            }
            let unique: std::collections::BTreeSet<_> = list.units.iter().collect();
            assert_eq!(unique.len(), list.units.len(), "no unit twice in one list");
        }
        assert!(
            !t.lead_units.units.is_empty(),
            "{:?} has a lead",
            t.external_id
        );
    }
    // Every 69号 unit is a city unit or a zone committee.
    for t in tasks.iter().filter(|t| t.document.number.contains("69号")) {
        for u in t.lead_units.units.iter().chain(&t.cooperating_units.units) {
            assert!(
                u.starts_with('市') || u.ends_with("管委会"),
                "69号 unit {u}"
            );
        }
    }
    println!("unit mentions: {total}, distinct units: {}", distinct.len());
    for doc in ["61号", "69号"] {
        let of_doc: Vec<_> = tasks
            .iter()
            .filter(|t| t.document.number.contains(doc))
            .collect();
        let count = |f: &dyn Fn(&DivisionTask) -> usize| of_doc.iter().map(|t| f(t)).sum::<usize>();
        let lead = count(&|t| t.lead_units.units.len());
        let coop = count(&|t| t.cooperating_units.units.len());
        let region = count(&|t| t.region_units.as_ref().map_or(0, |r| r.units.len()));
        let printed = count(&|t| {
            let cells = [Some(&t.lead_units.text), Some(&t.cooperating_units.text)];
            let region = t.region_units.as_ref().map(|r| &r.text);
            cells
                .into_iter()
                .chain([region])
                .flatten()
                .filter(|c| !c.is_empty())
                .map(|c| c.split(['、', '；']).count())
                .sum()
        });
        println!(
            "{doc}: lead {lead}, cooperating {coop}, region {region}, printed items {printed}"
        );
    }
    assert_eq!((total, distinct.len()), (268, 66));
    println!("{distinct:#?}");
}

#[test]
fn county_targets_split_units_and_figures() {
    let targets = county_targets().unwrap();
    let t1 = &targets[0];
    assert_eq!(
        (t1.category.as_str(), t1.seq, t1.indicator.as_str()),
        ("经济发展", 1, "地区生产总值增长(%)")
    );
    assert_eq!(
        (t1.name.as_str(), t1.unit.as_deref()),
        ("地区生产总值增长", Some("%"))
    );
    assert_eq!(t1.target_2025, TargetCell::Dash);
    assert!(matches!(
        t1.growth_or_cumulative,
        TargetCell::Figure {
            comparator: Some(Comparator::Ge),
            value: 8.0,
            cumulative: false,
            ..
        }
    ));
    assert_eq!(t1.attribute, TargetAttribute::Indicative);
    // 财政收入: 500 亿元, 5.5 growth without a comparator.
    assert!(matches!(
        targets[2].target_2025,
        TargetCell::Figure {
            comparator: None,
            value: 500.0,
            ..
        }
    ));
    assert_eq!(targets[2].unit.as_deref(), Some("亿元"));
    // 常住人口城镇化率: 72, cumulative [2.07].
    assert!(matches!(
        targets[5].growth_or_cumulative,
        TargetCell::Figure {
            comparator: None,
            value: 2.07,
            cumulative: true,
            ..
        }
    ));
    // 城镇调查失业率 <6.8; 每千人口执业(助理)医师数(人).
    assert!(matches!(
        targets[10].growth_or_cumulative,
        TargetCell::Figure {
            comparator: Some(Comparator::Lt),
            value: 6.8,
            ..
        }
    ));
    assert_eq!(targets[12].name, "每千人口执业(助理)医师数");
    assert_eq!(targets[12].unit.as_deref(), Some("人"));
    assert_eq!(targets[12].attribute, TargetAttribute::Indicative);
    assert_eq!(targets[11].attribute, TargetAttribute::Binding);
    // 17: 按自治区下达指标 with an empty growth cell; 18: nothing printed.
    assert_eq!(targets[16].target_2025, TargetCell::AssignedByRegion);
    assert_eq!(targets[16].growth_or_cumulative, TargetCell::Blank);
    assert_eq!(targets[17].target_2025, TargetCell::Blank);
    assert_eq!(targets[19].unit.as_deref(), Some("μg/m³"));
    assert!(matches!(
        targets[21].target_2025,
        TargetCell::Figure {
            comparator: Some(Comparator::Ge),
            value: 66.0,
            ..
        }
    ));
    assert!(targets
        .iter()
        .all(|t| t.unit.is_some() && !t.name.is_empty()));
    let binding = targets
        .iter()
        .filter(|t| t.attribute == TargetAttribute::Binding)
        .count();
    assert_eq!(binding, 8);
}

fn error_of<T: std::fmt::Debug>(r: Result<T, RowError>) -> RowError {
    r.expect_err("the corrupted row must be refused")
}

#[test]
fn corrupted_rows_name_file_line_and_field() {
    let header = "seq,task,lead_units,cooperating_units,deadline\r\n";
    // A bad seq on line 3.
    let text = format!(
        "{header}1,任务,市教育局,市财政局,持续推进\r\nx2,任务,市教育局,市财政局,持续推进\r\n"
    );
    let e = error_of(parse_industry_education_tasks(&text, "t.csv"));
    assert_eq!(
        (e.file.as_str(), e.line, e.field.as_str()),
        ("t.csv", 3, "seq")
    );
    assert_eq!(e.error, FieldError::BadSeq("x2".into()));
    assert_eq!(
        e.to_string(),
        "t.csv, line 3, field `seq`: 'x2' is not a positive whole number"
    );
    // seq 0 is refused too.
    let e = error_of(parse_industry_education_tasks(
        &format!("{header}0,任务,市教育局,,持续推进\r\n"),
        "t.csv",
    ));
    assert_eq!((e.line, e.field.as_str()), (2, "seq"));
    // A row missing its last fields.
    let e = error_of(parse_industry_education_tasks(
        &format!("{header}1,任务,市教育局\r\n"),
        "t.csv",
    ));
    assert_eq!(
        (e.line, e.field.as_str(), e.error),
        (2, "cooperating_units", FieldError::Missing)
    );
    // An empty lead list and a list with an empty item.
    let e = error_of(parse_industry_education_tasks(
        &format!("{header}1,任务,,市财政局,持续推进\r\n"),
        "t.csv",
    ));
    assert_eq!(
        (e.field.as_str(), e.error),
        ("lead_units", FieldError::Empty)
    );
    let e = error_of(parse_industry_education_tasks(
        &format!("{header}1,任务,市教育局、、财政局,市财政局,持续推进\r\n"),
        "t.csv",
    ));
    assert_eq!(e.field, "lead_units");
    assert!(matches!(e.error, FieldError::EmptyUnit(_)));

    // Corrupt a real row of the embedded extract: row 5's seq, on line 6.
    let corrupted = INDUSTRY_EDUCATION_TASKS_CSV.replacen("\n5,", "\nfive,", 1);
    let e = error_of(parse_industry_education_tasks(
        &corrupted,
        "industry_education_tasks.csv",
    ));
    assert_eq!((e.line, e.field.as_str()), (6, "seq"));
    assert!(e
        .to_string()
        .starts_with("industry_education_tasks.csv, line 6, field `seq`"));

    let e = error_of(parse_incentive_measures(
        "seq,measure_text,region_units,city_units,note\r\n1,措施,自治区科技厅,,\r\n",
        "m.csv",
    ));
    assert_eq!(
        (e.line, e.field.as_str(), e.error),
        (2, "city_units", FieldError::Empty)
    );

    let head = "category,seq,indicator,target_2025,growth_or_cumulative,attribute\r\n";
    let e = error_of(parse_county_targets(
        &format!("{head}经济发展,1,增长(%),约8,—,预期性\r\n"),
        "c.csv",
    ));
    assert_eq!((e.line, e.field.as_str()), (2, "target_2025"));
    assert_eq!(e.error, FieldError::BadFigure("约8".into()));
    let e = error_of(parse_county_targets(
        &format!("{head}经济发展,1,增长(%),8,—,指导性\r\n"),
        "c.csv",
    ));
    assert_eq!(
        (e.field.as_str(), e.error),
        ("attribute", FieldError::BadAttribute("指导性".into()))
    );
}

#[test]
fn tasks_serialise_and_read_back() {
    for t in all_tasks() {
        let json = serde_json::to_value(&t).unwrap();
        let back: DivisionTask = serde_json::from_value(json).unwrap();
        assert_eq!(back, t);
    }
    let t = &industry_education_tasks().unwrap()[0];
    assert_eq!(
        serde_json::to_value(&t.deadline).unwrap(),
        serde_json::json!({"kind": "ongoing"})
    );
}
