//! Form 1, 外资企业问题诉求收集表 (附件1): one form per enterprise appeal, with the intake channel
//! it came through.
//!
//! Every field of the printed form is here under the key the spec suggests. The form marks no
//! field as mandatory; the desk requires H1–H4 (the reporting unit's header) and F1 企业全称, F2
//! 行业领域, F7 企业联系方式 and F9 具体问题诉求 (the spec's suggestion): without them an appeal
//! can be neither verified with the enterprise nor routed. Long text is capped at
//! [`MAX_LONG_CHARS`]; longer material goes on attached pages (备注1 内容较多可另附页).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use wuliu_model::Violations;

/// The longest short field (names, contacts), in characters.
pub const MAX_SHORT_CHARS: usize = 200;

/// The longest long field (profile, issue, suggestions), in characters; more goes on attached
/// pages.
pub const MAX_LONG_CHARS: usize = 5000;

/// The industry examples printed in 备注3 (the list is open: "等"); `化工作能源` as printed is read
/// as 化工能源.
pub const INDUSTRIES: &[&str] = &[
    "化工能源",
    "电子信息",
    "机电装备",
    "汽车",
    "医疗健康",
    "纺织服装",
    "农业",
    "食品",
    "批发零售",
    "信息技术服务",
    "金融",
    "交通运输",
    "旅游住宿娱乐",
];

/// The channel an appeal came in through (二、工作任务（一）（二）), kept as its `source`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 市投促局网站 (the investment promotion bureau's website).
    Website,
    /// 投诉信箱 (the complaints letterbox at 市投资促进局).
    Mailbox,
    /// The complaints e-mail address.
    Email,
    /// 投诉热线 0772-2612156.
    Hotline,
    /// 走访座谈 (visits and round-table talks).
    Visit,
    /// 电话访问 (telephone interviews).
    PhoneInterview,
    /// 问卷调查 (questionnaires).
    Questionnaire,
    /// The city's 亲商安商 platforms (项目代办服务平台, 投诉举报平台, 政企沟通平台).
    Platform,
    /// A member unit's own report (Form 1 sent by 各成员单位).
    MemberUnit,
}

impl Channel {
    /// Every channel, in the document's order.
    pub const ALL: [Channel; 9] = [
        Channel::Website,
        Channel::Mailbox,
        Channel::Email,
        Channel::Hotline,
        Channel::Visit,
        Channel::PhoneInterview,
        Channel::Questionnaire,
        Channel::Platform,
        Channel::MemberUnit,
    ];

    /// The channel's name in the API.
    pub fn name(self) -> &'static str {
        match self {
            Channel::Website => "website",
            Channel::Mailbox => "mailbox",
            Channel::Email => "email",
            Channel::Hotline => "hotline",
            Channel::Visit => "visit",
            Channel::PhoneInterview => "phone_interview",
            Channel::Questionnaire => "questionnaire",
            Channel::Platform => "platform",
            Channel::MemberUnit => "member_unit",
        }
    }

    /// The channel as the document writes it.
    pub fn label_zh(self) -> &'static str {
        match self {
            Channel::Website => "市投促局网站",
            Channel::Mailbox => "投诉信箱",
            Channel::Email => "电子邮箱",
            Channel::Hotline => "投诉热线",
            Channel::Visit => "走访座谈",
            Channel::PhoneInterview => "电话访问",
            Channel::Questionnaire => "问卷调查",
            Channel::Platform => "亲商安商平台",
            Channel::MemberUnit => "成员单位报送",
        }
    }
}

/// Form 1 as filled in: the header about the reporting unit (H1–H4) and the body about the
/// enterprise (F1–F10), in printed order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CollectionForm {
    /// H1 报送单位 (required).
    pub reporting_unit: String,
    /// H2 报送日期 (required; not after today in Liuzhou).
    pub reporting_date: NaiveDate,
    /// H3 报送单位联系人 (required).
    pub reporting_contact_name: String,
    /// H4 报送单位联系方式: a phone number or an e-mail address (required).
    pub reporting_contact: String,
    /// F1 企业全称: the registered name on the business licence (备注2; required).
    pub enterprise_name: String,
    /// F2 行业领域: one of [`INDUSTRIES`] or another sector (the list is open; required).
    pub industry: String,
    /// F3 所在省区市.
    #[serde(default)]
    pub location_province: Option<String>,
    /// F4 母公司国别 (as written, e.g. 美国 or US).
    #[serde(default)]
    pub parent_country: Option<String>,
    /// F5 注册资本（万美元）: registered capital in 10,000 USD (≥ 0).
    #[serde(default)]
    pub registered_capital_10k_usd: Option<f64>,
    /// F6 企业联系人.
    #[serde(default)]
    pub enterprise_contact_name: Option<String>,
    /// F7 企业联系方式: phone or e-mail, so the information can be verified (备注4; required).
    pub enterprise_contact: String,
    /// F8 企业简介: parent company, entry into China, development in China, recent projects.
    #[serde(default)]
    pub enterprise_profile: Option<String>,
    /// F9 具体问题诉求: as specific, detailed and accurate as possible (required).
    pub issue: String,
    /// F10 相关建议.
    #[serde(default)]
    pub suggestions: Option<String>,
}

