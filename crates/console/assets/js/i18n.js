// Chinese by default, English switchable. Every label, unit, number and date format and error
// title of the console is in DICT (between the DICT markers: strict JSON, so the crate's tests
// check that both languages have the same keys and that every key the pages use exists).

const LANG_KEY = 'wuliu.lang';
const LOCALES = { zh: 'zh-CN', en: 'en-GB' };

export const DICT = /*DICT-BEGIN*/{
  "zh": {
    "app.title": "柳州物流公共信息平台",
    "app.subtitle": "监管控制台",
    "lang.toggle_title": "切换语言 / Switch language",
    "auth.logout": "退出",
    "auth.login": "登录",
    "auth.title": "登录监管控制台",
    "auth.hint": "使用平台账号登录（演示账号见 serve --demo 的输出）。",
    "auth.username": "用户名",
    "auth.password": "密码",
    "auth.missing": "请输入用户名和密码。",
    "auth.failed": "登录失败",
    "auth.expired": "登录已过期，请重新登录。",
    "role.admin": "管理员",
    "role.regulator": "监管部门",
    "role.shipper": "托运人",
    "role.carrier": "承运人",
    "role.official": "政府部门",
    "role.enterprise": "企业",
    "role.college": "院校",
    "common.actions": "操作",
    "common.cancel": "取消",
    "common.save": "保存",
    "common.saved": "已保存",
    "common.charts_unavailable": "图表库未能加载",
    "common.colon": "：",
    "common.dash": "—",
    "common.no_data": "暂无数据",
    "common.endpoint_missing": "该数据接口尚未提供",
    "common.fill_required": "请填写必填项。",
    "error.generic": "出错了",
    "error.page_forbidden": "您的角色无权查看此页面",
    "error.page_not_found": "页面不存在",
    "error.http_0": "无法连接服务器",
    "error.http_400": "请求有误",
    "error.http_401": "未登录或登录已过期",
    "error.http_403": "无权限",
    "error.http_404": "未找到",
    "error.http_409": "数据冲突",
    "error.http_413": "请求过大",
    "error.http_422": "数据校验未通过",
    "error.http_429": "请求过于频繁",
    "error.http_500": "服务器内部错误",
    "error.http_503": "服务暂不可用",
    "nav.overview": "指挥舱",
    "nav.plan": "规划监测",
    "nav.trends": "趋势预测",
    "nav.warnings": "风险预警",
    "nav.index": "景气指数",
    "nav.map": "地图",
    "nav.shipper": "托运工作台",
    "nav.carrier": "承运工作台",
    "nav.dispatch": "配送调度",
    "nav.loading": "装载方案",
    "nav.monitoring": "货运监测",
    "nav.data": "数据管理",
    "nav.lot": "冷链追溯",
    "nav.emergency": "应急物流",
    "nav.todo": "我的待办",
    "nav.tasks": "任务督办",
    "nav.appeals": "外企诉求",
    "nav.talent": "产教对接",
    "metric.waybills": "运单数",
    "unit.waybills": "单",
    "metric.tonnes": "货运量",
    "unit.tonnes": "吨",
    "metric.tonne_km": "货物周转量",
    "unit.tonne_km": "吨公里",
    "metric.amount_yuan": "运费金额",
    "unit.amount_yuan": "元",
    "metric.active_vehicles": "活跃车辆",
    "unit.active_vehicles": "辆",
    "metric.online_vehicles": "在线车辆",
    "unit.online_vehicles": "辆",
    "metric.empty_running_rate": "空驶率",
    "unit.empty_running_rate": "",
    "metric.cold_chain_share": "冷链占比",
    "unit.cold_chain_share": "",
    "metric.on_time_rate": "准时率",
    "unit.on_time_rate": "",
    "metric.open_alerts": "未处理预警",
    "unit.open_alerts": "条",
    "overview.today": "今日",
    "overview.month_to_date": "本月累计",
    "overview.vs_yesterday": "较昨日",
    "overview.vs_previous_month": "较上月",
    "overview.pp": "{n} 个百分点",
    "overview.no_trend": "近 30 天暂无数据",
    "overview.date": "数据日期",
    "overview.as_of": "数据日期 {date}（{month}）",
    "overview.generated": "更新于 {at}",
    "overview.scope_city": "全市",
    "overview.scope_party": "本企业",
    "overview.breakdowns": "分布",
    "overview.breakdown_metric": "指标",
    "overview.breakdown_period": "时段",
    "overview.by_county": "按县区（装货地）",
    "overview.by_industry": "按行业（货物类型）",
    "plan.status.on_track": "正常",
    "plan.status.at_risk": "预警",
    "plan.status.off_track": "滞后",
    "plan.status.no_data": "无数据",
    "plan.build.planned": "计划",
    "plan.build.preparing": "前期",
    "plan.build.under_construction": "在建",
    "plan.build.completed": "建成",
    "plan.build.suspended": "暂停",
    "plan.build.new": "新建",
    "plan.build.continued": "续建",
    "plan.targets": "“十四五”规划目标（2025年）",
    "plan.projects": "重点物流项目",
    "plan.counties": "县域经济发展目标（63号文）",
    "plan.as_of_date": "截至 {date}",
    "plan.export_csv": "导出 CSV",
    "plan.printable": "打印报告",
    "plan.print": "打印",
    "plan.back": "返回规划监测",
    "plan.report_title": "柳州市现代物流业发展规划实施监测报告",
    "plan.report_subtitle": "数据截至 {date} · 柳州物流公共信息平台",
    "plan.col.id": "编号",
    "plan.col.indicator": "指标",
    "plan.col.unit": "单位",
    "plan.col.baseline": "基期值",
    "plan.col.target": "目标值",
    "plan.col.current": "当前值",
    "plan.col.expected": "当前应达",
    "plan.col.progress": "进度",
    "plan.col.status": "状态",
    "plan.history": "历史",
    "plan.history_of": "{id} 历史数值",
    "plan.enter_value": "录入",
    "plan.enter_value_for": "录入数值：{id} {name}",
    "plan.value": "数值",
    "plan.as_of": "数据日期",
    "plan.source": "来源",
    "plan.note": "备注",
    "plan.source_placeholder": "如：市统计局 2025年6月快报",
    "plan.source_platform": "平台计算",
    "plan.source_manual": "人工录入",
    "plan.district": "县区",
    "plan.project": "项目名称",
    "plan.type": "类型",
    "plan.build_status": "建设状态",
    "plan.investment": "总投资",
    "plan.invested_yuan": "已完成投资（元）",
    "plan.last_report": "最近填报",
    "plan.reports": "填报次数",
    "plan.add_report": "填报进展",
    "plan.report_for": "填报进展：{name}",
    "plan.reports_of": "{name} 进展记录",
    "plan.reported_on": "填报日期",
    "plan.progress_pct": "形象进度（%）",
    "plan.projects_summary": "共 {n} 个项目，总投资 {total}，已完成投资 {done}（{pct}）。",
    "plan.county.category": "类别",
    "plan.county.seq": "序号",
    "plan.county.indicator": "指标",
    "plan.county.target_2025": "2025年目标",
    "plan.county.growth": "年均增长/累计",
    "plan.county.attribute": "属性",
    "trends.platform": "平台指标",
    "trends.public": "公开数据",
    "trends.source": "数据来源",
    "trends.metric": "指标",
    "trends.interval": "周期",
    "trends.series": "公开数据序列",
    "trends.monthly": "按月",
    "trends.daily": "按日",
    "trends.horizon": "预测期数",
    "trends.horizon_n": "{n} 期",
    "trends.chart_title": "历史与预测",
    "trends.history": "历史值",
    "trends.mean": "预测均值",
    "trends.band80": "80% 区间",
    "trends.band95": "95% 区间",
    "trends.backtest": "回测误差（滚动起点）",
    "trends.model": "模型",
    "trends.folds": "折数",
    "trends.chosen": "已选用",
    "trends.backtest_note": "MASE < 1 表示优于季节性朴素预测；按 MASE 最小选用模型。",
    "trends.model_used": "选用模型：{model}",
    "trends.source_of": "来源：{source}",
    "trends.source_link": "原始数据",
    "trends.no_public": "暂无可用的公开数据序列",
    "model.seasonal_naive": "季节性朴素",
    "model.naive": "朴素",
    "model.ets": "指数平滑（ETS）",
    "model.mstl": "季节趋势分解（MSTL）",
    "model.stl": "季节趋势分解（STL）",
    "model.arima": "ARIMA",
    "model.drift": "漂移",
    "model.mean": "均值",
    "warnings.filter": "状态筛选",
    "warnings.run": "立即评估",
    "warnings.run_done": "已重新评估预警规则",
    "warnings.status.open": "待处理",
    "warnings.status.acknowledged": "已确认",
    "warnings.status.resolved": "已解除",
    "warnings.status.all": "全部",
    "warnings.severity.critical": "严重",
    "warnings.severity.warning": "警告",
    "warnings.severity.info": "提示",
    "warnings.severity": "级别",
    "warnings.rule": "规则",
    "warnings.message": "内容",
    "warnings.detected": "发现时间",
    "warnings.evidence": "证据",
    "warnings.status": "状态",
    "warnings.note": "处理意见",
    "warnings.note_placeholder": "填写处理意见",
    "warnings.note_required": "解除预警需填写处理意见。",
    "warnings.acknowledge": "确认",
    "warnings.resolve": "解除",
    "warnings.acknowledge_done": "预警已确认",
    "warnings.resolve_done": "预警已解除",
    "warnings.count": "预警列表（{n} 条）",
    "warnings.none": "当前筛选条件下没有预警",
    "rule.indicator.outside_forecast": "指标超出预测区间",
    "rule.indicator.threshold": "指标越过阈值",
    "rule.plan.off_track": "规划目标滞后",
    "rule.plan.at_risk": "规划目标预警",
    "rule.county.volume_collapse": "县区货运量骤降",
    "index.month": "月份",
    "index.method_link": "编制方法",
    "index.method_title": "柳州物流景气指数编制方法",
    "index.back": "返回景气指数",
    "index.composite": "综合指数",
    "index.composite_of": "{month} 综合指数",
    "index.neutral_note": "50 为荣枯线：高于 50 表示扩张，低于 50 表示收缩。",
    "index.expanding": "扩张",
    "index.contracting": "收缩",
    "index.components": "分项指数",
    "index.component": "分项",
    "index.value": "指数",
    "index.weight": "权重",
    "index.up": "上升",
    "index.same": "持平",
    "index.down": "下降",
    "index.spread": "上升/持平/下降",
    "index.history": "指数走势",
    "index.what": "含义与口径",
    "index.comp.business_volume": "业务总量",
    "index.comp_desc.business_volume": "各单位当月运单货运量与上月相比的变化。",
    "index.comp.new_loads": "新增货源",
    "index.comp_desc.new_loads": "各单位当月在平台发布的货源数量的变化。",
    "index.comp.active_carriers": "活跃承运人",
    "index.comp_desc.active_carriers": "当月有运单的承运人数量的变化。",
    "index.comp.vehicle_utilisation": "车辆利用率",
    "index.comp_desc.vehicle_utilisation": "载货里程占总里程比例（1 − 空驶率）的变化。",
    "index.comp.warehouse_throughput": "仓储吞吐",
    "index.comp_desc.warehouse_throughput": "仓储设施出入库量的变化。",
    "index.comp.delivery_time": "配送时效",
    "index.comp_desc.delivery_time": "准时交付比例的变化（时效改善计为上升）。",
    "index.method.p1": "## 指数形式",
    "index.method.p2": "柳州物流景气指数参照中国物流业景气指数（LPI）采用扩散指数形式：对每个分项，统计本月相比上月“上升”“持平”“下降”的单位（企业、县区）数量。",
    "index.method.p3": "分项指数 = 100 ×（上升单位占比 + 1/2 × 持平单位占比）。50 为荣枯线：高于 50 表示多数单位在扩张，低于 50 表示多数在收缩。",
    "index.method.p4": "综合指数为各分项指数的加权平均，权重见分项表。",
    "index.method.p5": "## 数据来源",
    "index.method.p6": "全部分项由平台数据计算：电子运单、货源发布、车辆定位与仓储出入库记录，不依赖问卷调查。变化幅度小于 ±1% 视为持平。",
    "index.method.p7": "## 分项",
    "map.legend": "图例",
    "map.approximate": "位置为县区中心（近似）",
    "map.position": "位置",
    "map.at": "定位时间",
    "map.speed": "速度",
    "map.loads": "发布货源",
    "map.offline_note": "离线底图：县区、项目、设施、车辆与货源均来自平台数据；车辆每 15 秒刷新。",
    "map.refreshed": "车辆位置已刷新：{at}",
    "map.layer.counties": "县区",
    "map.layer.projects": "重点项目",
    "map.layer.facilities": "物流设施",
    "map.layer.vehicles": "在线车辆",
    "map.layer.load_heat": "货源热度",
    "unit.yuan_big": "{n} 亿元",
    "unit.yuan_big_div": "1e8",
    "unit.yuan_small": "{n} 万元",
    "unit.yuan_small_div": "1e4",
    "unit.yuan_small_digits": "0",
    "unit.yuan_small_unit": "万元",
    "app.brand": "柳州物流公共信息平台",
    "unitzh.万吨": "万吨",
    "unitzh.吨": "吨",
    "unitzh.家": "家",
    "unitzh.个": "个",
    "unitzh.万个TEU": "万个TEU",
    "unitzh.万个 TEU": "万个 TEU",
    "unitzh.万标箱": "万标箱",
    "unitzh.亿元": "亿元",
    "unitzh.万元": "万元",
    "unitzh.元": "元",
    "unitzh.%": "%",
    "unitzh.亿吨公里": "亿吨公里",
    "unitzh.万吨公里": "万吨公里",
    "unitzh.辆": "辆",
    "unitzh.万辆": "万辆",
    "unitzh.条": "条",
    "unitzh.座": "座",
    "unitzh.平方米": "平方米",
    "unitzh.万平方米": "万平方米",
    "unitzh.公里": "公里",
    "unitzh.小时": "小时",
    "unitzh.天": "天",
    "unitzh.万人次": "万人次",
    "unitzh.亿件": "亿件",
    "unitzh.万件": "万件",
    "unitzh.个百分点": "个百分点"
  },
  "en": {
    "app.title": "Liuzhou Logistics Public Information Platform",
    "app.subtitle": "Regulator console",
    "lang.toggle_title": "Switch language / 切换语言",
    "auth.logout": "Log out",
    "auth.login": "Log in",
    "auth.title": "Log in to the console",
    "auth.hint": "Log in with a platform account (the demo accounts are printed by serve --demo).",
    "auth.username": "Username",
    "auth.password": "Password",
    "auth.missing": "Enter a username and a password.",
    "auth.failed": "Login failed",
    "auth.expired": "Your session has ended; please log in again.",
    "role.admin": "Administrator",
    "role.regulator": "Regulator",
    "role.shipper": "Shipper",
    "role.carrier": "Carrier",
    "role.official": "Government unit",
    "role.enterprise": "Enterprise",
    "role.college": "College",
    "common.actions": "Actions",
    "common.cancel": "Cancel",
    "common.save": "Save",
    "common.saved": "Saved",
    "common.charts_unavailable": "The chart library did not load",
    "common.colon": ": ",
    "common.dash": "—",
    "common.no_data": "No data",
    "common.endpoint_missing": "This data endpoint is not available yet",
    "common.fill_required": "Fill in the required fields.",
    "error.generic": "Something went wrong",
    "error.page_forbidden": "Your role may not open this page",
    "error.page_not_found": "No such page",
    "error.http_0": "Cannot reach the server",
    "error.http_400": "Bad request",
    "error.http_401": "Not logged in",
    "error.http_403": "Not allowed",
    "error.http_404": "Not found",
    "error.http_409": "Conflict",
    "error.http_413": "Request too large",
    "error.http_422": "Validation failed",
    "error.http_429": "Too many requests",
    "error.http_500": "Server error",
    "error.http_503": "Service unavailable",
    "nav.overview": "Overview",
    "nav.plan": "Plan supervision",
    "nav.trends": "Trends & forecasts",
    "nav.warnings": "Risk warnings",
    "nav.index": "Logistics index",
    "nav.map": "Map",
    "nav.shipper": "Shipper desk",
    "nav.carrier": "Carrier desk",
    "nav.dispatch": "Dispatch",
    "nav.loading": "Loading",
    "nav.monitoring": "Monitoring",
    "nav.data": "Data",
    "nav.lot": "Cold-chain lots",
    "nav.emergency": "Emergency",
    "nav.todo": "To-do",
    "nav.tasks": "Tasks",
    "nav.appeals": "Appeals",
    "nav.talent": "Talent",
    "metric.waybills": "Waybills",
    "unit.waybills": "waybills",
    "metric.tonnes": "Tonnage",
    "unit.tonnes": "t",
    "metric.tonne_km": "Tonne-km",
    "unit.tonne_km": "t·km",
    "metric.amount_yuan": "Freight amount",
    "unit.amount_yuan": "yuan",
    "metric.active_vehicles": "Active vehicles",
    "unit.active_vehicles": "vehicles",
    "metric.online_vehicles": "Online vehicles",
    "unit.online_vehicles": "vehicles",
    "metric.empty_running_rate": "Empty-running rate",
    "unit.empty_running_rate": "",
    "metric.cold_chain_share": "Cold-chain share",
    "unit.cold_chain_share": "",
    "metric.on_time_rate": "On-time rate",
    "unit.on_time_rate": "",
    "metric.open_alerts": "Open alerts",
    "unit.open_alerts": "alerts",
    "overview.today": "Today",
    "overview.month_to_date": "Month to date",
    "overview.vs_yesterday": "vs yesterday",
    "overview.vs_previous_month": "vs last month",
    "overview.pp": "{n} pp",
    "overview.no_trend": "No data in the last 30 days",
    "overview.date": "Date",
    "overview.as_of": "Data for {date} ({month})",
    "overview.generated": "Updated {at}",
    "overview.scope_city": "Whole city",
    "overview.scope_party": "My company only",
    "overview.breakdowns": "Breakdowns",
    "overview.breakdown_metric": "Metric",
    "overview.breakdown_period": "Period",
    "overview.by_county": "By county (place of loading)",
    "overview.by_industry": "By industry (cargo type)",
    "plan.status.on_track": "On track",
    "plan.status.at_risk": "At risk",
    "plan.status.off_track": "Off track",
    "plan.status.no_data": "No data",
    "plan.build.planned": "Planned",
    "plan.build.preparing": "Preparing",
    "plan.build.under_construction": "Under construction",
    "plan.build.completed": "Completed",
    "plan.build.suspended": "Suspended",
    "plan.build.new": "New",
    "plan.build.continued": "Continued",
    "plan.targets": "Plan targets (2025)",
    "plan.projects": "Key logistics projects",
    "plan.counties": "County economy targets (No. 63)",
    "plan.as_of_date": "As of {date}",
    "plan.export_csv": "Export CSV",
    "plan.printable": "Printable report",
    "plan.print": "Print",
    "plan.back": "Back to plan supervision",
    "plan.report_title": "Liuzhou logistics plan: implementation monitoring report",
    "plan.report_subtitle": "Data as of {date} · Liuzhou Logistics Public Information Platform",
    "plan.col.id": "ID",
    "plan.col.indicator": "Indicator",
    "plan.col.unit": "Unit",
    "plan.col.baseline": "Baseline",
    "plan.col.target": "Target",
    "plan.col.current": "Current value",
    "plan.col.expected": "Expected now",
    "plan.col.progress": "Progress",
    "plan.col.status": "Status",
    "plan.history": "History",
    "plan.history_of": "History of {id}",
    "plan.enter_value": "Enter value",
    "plan.enter_value_for": "Enter a value: {id} {name}",
    "plan.value": "Value",
    "plan.as_of": "As of",
    "plan.source": "Source",
    "plan.note": "Note",
    "plan.source_placeholder": "e.g. city statistics bureau, June 2025 bulletin",
    "plan.source_platform": "Platform",
    "plan.source_manual": "Entered",
    "plan.district": "District",
    "plan.project": "Project",
    "plan.type": "Type",
    "plan.build_status": "Build status",
    "plan.investment": "Investment",
    "plan.invested_yuan": "Invested (yuan)",
    "plan.last_report": "Last report",
    "plan.reports": "Reports",
    "plan.add_report": "Add report",
    "plan.report_for": "Progress report: {name}",
    "plan.reports_of": "Reports of {name}",
    "plan.reported_on": "Reported on",
    "plan.progress_pct": "Progress (%)",
    "plan.projects_summary": "{n} projects, investment {total}, invested {done} ({pct}).",
    "plan.county.category": "Category",
    "plan.county.seq": "No.",
    "plan.county.indicator": "Indicator",
    "plan.county.target_2025": "2025 target",
    "plan.county.growth": "Annual growth / cumulative",
    "plan.county.attribute": "Attribute",
    "trends.platform": "Platform metric",
    "trends.public": "Public series",
    "trends.source": "Source",
    "trends.metric": "Metric",
    "trends.interval": "Interval",
    "trends.series": "Public series",
    "trends.monthly": "Monthly",
    "trends.daily": "Daily",
    "trends.horizon": "Horizon",
    "trends.horizon_n": "{n} periods",
    "trends.chart_title": "History and forecast",
    "trends.history": "History",
    "trends.mean": "Forecast mean",
    "trends.band80": "80% interval",
    "trends.band95": "95% interval",
    "trends.backtest": "Backtest (rolling origin)",
    "trends.model": "Model",
    "trends.folds": "Folds",
    "trends.chosen": "Chosen",
    "trends.backtest_note": "MASE < 1 beats the seasonal naive forecast; the model with the lowest MASE is chosen.",
    "trends.model_used": "Model used: {model}",
    "trends.source_of": "Source: {source}",
    "trends.source_link": "Original data",
    "trends.no_public": "No public series available",
    "model.seasonal_naive": "Seasonal naive",
    "model.naive": "Naive",
    "model.ets": "Exponential smoothing (ETS)",
    "model.mstl": "Seasonal-trend decomposition (MSTL)",
    "model.stl": "Seasonal-trend decomposition (STL)",
    "model.arima": "ARIMA",
    "model.drift": "Drift",
    "model.mean": "Mean",
    "warnings.filter": "Status",
    "warnings.run": "Evaluate now",
    "warnings.run_done": "Warning rules re-evaluated",
    "warnings.status.open": "Open",
    "warnings.status.acknowledged": "Acknowledged",
    "warnings.status.resolved": "Resolved",
    "warnings.status.all": "All",
    "warnings.severity.critical": "Critical",
    "warnings.severity.warning": "Warning",
    "warnings.severity.info": "Info",
    "warnings.severity": "Severity",
    "warnings.rule": "Rule",
    "warnings.message": "Message",
    "warnings.detected": "Detected",
    "warnings.evidence": "Evidence",
    "warnings.status": "Status",
    "warnings.note": "Note",
    "warnings.note_placeholder": "What was done",
    "warnings.note_required": "Resolving needs a note.",
    "warnings.acknowledge": "Acknowledge",
    "warnings.resolve": "Resolve",
    "warnings.acknowledge_done": "Warning acknowledged",
    "warnings.resolve_done": "Warning resolved",
    "warnings.count": "Warnings ({n})",
    "warnings.none": "No warnings with this status",
    "rule.indicator.outside_forecast": "Indicator outside its forecast interval",
    "rule.indicator.threshold": "Indicator past its threshold",
    "rule.plan.off_track": "Plan target off track",
    "rule.plan.at_risk": "Plan target at risk",
    "rule.county.volume_collapse": "County volume collapse",
    "index.month": "Month",
    "index.method_link": "Method",
    "index.method_title": "Liuzhou logistics prosperity index: method",
    "index.back": "Back to the index",
    "index.composite": "Composite index",
    "index.composite_of": "Composite index, {month}",
    "index.neutral_note": "50 is neutral: above 50 means expansion, below 50 contraction.",
    "index.expanding": "Expanding",
    "index.contracting": "Contracting",
    "index.components": "Components",
    "index.component": "Component",
    "index.value": "Value",
    "index.weight": "Weight",
    "index.up": "Up",
    "index.same": "Same",
    "index.down": "Down",
    "index.spread": "Up / same / down",
    "index.history": "History",
    "index.what": "What it measures",
    "index.comp.business_volume": "Business volume",
    "index.comp_desc.business_volume": "Each unit's tonnage on waybills this month against last month.",
    "index.comp.new_loads": "New loads posted",
    "index.comp_desc.new_loads": "Loads each unit posted on the platform this month against last month.",
    "index.comp.active_carriers": "Active carriers",
    "index.comp_desc.active_carriers": "Carriers with waybills this month against last month.",
    "index.comp.vehicle_utilisation": "Vehicle utilisation",
    "index.comp_desc.vehicle_utilisation": "Loaded share of kilometres (1 − empty-running rate) against last month.",
    "index.comp.warehouse_throughput": "Warehouse throughput",
    "index.comp_desc.warehouse_throughput": "Goods in and out of warehouses against last month.",
    "index.comp.delivery_time": "Delivery time",
    "index.comp_desc.delivery_time": "Share delivered on time against last month (faster counts as up).",
    "index.method.p1": "## Form",
    "index.method.p2": "The Liuzhou logistics prosperity index follows the diffusion form of China's Logistics Prosperity Index (LPI): for each component, the units (companies, counties) that went up, stayed the same or went down this month against last month are counted.",
    "index.method.p3": "Component = 100 × (share of units up + 1/2 × share unchanged). 50 is neutral: above 50 most units are expanding, below 50 most are contracting.",
    "index.method.p4": "The composite index is the weighted mean of the components, with the weights shown in the components table.",
    "index.method.p5": "## Data",
    "index.method.p6": "Every component is computed from platform data — electronic waybills, posted loads, vehicle positions and warehouse movements — not from a survey. A change within ±1 % counts as unchanged.",
    "index.method.p7": "## Components",
    "map.legend": "Legend",
    "map.approximate": "Placed at its district centre (approximate)",
    "map.position": "Position",
    "map.at": "Position at",
    "map.speed": "Speed",
    "map.loads": "Loads posted",
    "map.offline_note": "Offline map: counties, projects, facilities, vehicles and loads all come from the platform; vehicles refresh every 15 s.",
    "map.refreshed": "Vehicle positions refreshed {at}",
    "map.layer.counties": "Counties",
    "map.layer.projects": "Key projects",
    "map.layer.facilities": "Facilities",
    "map.layer.vehicles": "Live vehicles",
    "map.layer.load_heat": "Load origins",
    "unit.yuan_big": "¥{n} bn",
    "unit.yuan_big_div": "1e9",
    "unit.yuan_small": "¥{n} m",
    "unit.yuan_small_div": "1e6",
    "unit.yuan_small_digits": "2",
    "unit.yuan_small_unit": "million yuan",
    "app.brand": "Liuzhou Logistics Platform",
    "unitzh.万吨": "10k t",
    "unitzh.吨": "t",
    "unitzh.家": "companies",
    "unitzh.个": "个",
    "unitzh.万个TEU": "10k TEU",
    "unitzh.万个 TEU": "10k TEU",
    "unitzh.万标箱": "10k TEU",
    "unitzh.亿元": "100m yuan",
    "unitzh.万元": "10k yuan",
    "unitzh.元": "yuan",
    "unitzh.%": "%",
    "unitzh.亿吨公里": "100m t·km",
    "unitzh.万吨公里": "10k t·km",
    "unitzh.辆": "vehicles",
    "unitzh.万辆": "10k vehicles",
    "unitzh.条": "lines",
    "unitzh.座": "sites",
    "unitzh.平方米": "m²",
    "unitzh.万平方米": "10k m²",
    "unitzh.公里": "km",
    "unitzh.小时": "h",
    "unitzh.天": "days",
    "unitzh.万人次": "10k trips",
    "unitzh.亿件": "100m parcels",
    "unitzh.万件": "10k parcels",
    "unitzh.个百分点": "pp"
  }
}/*DICT-END*/;

