// 数据管理 Data pages: every API collection the role may use. `#/data` lists them; `#/data?c=loads`
// is a table with the collection's filters, sortable headers and cursor paging (all kept in the
// hash), import (CSV or Excel, with the per-row report) and export of the current filter;
// `#/data?c=loads&id=<id>` (or `id=new`) is the record's form generated from its JSON Schema, with
// every problem the API returns shown at its field, If-Match on saves and the lifecycle's buttons.
import { t, addStrings, fmtDateTime, fmtNum } from '../i18n.js';
import { api, ApiError } from '../api.js';
import { h, clear, card, errorBox, errorText, toast, loadCss, badge, noData } from '../ui.js';
import { describe, control, showErrors, clearErrors, fieldLabel, enumLabel, leafPaths } from './data/form.js';
import { send, toCsv, csvUrl, revokeUrls, download, reportCsv, xlsxToCsv, parseCsv, rowsToXlsx, xlsxUrl } from './data/io.js';

export const STRINGS = /*DICT-BEGIN*/{
  "zh": {
    "data.title": "数据管理",
    "data.intro": "您可以查看和维护的数据集合。点击进入表格，可筛选、排序、导入和导出。",
    "data.open": "打开",
    "data.c.parties": "企业与主体",
    "data.c.vehicles": "车辆",
    "data.c.drivers": "驾驶员",
    "data.c.loads": "货源",
    "data.c.waybills": "电子运单",
    "data.c.payments": "资金流水",
    "data.c.facilities": "物流设施",
    "data.c.events": "运输事件",
    "data.c.terminals": "车载终端",
    "data.c.alerts": "监测告警",
    "data.c.counties": "县区",
    "data.c.plan_targets": "规划目标",
    "data.c.baselines": "规划基期数据",
    "data.c.indicator_values": "指标填报值",
    "data.c.project_reports": "项目进展报告",
    "data.d.parties": "托运人、承运人、收货人和平台经营者",
    "data.d.vehicles": "车牌、车厢、核定载质量与证件",
    "data.d.drivers": "身份、驾驶证与从业资格",
    "data.d.loads": "托运人发布的货源",
    "data.d.waybills": "网络货运电子运单（部标字段）",
    "data.d.payments": "运单的资金流水单",
    "data.d.facilities": "物流园区、仓库、场站、港口和铁路货场",
    "data.d.events": "运输与仓储事件",
    "data.d.terminals": "与车辆绑定的 JT/T 808 终端",
    "data.d.alerts": "网络货运监测规则产生的告警",
    "data.d.counties": "柳州市县级行政区（参考数据）",
    "data.d.plan_targets": "物流规划 2025 年目标（参考数据）",
    "data.d.baselines": "规划 2020 年基期数据（参考数据）",
    "data.d.indicator_values": "监管部门填报的指标值及来源",
    "data.d.project_reports": "重点物流项目进展",
    "data.back": "返回列表",
    "data.all": "全部集合",
    "data.new": "新建",
    "data.new_title": "新建{name}",
    "data.filters": "筛选",
    "data.apply": "查询",
    "data.reset": "重置",
    "data.from": "从",
    "data.to": "至",
    "data.min": "最小",
    "data.max": "最大",
    "data.equals": "等于",
    "data.any": "全部",
    "data.page": "第 {n} 页",
    "data.page_size": "每页",
    "data.prev": "上一页",
    "data.next": "下一页",
    "data.rows_shown": "本页 {n} 条",
    "data.none": "没有符合条件的记录",
    "data.sort_hint": "点击表头排序",
    "data.export_csv": "导出 CSV",
    "data.export_json": "导出 JSON",
    "data.export_xlsx": "导出 Excel",
    "data.export_hint": "导出当前筛选条件下的全部记录",
    "data.import": "导入",
    "data.import_title": "批量导入（CSV 或 Excel）",
    "data.import_hint": "第一行为字段路径（如 origin.point.lat）。Excel (.xlsx) 文件在浏览器中转换为 CSV（读取第一个工作表）后上传。按 external_id 幂等：重复导入会更新而不会重复。",
    "data.import_file": "文件",
    "data.import_go": "上传并导入",
    "data.import_busy": "正在导入…",
    "data.import_pick": "请选择 .csv 或 .xlsx 文件。",
    "data.template": "下载模板 CSV",
    "data.report": "导入结果：共 {total} 行，新建 {created}，更新 {updated}，未变 {unchanged}，拒绝 {rejected}",
    "data.report_download": "下载导入报告 CSV",
    "data.report_ok": "全部行已接受。",
    "data.row": "行",
    "data.line": "文件行号",
    "data.outcome": "结果",
    "data.field": "字段",
    "data.problem": "问题",
    "data.outcome.created": "新建",
    "data.outcome.updated": "更新",
    "data.outcome.unchanged": "未变",
    "data.outcome.rejected": "拒绝",
    "data.record": "记录",
    "data.save": "保存",
    "data.create": "创建",
    "data.saved": "已保存",
    "data.created": "已创建",
    "data.form_errors": "有 {n} 处问题，请在标出的字段处修改。",
    "data.other_errors": "以下问题不对应表单中的某个字段：",
    "data.conflict": "保存失败：该记录已被他人修改（您看到的是第 {v} 版）。请重新加载后再修改。",
    "data.reload": "重新加载",
    "data.required": "必填",
    "data.integer": "须为整数",
    "data.bad_json": "不是有效的 JSON",
    "data.choose": "请选择",
    "data.one_per_line": "每行一个",
    "data.add_row": "添加一行",
    "data.remove_row": "删除此行",
    "data.lifecycle": "状态流转",
    "data.to_status": "改为「{s}」",
    "data.status_done": "状态已改为「{s}」",
    "data.no_next": "当前状态为终态，不能再流转。",
    "data.read_only": "您的角色只能查看此集合。",
    "data.meta": "记录信息",
    "data.not_found": "没有这条记录，或您无权查看。",
    "data.f.id": "编号",
    "data.f.version": "版本",
    "data.f.region": "区域",
    "data.f.created_at": "创建时间",
    "data.f.updated_at": "更新时间",
    "data.f.status": "状态",
    "data.f.external_id": "外部编号",
    "data.f.name": "名称",
    "data.f.credit_code": "统一社会信用代码",
    "data.f.division_code": "行政区划代码",
    "data.f.roles": "角色",
    "data.f.address": "地址",
    "data.f.contact_name": "联系人",
    "data.f.phone": "电话",
    "data.f.transport_permit": "道路运输经营许可证",
    "data.f.plate": "车牌号",
    "data.f.plate_colour": "车牌颜色",
    "data.f.body_type": "车厢类型",
    "data.f.rated_load": "核定载质量 (kg)",
    "data.f.cargo_volume": "车厢容积 (m³)",
    "data.f.carrier_id": "承运人",
    "data.f.shipper_id": "托运人",
    "data.f.home_base": "常驻地",
    "data.f.inner_dimensions": "车厢内尺寸",
    "data.f.refrigeration": "冷藏",
    "data.f.transport_certificate": "道路运输证号",
    "data.f.dangerous_goods_classes": "危险货物类别",
    "data.f.id_number": "身份证号",
    "data.f.licence": "驾驶证",
    "data.f.class": "类别",
    "data.f.qualification": "从业资格证",
    "data.f.dangerous_goods_qualified": "危货从业资格",
    "data.f.goods": "货物",
    "data.f.cargo": "货物类别",
    "data.f.kind": "类型",
    "data.f.temperature": "温度",
    "data.f.min": "最低",
    "data.f.max": "最高",
    "data.f.origin": "起运地",
    "data.f.destination": "目的地",
    "data.f.point": "坐标",
    "data.f.lat": "纬度",
    "data.f.lon": "经度",
    "data.f.pickup_window": "装货时间窗",
    "data.f.delivery_window": "送达时间窗",
    "data.f.start": "开始",
    "data.f.end": "结束",
    "data.f.weight": "重量 (kg)",
    "data.f.volume": "体积 (m³)",
    "data.f.packages": "件数",
    "data.f.price_offered": "报价 (元)",
    "data.f.declined_by": "已拒单车辆",
    "data.f.largest_package": "最大单件尺寸",
    "data.f.length": "长 (m)",
    "data.f.width": "宽 (m)",
    "data.f.height": "高 (m)",
    "data.f.shipping_note_number": "托运单号",
    "data.f.business_type_code": "业务类型代码",
    "data.f.consignment_time": "托运时间",
    "data.f.despatch_time": "发货时间",
    "data.f.receipt_time": "收货时间",
    "data.f.consignor": "发货方",
    "data.f.consignee": "收货方",
    "data.f.vehicle": "车辆",
    "data.f.vehicle_id": "车辆编号",
    "data.f.drivers": "驾驶员",
    "data.f.driver_id": "驾驶员编号",
    "data.f.licence_number": "驾驶证号",
    "data.f.description": "货物名称",
    "data.f.cargo_type_code": "货物类型代码",
    "data.f.gross_weight": "毛重 (kg)",
    "data.f.cube": "体积 (m³)",
    "data.f.actual_carrier": "实际承运人",
    "data.f.insurance": "保险",
    "data.f.total_amount": "运费 (元)",
    "data.f.load_id": "货源编号",
    "data.f.original_document_number": "原始单号",
    "data.f.serial_number": "分段分单号",
    "data.f.remark": "备注",
    "data.f.id_code": "证件号",
    "data.f.place": "地点",
    "data.f.business_licence": "经营许可证",
    "data.f.company_code": "保险公司代码",
    "data.f.policy_number": "保单号",
    "data.f.document_number": "流水单号",
    "data.f.actual_carrier_id_code": "实际承运人证件号",
    "data.f.waybills": "运单",
    "data.f.payments": "付款明细",
    "data.f.location": "位置",
    "data.f.operator_id": "运营方",
    "data.f.land_area_mu": "占地 (亩)",
    "data.f.investment_yuan": "投资 (元)",
    "data.f.build_status": "建设状态",
    "data.f.summary": "简介",
    "data.f.plan_category": "规划类别",
    "data.f.location_approximate": "位置为近似",
    "data.f.reporter_id": "报告方",
    "data.f.time": "时间",
    "data.f.waybill_id": "运单编号",
    "data.f.facility_id": "设施编号",
    "data.f.note": "说明",
    "data.f.manufacturer": "制造商",
    "data.f.model": "型号",
    "data.f.protocol": "协议",
    "data.f.registered_at": "注册时间",
    "data.f.terminal_id": "终端编号",
    "data.f.auth_code_hash": "鉴权码散列",
    "data.f.rule": "规则",
    "data.f.severity": "级别",
    "data.f.message": "内容",
    "data.f.day": "日期",
    "data.f.detected_at": "发现时间",
    "data.f.evidence": "证据",
    "data.f.division_type": "区划类型",
    "data.f.parent_code": "上级代码",
    "data.f.centre": "中心点",
    "data.f.regional_role": "区域定位",
    "data.f.key_towns": "重点乡镇",
    "data.f.development_direction_en": "发展方向（英文）",
    "data.f.indicator_zh": "指标（中文）",
    "data.f.indicator_en": "指标（英文）",
    "data.f.unit": "单位",
    "data.f.comparator": "比较",
    "data.f.year": "年份",
    "data.f.target_value": "目标值",
    "data.f.target_text": "目标（原文）",
    "data.f.baseline_value": "基期值",
    "data.f.baseline_year": "基期年份",
    "data.f.source_quote": "原文引用",
    "data.f.source_doc": "来源文件",
    "data.f.value": "数值",
    "data.f.target_id": "目标编号",
    "data.f.as_of": "截至日期",
    "data.f.source": "来源",
    "data.f.project_id": "项目",
    "data.f.reported_on": "报告日期",
    "data.f.progress_pct": "进度 (%)",
    "data.f.invested_yuan": "已投资 (元)",
    "data.f.un_number": "联合国编号",
    "data.f.amount": "金额 (元)",
    "data.f.cargo_kind": "货物类别",
    "data.f.origin_division": "起运地区划",
    "data.f.destination_division": "目的地区划",
    "data.f.pickup_start": "装货开始",
    "data.f.licence_class": "驾驶证类别",
    "data.f.paid_at": "支付时间",
    "data.status.open": "待匹配",
    "data.status.matched": "已匹配",
    "data.status.in_transit": "运输中",
    "data.status.delivered": "已送达",
    "data.status.cancelled": "已取消",
    "data.status.draft": "草稿",
    "data.status.confirmed": "已确认",
    "data.status.dispatched": "已发车",
    "data.status.signed": "已签收",
    "data.status.receipted": "已回单",
    "data.status.acknowledged": "已确认",
    "data.status.resolved": "已解决",
    "data.status.available": "空闲",
    "data.status.busy": "任务中",
    "data.status.maintenance": "维修",
    "data.status.retired": "退役",
    "data.status.planned": "规划中",
    "data.status.under_construction": "在建",
    "data.status.operating": "运营中",
    "data.status.registered": "已注册",
    "data.status.unregistered": "已注销",
    "data.f.expires": "有效期至",
    "data.f.number": "证号",
    "data.enum.body_type.box": "厢式",
    "data.enum.body_type.flatbed": "平板",
    "data.enum.body_type.high_sided": "高栏",
    "data.enum.body_type.tanker": "罐式",
    "data.enum.body_type.refrigerated": "冷藏",
    "data.enum.body_type.container": "集装箱",
    "data.enum.body_type.car_carrier": "轿运",
    "data.enum.body_type.van": "面包/厢式小车",
    "data.enum.body_type.dump": "自卸",
    "data.enum.plate_colour.blue": "蓝色",
    "data.enum.plate_colour.yellow": "黄色",
    "data.enum.plate_colour.black": "黑色",
    "data.enum.plate_colour.white": "白色",
    "data.enum.plate_colour.green": "绿色",
    "data.enum.plate_colour.yellow_green": "黄绿色",
    "data.enum.plate_colour.gradient_green": "渐变绿",
    "data.enum.plate_colour.other": "其他",
    "data.enum.kind.logistics_park": "物流园区",
    "data.enum.kind.warehouse": "仓库",
    "data.enum.kind.cold_store": "冷库",
    "data.enum.kind.depot": "场站",
    "data.enum.kind.port": "港口",
    "data.enum.kind.rail_yard": "铁路货场",
    "data.enum.kind.air_cargo": "航空货运",
    "data.enum.kind.market": "市场",
    "data.enum.kind.picked_up": "已提货",
    "data.enum.kind.departed": "已出发",
    "data.enum.kind.arrived": "已到达",
    "data.enum.kind.delivered": "已送达",
    "data.enum.kind.warehouse_in": "入库",
    "data.enum.kind.warehouse_out": "出库",
    "data.enum.kind.position": "位置",
    "data.enum.kind.exception": "异常",
    "data.enum.kind.general": "普通货物",
    "data.enum.kind.cold_chain": "冷链",
    "data.enum.kind.dangerous_goods": "危险货物"
  },
  "en": {
    "data.title": "Data",
    "data.intro": "The collections you may read and keep. Open one for its table with filters, sorting, import and export.",
    "data.open": "Open",
    "data.c.parties": "Parties",
    "data.c.vehicles": "Vehicles",
    "data.c.drivers": "Drivers",
    "data.c.loads": "Loads",
    "data.c.waybills": "Waybills",
    "data.c.payments": "Payments",
    "data.c.facilities": "Facilities",
    "data.c.events": "Transport events",
    "data.c.terminals": "Terminals",
    "data.c.alerts": "Alerts",
    "data.c.counties": "Counties",
    "data.c.plan_targets": "Plan targets",
    "data.c.baselines": "Plan baselines",
    "data.c.indicator_values": "Indicator values",
    "data.c.project_reports": "Project reports",
    "data.d.parties": "Shippers, carriers, consignees and platform operators",
    "data.d.vehicles": "Plates, bodies, capacities and certificates",
    "data.d.drivers": "Identity, licence and qualification",
    "data.d.loads": "Freight orders posted by shippers",
    "data.d.waybills": "Electronic waybills with the national network-freight fields",
    "data.d.payments": "Fund-flow records paying waybills",
    "data.d.facilities": "Logistics parks, warehouses, depots, ports and rail yards",
    "data.d.events": "Transport and warehouse events",
    "data.d.terminals": "JT/T 808 terminals bound to vehicles",
    "data.d.alerts": "Alerts raised by the network-freight monitoring rules",
    "data.d.counties": "County-level units of Liuzhou (reference data)",
    "data.d.plan_targets": "The logistics plan's 2025 targets (reference data)",
    "data.d.baselines": "The plan's 2020 baseline figures (reference data)",
    "data.d.indicator_values": "Indicator values entered by the regulator, with their source",
    "data.d.project_reports": "Progress of the plan's key logistics projects",
    "data.back": "Back to the list",
    "data.all": "All collections",
    "data.new": "New",
    "data.new_title": "New: {name}",
    "data.filters": "Filters",
    "data.apply": "Apply",
    "data.reset": "Reset",
    "data.from": "From",
    "data.to": "To",
    "data.min": "Min",
    "data.max": "Max",
    "data.equals": "Equals",
    "data.any": "Any",
    "data.page": "Page {n}",
    "data.page_size": "Per page",
    "data.prev": "Previous",
    "data.next": "Next",
    "data.rows_shown": "{n} on this page",
    "data.none": "No records match",
    "data.sort_hint": "Click a header to sort",
    "data.export_csv": "Export CSV",
    "data.export_json": "Export JSON",
    "data.export_xlsx": "Export Excel",
    "data.export_hint": "Exports every record the current filters select",
    "data.import": "Import",
    "data.import_title": "Bulk import (CSV or Excel)",
    "data.import_hint": "The first line names the field paths (e.g. origin.point.lat). An Excel (.xlsx) file is converted to CSV in your browser (its first sheet) before upload. Idempotent by external_id: importing again updates rather than duplicates.",
    "data.import_file": "File",
    "data.import_go": "Upload and import",
    "data.import_busy": "Importing…",
    "data.import_pick": "Choose a .csv or .xlsx file.",
    "data.template": "Download the template CSV",
    "data.report": "Import: {total} rows, {created} created, {updated} updated, {unchanged} unchanged, {rejected} rejected",
    "data.report_download": "Download the report as CSV",
    "data.report_ok": "Every row was accepted.",
    "data.row": "Row",
    "data.line": "Line",
    "data.outcome": "Outcome",
    "data.field": "Field",
    "data.problem": "Problem",
    "data.outcome.created": "Created",
    "data.outcome.updated": "Updated",
    "data.outcome.unchanged": "Unchanged",
    "data.outcome.rejected": "Rejected",
    "data.record": "Record",
    "data.save": "Save",
    "data.create": "Create",
    "data.saved": "Saved",
    "data.created": "Created",
    "data.form_errors": "{n} problems; correct the marked fields.",
    "data.other_errors": "These problems are not about one field of the form:",
    "data.conflict": "Not saved: someone changed this record since you opened it (you saw version {v}). Reload it and make your change again.",
    "data.reload": "Reload",
    "data.required": "Required",
    "data.integer": "Must be a whole number",
    "data.bad_json": "Not valid JSON",
    "data.choose": "Choose",
    "data.one_per_line": "One per line",
    "data.add_row": "Add a row",
    "data.remove_row": "Remove this row",
    "data.lifecycle": "Lifecycle",
    "data.to_status": "Set to “{s}”",
    "data.status_done": "Status set to “{s}”",
    "data.no_next": "This status is final; there is no next step.",
    "data.read_only": "Your role may only read this collection.",
    "data.meta": "Record",
    "data.not_found": "No such record, or you may not see it.",
    "data.f.id": "ID",
    "data.f.version": "Version",
    "data.f.region": "Region",
    "data.f.created_at": "Created",
    "data.f.updated_at": "Updated",
    "data.f.status": "Status",
    "data.f.external_id": "External ID",
    "data.f.name": "Name",
    "data.f.credit_code": "Credit code",
    "data.f.division_code": "Division code",
    "data.f.roles": "Roles",
    "data.f.address": "Address",
    "data.f.contact_name": "Contact",
    "data.f.phone": "Phone",
    "data.f.transport_permit": "Transport permit",
    "data.f.plate": "Plate",
    "data.f.plate_colour": "Plate colour",
    "data.f.body_type": "Body type",
    "data.f.rated_load": "Rated load (kg)",
    "data.f.cargo_volume": "Cargo volume (m³)",
    "data.f.carrier_id": "Carrier",
    "data.f.shipper_id": "Shipper",
    "data.f.home_base": "Home base",
    "data.f.inner_dimensions": "Inner dimensions",
    "data.f.refrigeration": "Refrigeration",
    "data.f.transport_certificate": "Transport certificate",
    "data.f.dangerous_goods_classes": "Dangerous goods classes",
    "data.f.id_number": "ID number",
    "data.f.licence": "Licence",
    "data.f.class": "Class",
    "data.f.qualification": "Qualification",
    "data.f.dangerous_goods_qualified": "Dangerous goods qualified",
    "data.f.goods": "Goods",
    "data.f.cargo": "Cargo class",
    "data.f.kind": "Kind",
    "data.f.temperature": "Temperature",
    "data.f.min": "Min",
    "data.f.max": "Max",
    "data.f.origin": "Origin",
    "data.f.destination": "Destination",
    "data.f.point": "Point",
    "data.f.lat": "Latitude",
    "data.f.lon": "Longitude",
    "data.f.pickup_window": "Pickup window",
    "data.f.delivery_window": "Delivery window",
    "data.f.start": "Start",
    "data.f.end": "End",
    "data.f.weight": "Weight (kg)",
    "data.f.volume": "Volume (m³)",
    "data.f.packages": "Packages",
    "data.f.price_offered": "Price offered (yuan)",
    "data.f.declined_by": "Declined by",
    "data.f.largest_package": "Largest package",
    "data.f.length": "Length (m)",
    "data.f.width": "Width (m)",
    "data.f.height": "Height (m)",
    "data.f.shipping_note_number": "Shipping note number",
    "data.f.business_type_code": "Business type code",
    "data.f.consignment_time": "Consignment time",
    "data.f.despatch_time": "Despatch time",
    "data.f.receipt_time": "Receipt time",
    "data.f.consignor": "Consignor",
    "data.f.consignee": "Consignee",
    "data.f.vehicle": "Vehicle",
    "data.f.vehicle_id": "Vehicle ID",
    "data.f.drivers": "Drivers",
    "data.f.driver_id": "Driver ID",
    "data.f.licence_number": "Licence number",
    "data.f.description": "Description",
    "data.f.cargo_type_code": "Cargo type code",
    "data.f.gross_weight": "Gross weight (kg)",
    "data.f.cube": "Cube (m³)",
    "data.f.actual_carrier": "Actual carrier",
    "data.f.insurance": "Insurance",
    "data.f.total_amount": "Total amount (yuan)",
    "data.f.load_id": "Load ID",
    "data.f.original_document_number": "Original document number",
    "data.f.serial_number": "Serial number",
    "data.f.remark": "Remark",
    "data.f.id_code": "ID code",
    "data.f.place": "Place",
    "data.f.business_licence": "Business licence",
    "data.f.company_code": "Insurer code",
    "data.f.policy_number": "Policy number",
    "data.f.document_number": "Document number",
    "data.f.actual_carrier_id_code": "Actual carrier ID code",
    "data.f.waybills": "Waybills",
    "data.f.payments": "Payment lines",
    "data.f.location": "Location",
    "data.f.operator_id": "Operator",
    "data.f.land_area_mu": "Land area (mu)",
    "data.f.investment_yuan": "Investment (yuan)",
    "data.f.build_status": "Build status",
    "data.f.summary": "Summary",
    "data.f.plan_category": "Plan category",
    "data.f.location_approximate": "Location approximate",
    "data.f.reporter_id": "Reporter",
    "data.f.time": "Time",
    "data.f.waybill_id": "Waybill ID",
    "data.f.facility_id": "Facility ID",
    "data.f.note": "Note",
    "data.f.manufacturer": "Manufacturer",
    "data.f.model": "Model",
    "data.f.protocol": "Protocol",
    "data.f.registered_at": "Registered",
    "data.f.terminal_id": "Terminal ID",
    "data.f.auth_code_hash": "Auth code hash",
    "data.f.rule": "Rule",
    "data.f.severity": "Severity",
    "data.f.message": "Message",
    "data.f.day": "Day",
    "data.f.detected_at": "Detected",
    "data.f.evidence": "Evidence",
    "data.f.division_type": "Division type",
    "data.f.parent_code": "Parent code",
    "data.f.centre": "Centre",
    "data.f.regional_role": "Regional role",
    "data.f.key_towns": "Key towns",
    "data.f.development_direction_en": "Development direction",
    "data.f.indicator_zh": "Indicator (Chinese)",
    "data.f.indicator_en": "Indicator (English)",
    "data.f.unit": "Unit",
    "data.f.comparator": "Comparator",
    "data.f.year": "Year",
    "data.f.target_value": "Target value",
    "data.f.target_text": "Target (as written)",
    "data.f.baseline_value": "Baseline value",
    "data.f.baseline_year": "Baseline year",
    "data.f.source_quote": "Source quote",
    "data.f.source_doc": "Source document",
    "data.f.value": "Value",
    "data.f.target_id": "Target ID",
    "data.f.as_of": "As of",
    "data.f.source": "Source",
    "data.f.project_id": "Project",
    "data.f.reported_on": "Reported on",
    "data.f.progress_pct": "Progress (%)",
    "data.f.invested_yuan": "Invested (yuan)",
    "data.f.un_number": "UN number",
    "data.f.amount": "Amount (yuan)",
    "data.f.cargo_kind": "Cargo class",
    "data.f.origin_division": "Origin division",
    "data.f.destination_division": "Destination division",
    "data.f.pickup_start": "Pickup start",
    "data.f.licence_class": "Licence class",
    "data.f.paid_at": "Paid at",
    "data.status.open": "Open",
    "data.status.matched": "Matched",
    "data.status.in_transit": "In transit",
    "data.status.delivered": "Delivered",
    "data.status.cancelled": "Cancelled",
    "data.status.draft": "Draft",
    "data.status.confirmed": "Confirmed",
    "data.status.dispatched": "Dispatched",
    "data.status.signed": "Signed",
    "data.status.receipted": "Receipted",
    "data.status.acknowledged": "Acknowledged",
    "data.status.resolved": "Resolved",
    "data.status.available": "Available",
    "data.status.busy": "Busy",
    "data.status.maintenance": "Maintenance",
    "data.status.retired": "Retired",
    "data.status.planned": "Planned",
    "data.status.under_construction": "Under construction",
    "data.status.operating": "Operating",
    "data.status.registered": "Registered",
    "data.status.unregistered": "Unregistered",
    "data.f.expires": "Expires",
    "data.f.number": "Number",
    "data.enum.body_type.box": "Box",
    "data.enum.body_type.flatbed": "Flatbed",
    "data.enum.body_type.high_sided": "High-sided",
    "data.enum.body_type.tanker": "Tanker",
    "data.enum.body_type.refrigerated": "Refrigerated",
    "data.enum.body_type.container": "Container",
    "data.enum.body_type.car_carrier": "Car carrier",
    "data.enum.body_type.van": "Van",
    "data.enum.body_type.dump": "Dump",
    "data.enum.plate_colour.blue": "Blue",
    "data.enum.plate_colour.yellow": "Yellow",
    "data.enum.plate_colour.black": "Black",
    "data.enum.plate_colour.white": "White",
    "data.enum.plate_colour.green": "Green",
    "data.enum.plate_colour.yellow_green": "Yellow-green",
    "data.enum.plate_colour.gradient_green": "Gradient green",
    "data.enum.plate_colour.other": "Other",
    "data.enum.kind.logistics_park": "Logistics park",
    "data.enum.kind.warehouse": "Warehouse",
    "data.enum.kind.cold_store": "Cold store",
    "data.enum.kind.depot": "Depot",
    "data.enum.kind.port": "Port",
    "data.enum.kind.rail_yard": "Rail yard",
    "data.enum.kind.air_cargo": "Air cargo",
    "data.enum.kind.market": "Market",
    "data.enum.kind.picked_up": "Picked up",
    "data.enum.kind.departed": "Departed",
    "data.enum.kind.arrived": "Arrived",
    "data.enum.kind.delivered": "Delivered",
    "data.enum.kind.warehouse_in": "Into warehouse",
    "data.enum.kind.warehouse_out": "Out of warehouse",
    "data.enum.kind.position": "Position",
    "data.enum.kind.exception": "Exception",
    "data.enum.kind.general": "General",
    "data.enum.kind.cold_chain": "Cold chain",
    "data.enum.kind.dangerous_goods": "Dangerous goods"
  }
}/*DICT-END*/;
addStrings(STRINGS);

