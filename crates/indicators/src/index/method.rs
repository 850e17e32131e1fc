//! The method texts shown on the console's method page (`/#/index/method`).

/// The method in Chinese, a few paragraphs of plain text separated by blank lines.
pub const METHOD_ZH: &str = "\
柳州物流业景气指数参照中国物流与采购联合会发布的中国物流业景气指数（LPI）采用扩散指数方法编制。\
每个分项指标以报告单位（如承运企业、仓储设施）为样本：将每个单位本月数值与上月数值比较，\
增幅超过 1%（相对上月）记为“上升”，降幅超过 1% 记为“下降”，其余记为“持平”。

分项指数 = 100 ×（上升单位数 + 0.5 × 持平单位数）÷ 参与比较的单位数。指数高于 50 表示该方面较上月扩张，\
低于 50 表示收缩，等于 50 表示持平。某分项本月没有可比较的单位时记为 50 并标注“无数据”。

数量类分项（业务总量、新订单、从业车辆、仓储吞吐）中，本月新出现的单位记为“上升”，本月消失的单位记为“下降”；\
比率类分项（车辆利用率、配送时间）中，只在一个月出现的单位无法比较，不计入。配送时间越短越好，\
因此其“上升”表示配送变快。

综合指数为各分项指数的加权平均，权重为：业务总量 0.25、新订单 0.20、从业车辆 0.15、车辆利用率 0.15、\
仓储吞吐 0.15、配送时间 0.10。无数据的分项不参与加权，其余分项权重按比例放大；全部无数据时综合指数记为 50。

数据来自本平台的运单、货源、车辆定位和仓储记录，覆盖在平台上开展业务的单位，并非全社会统计，\
宜用于观察趋势，不宜与官方统计数直接比较。";

/// The method in English, a few paragraphs of plain text separated by blank lines.
pub const METHOD_EN: &str = "\
The Liuzhou logistics prosperity index follows the diffusion-index method of China's Logistics \
Prosperity Index (LPI) published by the China Federation of Logistics and Purchasing. Each component \
is measured on reporting units such as carriers and storage facilities: each unit's value this month \
is compared with last month's; a rise of more than 1% (relative to last month) counts as up, a fall of \
more than 1% as down, anything else as unchanged.

Component value = 100 × (units up + 0.5 × units unchanged) ÷ units compared. Above 50 means that aspect \
expanded on the previous month, below 50 that it contracted, 50 that it held steady. A component with \
no comparable unit this month is shown as 50 and flagged as no data.

For quantity components (business volume, new orders, active vehicles, warehouse throughput) a unit \
that appears this month counts as up and one that disappears as down. For rate components (vehicle \
utilisation, delivery time) a unit seen in only one month cannot be compared and is left out. Shorter \
delivery times are better, so up in that component means deliveries got faster.

The composite is the weighted mean of the component values with weights business volume 0.25, new \
orders 0.20, active vehicles 0.15, vehicle utilisation 0.15, warehouse throughput 0.15 and delivery \
time 0.10. Components without data are left out and the other weights scaled up in proportion; with no \
data at all the composite is 50.

The data are the platform's own waybills, posted loads, vehicle positions and warehouse records: they \
cover the businesses that work through the platform, not the whole economy, and are meant for reading \
trends rather than for comparison with official statistics.";