let current = (() => {
  try {
    const saved = localStorage.getItem(LANG_KEY);
    return saved === 'en' || saved === 'zh' ? saved : 'zh';
  } catch {
    return 'zh';
  }
})();

/**
 * Adds a page's own dictionary (`{zh: {...}, en: {...}}`, between its own DICT markers so the
 * crate's tests check it like this one). A key defined twice is a mistake and is refused.
 */
export function addStrings(more) {
  for (const l of ['zh', 'en']) {
    for (const [k, v] of Object.entries(more[l] || {})) {
      if (Object.prototype.hasOwnProperty.call(DICT[l], k) && DICT[l][k] !== v) {
        throw new Error(`i18n key defined twice: ${k}`);
      }
      DICT[l][k] = v;
    }
  }
}

/** The current language, 'zh' or 'en'. */
export function lang() {
  return current;
}

/** Switches the language and remembers it. */
export function setLang(l) {
  current = l === 'en' ? 'en' : 'zh';
  try {
    localStorage.setItem(LANG_KEY, current);
  } catch {
    /* private mode: not remembered */
  }
  document.documentElement.lang = LOCALES[current];
}

/**
 * The text of `key` in the current language, with `{name}` placeholders filled from `params`.
 * A missing key shows itself (and the crate's tests make sure none is missing).
 */