const ALL = ['parties', 'vehicles', 'drivers', 'loads', 'waybills', 'payments', 'facilities', 'events',
  'terminals', 'alerts', 'counties', 'plan_targets', 'baselines', 'indicator_values', 'project_reports'];
const REFERENCE = ['facilities', 'counties', 'plan_targets', 'baselines', 'indicator_values', 'project_reports'];

/** What each role sees (the API restricts rows further) and may write. */
const ROLES = {
  admin: { read: ALL, write: ALL },
  regulator: { read: ALL, write: ['indicator_values', 'project_reports'] },
  shipper: { read: ['loads', 'waybills', 'payments', 'events', ...REFERENCE], write: ['loads', 'waybills', 'payments', 'events', 'facilities'] },
  carrier: { read: ['vehicles', 'drivers', 'waybills', 'payments', 'events', 'terminals', 'alerts', ...REFERENCE], write: ['vehicles', 'drivers', 'waybills', 'payments', 'events', 'facilities'] },
};

/** The table's columns: field path and the `sort` name when the API sorts by it. */
const COLUMNS = {
  parties: [['name', 'name'], ['credit_code'], ['roles'], ['division_code'], ['phone']],
  vehicles: [['plate', 'plate'], ['body_type'], ['rated_load', 'rated_load'], ['cargo_volume', 'cargo_volume'], ['status'], ['carrier_id']],
  drivers: [['name', 'name'], ['licence.class'], ['phone'], ['carrier_id']],
  loads: [['goods'], ['origin.address'], ['destination.address'], ['weight', 'weight'], ['price_offered', 'price_offered'], ['pickup_window.start', 'pickup_start'], ['status']],
  waybills: [['shipping_note_number'], ['consignor.name'], ['consignee.name'], ['vehicle.plate'], ['total_amount', 'total_amount'], ['consignment_time', 'consignment_time'], ['status']],
  payments: [['document_number', 'document_number'], ['plate'], ['shipper_id'], ['carrier_id'], ['waybills']],
  facilities: [['name', 'name'], ['kind'], ['division_code'], ['land_area_mu'], ['status']],
  events: [['kind'], ['time', 'time'], ['waybill_id'], ['vehicle_id'], ['note']],
  terminals: [['phone'], ['plate'], ['vehicle_id'], ['registered_at', 'registered_at'], ['status']],
  alerts: [['rule'], ['severity'], ['message'], ['day', 'day'], ['detected_at', 'detected_at'], ['status']],
  counties: [['division_code', 'division_code'], ['name'], ['division_type'], ['parent_code']],
  plan_targets: [['external_id', 'external_id'], ['indicator_zh'], ['indicator_en'], ['target_text'], ['unit'], ['year']],
  baselines: [['indicator_zh'], ['indicator_en'], ['value'], ['unit'], ['year']],
  indicator_values: [['target_id'], ['value'], ['as_of', 'as_of'], ['source']],
  project_reports: [['project_id'], ['reported_on', 'reported_on'], ['build_status'], ['progress_pct'], ['invested_yuan']],
};