/// Whether `s` reads as a phone number (5 to 20 digits, with `+`, `-`, spaces or brackets) or an
/// e-mail address (`x@y.z`); contact fields may hold both, separated by a space, comma or `；`.
pub fn is_contact(s: &str) -> bool {
    let parts: Vec<&str> = s
        .split([' ', ',', '，', ';', '；', '/'])
        .filter(|p| !p.is_empty())
        .collect();
    let digits = s.chars().filter(char::is_ascii_digit).count();
    let email = parts.iter().any(|p| {
        let mut it = p.splitn(2, '@');
        matches!((it.next(), it.next()), (Some(a), Some(b)) if !a.is_empty() && b.contains('.') && !b.starts_with('.') && !b.ends_with('.'))
    });
    email || (5..=40).contains(&digits)
}

fn check_len(v: &mut Violations, field: &str, value: &str, max: usize) {
    let n = value.chars().count();
    if n > max {
        v.push(
            "too_long",
            field,
            format!("{field}: at most {max} characters (got {n}); put longer material on attached pages"),
        );
    }
}

impl CollectionForm {
    /// Every problem of the form, by field (`today` is the day in Liuzhou).
    pub fn validate(&self, today: NaiveDate) -> Violations {
        let mut v = Violations::default();
        for (field, value) in [
            ("reporting_unit", &self.reporting_unit),
            ("reporting_contact_name", &self.reporting_contact_name),
            ("reporting_contact", &self.reporting_contact),
            ("enterprise_name", &self.enterprise_name),
            ("industry", &self.industry),
            ("enterprise_contact", &self.enterprise_contact),
            ("issue", &self.issue),
        ] {
            v.require_text(field, value);
        }
        if self.reporting_date > today {
            v.push(
                "out_of_range",
                "reporting_date",
                format!(
                    "reporting_date: {} is after today ({today})",
                    self.reporting_date
                ),
            );
        }
        for (field, value) in [
            ("reporting_contact", &self.reporting_contact),
            ("enterprise_contact", &self.enterprise_contact),
        ] {
            if !value.trim().is_empty() && !is_contact(value) {
                v.push(
                    "invalid",
                    field,
                    format!("{field}: a phone number (5 to 40 digits) or an e-mail address"),
                );
            }
        }
        if let Some(c) = self.registered_capital_10k_usd {
            v.require_positive("registered_capital_10k_usd", c, true);
            if c > 1e9 {
                v.push(
                    "out_of_range",
                    "registered_capital_10k_usd",
                    "registered_capital_10k_usd: at most 1,000,000,000 (万美元)",
                );
            }
        }
        self.check_lengths(&mut v);
        v
    }

    fn check_lengths(&self, v: &mut Violations) {
        let short = [
            ("reporting_unit", Some(&self.reporting_unit)),
            ("reporting_contact_name", Some(&self.reporting_contact_name)),
            ("reporting_contact", Some(&self.reporting_contact)),
            ("enterprise_name", Some(&self.enterprise_name)),
            ("industry", Some(&self.industry)),
            ("location_province", self.location_province.as_ref()),
            ("parent_country", self.parent_country.as_ref()),
            (
                "enterprise_contact_name",
                self.enterprise_contact_name.as_ref(),
            ),
            ("enterprise_contact", Some(&self.enterprise_contact)),
        ];
        for (field, value) in short {
            if let Some(s) = value {
                check_len(v, field, s, MAX_SHORT_CHARS);
            }
        }
        let long = [
            ("enterprise_profile", self.enterprise_profile.as_ref()),
            ("issue", Some(&self.issue)),
            ("suggestions", self.suggestions.as_ref()),
        ];
        for (field, value) in long {
            if let Some(s) = value {
                check_len(v, field, s, MAX_LONG_CHARS);
            }
        }
    }

    /// Whether the industry is one of the printed examples.
    pub fn industry_is_listed(&self) -> bool {
        INDUSTRIES.contains(&self.industry.trim())
    }
}