export function t(key, params) {
  const dict = DICT[current];
  let s = Object.prototype.hasOwnProperty.call(dict, key) ? dict[key] : key;
  if (params) s = s.replace(/\{(\w+)\}/g, (m, k) => (params[k] === undefined ? m : String(params[k])));
  return s;
}
t.has = (key) => Object.prototype.hasOwnProperty.call(DICT[current], key);

/** A unit the API gives in Chinese (万吨, 家 …), in the current language when the dictionary knows it. */
export function unit(u) {
  if (!u) return '';
  const key = `unitzh.${String(u).replace(/\s+/g, ' ')}`;
  return t.has(key) ? t(key) : u;
}

/** Picks `name_zh` or `name_en` (or any `<field>_zh`/`_en`) of an API object. */
export function pick(obj, field = 'name') {
  if (!obj) return '';
  const v = obj[`${field}_${current}`];
  return v === undefined || v === null || v === '' ? (obj[`${field}_zh`] || obj[field] || '') : v;
}

/** Fills the static page's `data-i18n` (text) and `data-i18n-title` (title) elements. */
export function applyStatic(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
  document.title = `${t('app.brand')} · ${t('app.subtitle')}`;
}

function nf(digits, extra) {
  return new Intl.NumberFormat(LOCALES[current], Object.assign({
    minimumFractionDigits: digits, maximumFractionDigits: digits,
  }, extra || {}));
}