/** The body field naming the owner, filled with the caller's party on a new record. */
const OWNER = { vehicles: 'carrier_id', drivers: 'carrier_id', loads: 'shipper_id', waybills: 'shipper_id',
  payments: 'shipper_id', facilities: 'operator_id', events: 'reporter_id' };

/** The lifecycles (the model's `next()`): from a status, the statuses it may move to. */
const NEXT = {
  loads: { open: ['matched', 'cancelled'], matched: ['in_transit', 'open', 'cancelled'], in_transit: ['delivered'] },
  waybills: { draft: ['confirmed', 'cancelled'], confirmed: ['dispatched', 'cancelled'], dispatched: ['signed'], signed: ['receipted'] },
  alerts: { open: ['acknowledged', 'resolved'], acknowledged: ['resolved'] },
};

const PAGE_SIZES = ['20', '50', '100'];
/** Hash parameters of the page itself, never sent to the API. */
const OWN_PARAMS = ['c', 'id', 'prev'];

let openapi = null;
function loadOpenapi() {
  if (!openapi) openapi = api('/openapi.json').catch((e) => { openapi = null; throw e; });
  return openapi;
}

const cname = (c) => (t.has(`data.c.${c}`) ? t(`data.c.${c}`) : c);

function go(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, v);
  }
  location.hash = `#/data?${q.toString()}`;
}

function paramsObject(p) {
  const o = {};
  for (const [k, v] of p.entries()) o[k] = v;
  return o;
}

function valueAt(obj, path) {
  let v = obj;
  for (const part of path.split('.')) {
    if (v === null || v === undefined) return undefined;
    v = v[part];
  }
  return v;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** A cell's text: times in Beijing time, numbers formatted, statuses and enumerations localised. */
function cellText(path, v) {
  if (v === undefined || v === null || v === '') return t('common.dash');
  if (typeof v === 'number' && /year$/.test(path)) return String(v);
  if (typeof v === 'number') return fmtNum(v, Number.isInteger(v) ? 0 : 2);
  if (typeof v === 'string' && ISO.test(v)) return fmtDateTime(v);
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : enumLabel(path, x))).join(', ');
  if (typeof v === 'object') return JSON.stringify(v);
  return enumLabel(path.split('.').pop(), v);
}

function statusBadge(s) {
  const kind = { cancelled: 'bad', open: 'info', draft: 'info', delivered: 'ok', receipted: 'ok', resolved: 'ok' }[s] || 'warn';
  return badge(enumLabel('status', s), kind);
}

export function dispose() {
  revokeUrls();
}

export async function render(main, ctx) {
  loadCss('data');
  const role = ctx.me.role;
  const rights = ROLES[role] || { read: [], write: [] };
  const c = ctx.params.get('c');
  if (!c) return renderIndex(main, rights);
  if (!rights.read.includes(c)) {
    main.appendChild(card(null, h('div', { dataset: { state: 'forbidden' }, text: t('error.page_forbidden') })));
    return undefined;
  }
  const doc = await loadOpenapi();
  if (!ctx.isCurrent()) return undefined;
  const id = ctx.params.get('id');
  const writable = rights.write.includes(c);
  if (id) return renderRecord(main, ctx, doc, c, id, writable);
  return renderList(main, ctx, doc, c, writable);
}