/** A number with `digits` decimals in the current locale; null/undefined → "—". */
export function fmtNum(v, digits = 0) {
  if (v === null || v === undefined || Number.isNaN(v)) return t('common.dash');
  return nf(digits).format(v);
}

/** A fraction as a percentage ("52.3%"); null → "—". */
export function fmtPct(v, digits = 1) {
  if (v === null || v === undefined || Number.isNaN(v)) return t('common.dash');
  return `${nf(digits).format(v * 100)}%`;
}

/** A money amount in yuan, shown in 万元 / 亿元 (zh) or million / billion yuan (en). */
export function fmtYuan(v) {
  if (v === null || v === undefined) return t('common.dash');
  const big = Number(t('unit.yuan_big_div'));
  if (Math.abs(v) >= big) return t('unit.yuan_big', { n: nf(2).format(v / big) });
  const small = Number(t('unit.yuan_small_div'));
  return t('unit.yuan_small', { n: nf(Number(t('unit.yuan_small_digits'))).format(v / small) });
}

function parseDay(s) {
  // YYYY-MM-DD or YYYY-MM: a calendar day/month, formatted in UTC so no time zone shifts it.
  const [y, m, d] = s.split('-').map(Number);
  return new Date(Date.UTC(y, (m || 1) - 1, d || 1));
}