function renderIndex(main, rights) {
  main.appendChild(h('div', { class: 'page-head' }, h('h1', { text: t('data.title') })));
  main.appendChild(h('p', { class: 'muted data-intro', text: t('data.intro') }));
  main.appendChild(h('div', { class: 'data-collections', id: 'data-collections' }, rights.read.map((c) =>
    h('a', { class: 'data-coll card', href: `#/data?c=${c}`, dataset: { collection: c } },
      h('strong', { text: cname(c) }),
      h('span', { class: 'muted small', text: t.has(`data.d.${c}`) ? t(`data.d.${c}`) : '' }),
      h('code', { class: 'small muted', text: `/api/v1/${c}` })))));
}

/** The schema of a collection's body and its list parameters, from the OpenAPI document. */
function collectionInfo(doc, c) {
  const paths = doc.paths || {};
  const list = (paths[`/api/v1/${c}`] || {}).get || {};
  const post = (paths[`/api/v1/${c}`] || {}).post || {};
  const ref = (((post.requestBody || {}).content || {})['application/json'] || {}).schema || {};
  const root = (doc.components || {}).schemas || {};
  const params = list.parameters || [];
  const names = new Set(params.map((p) => p.name));
  const sortParam = params.find((p) => p.name === 'sort');
  const sorts = new Set(((sortParam && sortParam.schema && sortParam.schema.enum) || []).filter((s) => !s.startsWith('-')));
  const filters = [];
  for (const p of params) {
    if (['limit', 'cursor', 'sort', 'region'].includes(p.name) || p.name.endsWith('.gte') || p.name.endsWith('.lte')) continue;
    const s = p.schema || {};
    let type = 'text';
    if (p.name === 'status' && s.enum) type = 'status';
    else if (s.type === 'number' || s.type === 'integer') type = 'number';
    else if (s.format === 'date-time' || p.name === 'day' || p.name === 'as_of' || p.name === 'reported_on') type = 'date';
    filters.push({ name: p.name, type, values: s.enum || [], ranged: names.has(`${p.name}.gte`) && type !== 'text' });
  }
  const times = new Set(params.filter((p) => p.schema && p.schema.format === 'date-time').map((p) => p.name));
  return { root, node: describe(root, ref), names, sorts, filters, times, lifecycle: !!paths[`/api/v1/${c}/{id}/status`] };
}