/** A calendar day `YYYY-MM-DD` as 2026年12月3日 / 3 Dec 2026. */
export function fmtDate(s) {
  if (!s) return t('common.dash');
  return new Intl.DateTimeFormat(LOCALES[current], {
    year: 'numeric', month: current === 'zh' ? 'long' : 'short', day: 'numeric', timeZone: 'UTC',
  }).format(parseDay(s));
}

/** A short day for chart axes: 12-03 / 3 Dec. */
export function fmtDay(s) {
  if (!s) return '';
  if (s.length <= 7) return fmtMonth(s);
  return new Intl.DateTimeFormat(LOCALES[current], { month: current === 'zh' ? 'numeric' : 'short', day: 'numeric', timeZone: 'UTC' })
    .format(parseDay(s));
}

/** A month `YYYY-MM` as 2026年12月 / Dec 2026. */
export function fmtMonth(s) {
  if (!s) return t('common.dash');
  return new Intl.DateTimeFormat(LOCALES[current], { year: 'numeric', month: current === 'zh' ? 'long' : 'short', timeZone: 'UTC' })
    .format(parseDay(s));
}

/** A period of a series: a month or a day. */
export function fmtPeriod(s) {
  return s && s.length <= 7 ? fmtMonth(s) : fmtDate(s);
}

/** An RFC 3339 instant in Beijing time: 2026年12月3日 16:00 / 3 Dec 2026, 16:00. */
export function fmtDateTime(s) {
  if (!s) return t('common.dash');
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) return s;
  return new Intl.DateTimeFormat(LOCALES[current], {
    year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit',
    hour12: false, timeZone: 'Asia/Shanghai',
  }).format(d);
}

document.documentElement.lang = LOCALES[current];