/** The API query of the hash: only the list's own parameters. */
function apiQuery(params, info) {
  const q = new URLSearchParams();
  for (const [k, v] of params.entries()) {
    if (OWN_PARAMS.includes(k) || !info.names.has(k) || v === '') continue;
    // A day as the upper bound of a time means the whole day.
    const timeLte = k.endsWith('.lte') && info.times.has(k.slice(0, -4)) && /^\d{4}-\d{2}-\d{2}$/.test(v);
    q.set(k, timeLte ? `${v}T23:59:59Z` : v);
  }
  if (!q.has('limit')) q.set('limit', '20');
  if (!q.has('sort')) q.set('sort', '-created_at');
  return q;
}

function head(c, ...tools) {
  return h('div', { class: 'page-head' },
    h('h1', null, h('a', { href: '#/data', class: 'data-crumb', text: t('data.title') }), ' / ', cname(c)),
    h('div', { class: 'page-tools' }, tools));
}

async function renderList(main, ctx, doc, c, writable) {
  const info = collectionInfo(doc, c);
  const cur = paramsObject(ctx.params);
  const q = apiQuery(ctx.params, info);
  const exportQ = new URLSearchParams(q);
  exportQ.delete('limit');
  exportQ.delete('cursor');
  exportQ.set('format', 'csv');
  const exportCsv = h('a', { class: 'btn', id: 'data-export-csv', href: `/api/v1/${c}/export?${exportQ}`, download: `${c}.csv`, title: t('data.export_hint'), text: t('data.export_csv') });
  exportQ.set('format', 'json');
  const exportJson = h('a', { class: 'btn', id: 'data-export-json', href: `/api/v1/${c}/export?${exportQ}`, download: `${c}.json`, title: t('data.export_hint'), text: t('data.export_json') });
  const importBox = h('div', { id: 'data-import-box', hidden: true });
  const importBtn = writable ? h('button', { type: 'button', class: 'btn', id: 'data-import-toggle', text: t('data.import'),
    onclick: () => { importBox.hidden = !importBox.hidden; } }) : null;
  const newBtn = writable ? h('a', { class: 'btn btn-primary', id: 'data-new', href: `#/data?c=${c}&id=new`, text: t('data.new') }) : null;
  const exportXlsx = h('button', { type: 'button', class: 'btn', id: 'data-export-xlsx', title: t('data.export_hint'), text: t('data.export_xlsx'),
    onclick: async () => {
      exportXlsx.disabled = true;
      try {
        const csv = await send(exportCsv.getAttribute('href'), { headers: { Accept: 'text/csv' } });
        download(xlsxUrl(await rowsToXlsx(parseCsv(typeof csv === 'string' ? csv : ''))), `${c}.xlsx`);
      } catch (e) {
        toast(errorText(e), 'error');
      } finally {
        exportXlsx.disabled = false;
      }
    } });
  main.appendChild(head(c, newBtn, importBtn, exportCsv, exportXlsx, exportJson));
  main.dataset.collection = c;
  if (!writable) main.appendChild(h('p', { class: 'muted small', text: t('data.read_only') }));
  main.appendChild(filterForm(info, cur, c));
  if (writable) {
    importBox.appendChild(importCard(c, info, () => loadTable()));
    main.appendChild(importBox);
  }
  const tableBox = h('div', { id: 'data-table-box' });
  main.appendChild(tableBox);

  async function loadTable() {
    clear(tableBox);
    let page;
    try {
      page = await api(`/api/v1/${c}?${q}`);
    } catch (e) {
      tableBox.appendChild(card(null, errorBox(e)));
      return;
    }
    if (!ctx.isCurrent()) return;
    tableBox.appendChild(listTable(c, info, cur, page));
  }
  await loadTable();
}

function filterForm(info, cur, c) {
  const inputs = [];
  const fields = info.filters.map((f) => {
    const label = f.name === 'status' ? t('data.f.status') : fieldLabel(f.name);
    if (f.type === 'status') {
      const sel = h('select', { name: 'status', dataset: { filter: 'status' } },
        h('option', { value: '', text: t('data.any') }),
        f.values.map((v) => h('option', { value: v, selected: cur.status === v, text: enumLabel('status', v) })));
      inputs.push(sel);
      return h('label', { class: 'field' }, h('span', { class: 'field-label', text: label }), sel);
    }
    if (f.ranged) {
      const type = f.type === 'number' ? 'number' : 'date';
      const lo = h('input', { type, step: 'any', name: `${f.name}.gte`, dataset: { filter: `${f.name}.gte` }, value: cur[`${f.name}.gte`] || '', 'aria-label': `${label} ≥` });
      const hi = h('input', { type, step: 'any', name: `${f.name}.lte`, dataset: { filter: `${f.name}.lte` }, value: cur[`${f.name}.lte`] || '', 'aria-label': `${label} ≤` });
      inputs.push(lo, hi);
      return h('div', { class: 'field data-range' }, h('span', { class: 'field-label', text: label }),
        h('span', { class: 'data-range-inputs' }, lo, h('span', { class: 'muted', text: '–' }), hi));
    }
    const input = h('input', { type: 'text', name: f.name, dataset: { filter: f.name }, value: cur[f.name] || '', placeholder: t('data.equals') });
    inputs.push(input);
    return h('label', { class: 'field' }, h('span', { class: 'field-label', text: label }), input);
  });
  const size = h('select', { name: 'limit', id: 'data-page-size' }, PAGE_SIZES.map((n) => h('option', { value: n, selected: (cur.limit || '20') === n, text: n })));
  inputs.push(size);
  // On a phone the filters start folded unless one is set.
  const active = info.filters.some((f) => cur[f.name] || cur[`${f.name}.gte`] || cur[`${f.name}.lte`]);
  const form = h('form', { class: 'data-filters card', id: 'data-filters' },
    h('details', { open: active || window.innerWidth > 700 },
      h('summary', { text: t('data.filters') }),
      h('div', { class: 'data-filter-grid' }, fields,
      h('label', { class: 'field' }, h('span', { class: 'field-label', text: t('data.page_size') }), size)),
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'btn btn-primary', id: 'data-apply', text: t('data.apply') }),
      h('a', { class: 'btn', href: `#/data?c=${c}`, text: t('data.reset') }))));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const next = { c, sort: cur.sort };
    for (const i of inputs) next[i.name] = i.value.trim();
    go(next);
  });
  size.addEventListener('change', () => form.requestSubmit());
  return form;
}

function listTable(c, info, cur, page) {
  const cols = (COLUMNS[c] || []).concat([['updated_at', 'updated_at']]);
  const sort = cur.sort || '';
  const sortName = sort.replace(/^-/, '');
  const th = cols.map(([path, s]) => {
    const label = fieldLabel(path.split('.')[0]);
    if (!s || !info.sorts.has(s)) return h('th', { text: label, dataset: { col: path } });
    const active = sortName === s;
    const desc = active && sort.startsWith('-');
    const next = active && !desc ? `-${s}` : s;
    const link = h('a', {
      href: '#', class: `data-sort${active ? ' active' : ''}`, dataset: { sort: s },
      title: t('data.sort_hint'),
      onclick: (ev) => {
        ev.preventDefault();
        const p = Object.assign({}, cur, { sort: next });
        delete p.cursor;
        delete p.prev;
        go(p);
      },
    }, label, h('span', { class: 'data-sort-mark', text: active ? (desc ? ' ▼' : ' ▲') : ' ↕' }));
    return h('th', { 'aria-sort': active ? (desc ? 'descending' : 'ascending') : null, dataset: { col: path } }, link);
  });
  const rows = (page.items || []).map((rec) => h('tr', { dataset: { id: rec.id } },
    cols.map(([path], i) => {
      const v = valueAt(rec, path);
      const content = path === 'status' && v ? statusBadge(v) : cellText(path, v);
      return h('td', { dataset: { col: path } }, i === 0
        ? h('a', { href: `#/data?c=${c}&id=${encodeURIComponent(rec.id)}`, class: 'data-rec' }, content === t('common.dash') ? rec.id : content)
        : content);
    })));
  const prev = cur.prev ? cur.prev.split(',') : [];
  const pageNo = prev.length + 1;
  const prevBtn = h('button', {
    type: 'button', class: 'btn', id: 'data-prev', disabled: !prev.length, text: t('data.prev'),
    onclick: () => {
      const stack = prev.slice();
      const back = stack.pop();
      go(Object.assign({}, cur, { cursor: back === '-' ? '' : back, prev: stack.join(',') }));
    },
  });
  const nextBtn = h('button', {
    type: 'button', class: 'btn', id: 'data-next', disabled: !page.next_cursor, text: t('data.next'),
    onclick: () => go(Object.assign({}, cur, { cursor: page.next_cursor, prev: prev.concat([cur.cursor || '-']).join(',') })),
  });
  const pager = h('div', { class: 'data-pager' },
    prevBtn, h('span', { id: 'data-page-no', dataset: { page: String(pageNo) }, text: t('data.page', { n: pageNo }) }),
    nextBtn, h('span', { class: 'muted small', text: t('data.rows_shown', { n: rows.length }) }));
  if (!rows.length) return card(null, noData(t('data.none')), pager);
  return h('section', { class: 'card data-list' },
    h('div', { class: 'table-wrap' },
      h('table', { class: 'table data-table', id: 'data-table' },
        h('thead', null, h('tr', null, th)), h('tbody', null, rows))),
    pager);
}

function importCard(c, info, reload) {
  const file = h('input', { type: 'file', id: 'data-import-file', accept: '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
  const goBtn = h('button', { type: 'submit', class: 'btn btn-primary', id: 'data-import-go', text: t('data.import_go') });
  const out = h('div', { id: 'data-import-report' });
  const columns = leafPaths(info.node, '').filter((p) => p !== 'status' || !info.lifecycle);
  const template = h('a', { href: '#', id: 'data-template', text: t('data.template'),
    onclick: (ev) => {
      ev.preventDefault();
      download(csvUrl(toCsv([columns])), `${c}-template.csv`);
    } });
  const form = h('form', { class: 'card data-import', id: 'data-import' },
    h('h2', { class: 'card-title', text: t('data.import_title') }),
    h('p', { class: 'muted small', text: t('data.import_hint') }),
    h('div', { class: 'data-import-row' },
      h('label', { class: 'field' }, h('span', { class: 'field-label', text: t('data.import_file') }), file), goBtn, template),
    out);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(out);
    const f = file.files && file.files[0];
    if (!f) {
      out.appendChild(h('div', { class: 'error', role: 'alert', text: t('data.import_pick') }));
      return;
    }
    goBtn.disabled = true;
    goBtn.textContent = t('data.import_busy');
    try {
      const buf = await f.arrayBuffer();
      const xlsx = /\.xlsx$/i.test(f.name);
      const body = xlsx ? new TextEncoder().encode(await xlsxToCsv(buf)) : buf;
      const report = await send(`/api/v1/${c}/import?format=csv`, { method: 'POST', raw: body, type: 'text/csv; charset=utf-8' });
      out.appendChild(reportView(c, report));
      reload();
    } catch (e) {
      out.appendChild(h('div', { class: 'error', role: 'alert', text: errorText(e) }));
    } finally {
      goBtn.disabled = false;
      goBtn.textContent = t('data.import_go');
    }
  });
  return form;
}

function reportView(c, report) {
  const url = csvUrl(reportCsv(report));
  const bad = (report.rows || []).filter((r) => r.outcome === 'rejected');
  const rows = [];
  for (const r of bad) {
    const errs = r.errors && r.errors.length ? r.errors : [{ field: '', message: '' }];
    errs.forEach((e) => rows.push(h('tr', { dataset: { row: String(r.row), field: e.field || '' } },
      h('td', { text: String(r.row) }), h('td', { text: r.line ?? '' }),
      h('td', null, badge(t('data.outcome.rejected'), 'bad')),
      h('td', null, h('code', { text: e.field || '' })), h('td', { text: e.message || '' }))));
  }
  return h('div', { class: 'data-report', dataset: { rejected: String(report.rejected || 0) } },
    h('p', { id: 'data-report-summary', text: t('data.report', report) }),
    rows.length
      ? h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'data-report-table' },
        h('thead', null, h('tr', null, [t('data.row'), t('data.line'), t('data.outcome'), t('data.field'), t('data.problem')].map((x) => h('th', { text: x })))),
        h('tbody', null, rows)))
      : h('p', { class: 'muted', text: t('data.report_ok') }),
    h('a', { class: 'btn', id: 'data-report-download', href: url, download: `${c}-import-report.csv`, text: t('data.report_download') }));
}

async function renderRecord(main, ctx, doc, c, id, writable) {
  const info = collectionInfo(doc, c);
  const isNew = id === 'new';
  const back = h('a', { class: 'btn', href: `#/data?c=${c}`, text: t('data.back') });
  main.dataset.collection = c;
  let rec = null;
  if (!isNew) {
    try {
      rec = await api(`/api/v1/${c}/${encodeURIComponent(id)}`);
    } catch (e) {
      main.appendChild(head(c, back));
      main.appendChild(card(null, e instanceof ApiError && e.status === 404 ? noData(t('data.not_found')) : errorBox(e)));
      return;
    }
    if (!ctx.isCurrent()) return;
  } else if (!writable) {
    main.appendChild(head(c, back));
    main.appendChild(card(null, h('p', { text: t('data.read_only') })));
    return;
  }
  main.appendChild(head(c, back));
  const lifecycle = info.lifecycle;
  const initial = rec || (OWNER[c] && ctx.me.party_id ? { [OWNER[c]]: ctx.me.party_id } : {});
  const top = h('div', { class: 'error df-top', id: 'data-form-errors', role: 'alert', hidden: true });
  const banner = h('div', { class: 'data-banner', id: 'data-banner', hidden: true });
  const skip = lifecycle ? ['status'] : [];
  const root = control(info.node, '', initial, true, { skip, readonly: !writable });
  const submit = writable ? h('button', { type: 'submit', class: 'btn btn-primary', id: 'data-save', text: isNew ? t('data.create') : t('data.save') }) : null;
  const form = h('form', { class: 'data-form', id: 'data-form', novalidate: true, dataset: { collection: c } },
    top, root.el, submit ? h('div', { class: 'form-actions data-form-actions' }, submit) : null);
  const title = isNew ? t('data.new_title', { name: cname(c) }) : `${cname(c)} · ${rec.id}`;
  const side = [];
  if (rec) side.push(metaCard(rec));
  if (rec && lifecycle && rec.status) side.push(lifecycleCard(c, rec, banner, writable));
  main.appendChild(banner);
  main.appendChild(h('div', { class: side.length ? 'data-record' : 'data-record data-record-single' },
    h('section', { class: 'card data-form-card' }, h('h2', { class: 'card-title', text: title }), form),
    side.length ? h('div', { class: 'data-side' }, side) : null));

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!submit) return;
    banner.hidden = true;
    const problems = [];
    const body = root.get(problems).value || {};
    if (rec && lifecycle && rec.status) body.status = rec.status;
    if (problems.length) {
      showErrors(form, top, problems);
      toast(t('data.form_errors', { n: problems.length }), 'error');
      return;
    }
    clearErrors(form, top);
    submit.disabled = true;
    try {
      const saved = isNew
        ? await send(`/api/v1/${c}`, { method: 'POST', json: body })
        : await send(`/api/v1/${c}/${encodeURIComponent(rec.id)}`, { method: 'PUT', json: body, headers: { 'If-Match': `"${rec.version}"` } });
      toast(isNew ? t('data.created') : t('data.saved'));
      if (isNew) go({ c, id: saved.id });
      else window.dispatchEvent(new HashChangeEvent('hashchange'));
    } catch (e) {
      if (e instanceof ApiError && e.status === 412) {
        conflict(banner, rec.version);
      } else if (e instanceof ApiError && e.violations && e.violations.length) {
        const placed = showErrors(form, top, e.violations);
        if (placed < e.violations.length) top.prepend(h('p', { text: t('data.other_errors') }));
        toast(t('data.form_errors', { n: e.violations.length }), 'error');
      } else {
        top.hidden = false;
        top.appendChild(h('p', { text: errorText(e) }));
      }
    } finally {
      submit.disabled = false;
    }
  });
}

function conflict(banner, version) {
  clear(banner);
  banner.hidden = false;
  banner.className = 'data-banner error';
  banner.dataset.state = 'conflict';
  banner.appendChild(h('span', { text: t('data.conflict', { v: version }) }));
  banner.appendChild(h('button', { type: 'button', class: 'btn btn-small', id: 'data-reload', text: t('data.reload'),
    onclick: () => window.dispatchEvent(new HashChangeEvent('hashchange')) }));
  banner.scrollIntoView({ block: 'center' });
}

function metaCard(rec) {
  const rows = ['id', 'version', 'region', 'created_at', 'updated_at'].map((k) => [
    h('dt', { text: fieldLabel(k) }), h('dd', { dataset: { meta: k }, text: k.endsWith('_at') ? fmtDateTime(rec[k]) : String(rec[k] ?? '') })]);
  return h('section', { class: 'card' }, h('h2', { class: 'card-title', text: t('data.meta') }), h('dl', { class: 'kv' }, rows));
}

function lifecycleCard(c, rec, banner, writable) {
  const next = (NEXT[c] || {})[rec.status] || [];
  const buttons = writable ? next.map((s) => h('button', {
    type: 'button', class: `btn${s === 'cancelled' ? '' : ' btn-primary'}`, dataset: { to: s },
    text: t('data.to_status', { s: enumLabel('status', s) }),
    onclick: async (ev) => {
      ev.target.disabled = true;
      try {
        await send(`/api/v1/${c}/${encodeURIComponent(rec.id)}/status`, { method: 'POST', json: { status: s }, headers: { 'If-Match': `"${rec.version}"` } });
        toast(t('data.status_done', { s: enumLabel('status', s) }));
        window.dispatchEvent(new HashChangeEvent('hashchange'));
      } catch (e) {
        ev.target.disabled = false;
        if (e instanceof ApiError && e.status === 412) conflict(banner, rec.version);
        else toast(errorText(e), 'error');
      }
    },
  })) : [];
  return h('section', { class: 'card', id: 'data-lifecycle' }, h('h2', { class: 'card-title', text: t('data.lifecycle') }),
    h('p', null, statusBadge(rec.status)),
    buttons.length ? h('div', { class: 'data-lifecycle-buttons' }, buttons) : h('p', { class: 'muted small', text: t('data.no_next') }));
}
