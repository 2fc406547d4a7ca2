// 由 xl_addin/wps_install.py 生成（python -m xl_addin.wps_install --regenerate），请勿手改。
// 每个函数把参数交给本机 jyyz 服务，由同名的 Python 函数计算（与 Excel 的 =JY_… 相同）。
// 在 WPS 表格中写作 =JYYZ.函数名(…)，例如 =JYYZ.JY_ID(A2)。

/**
 * 周岁年龄：按公历年月日计算，生日当天满周岁；可填出生日期或身份证号码。
 * @customfunction
 * @param {any[][]} birth_or_id - 出生日期或公民身份号码（单元格或整列区域）
 * @param {any[][]} [as_of] - 计算年龄的日期（可省略，省略为今天；可为单个日期或与第一个参数同样大小的区域）
 * @returns {any} - 结果（出错时为“错误：……”）
 */
function JY_AGE(birth_or_id, as_of) {
    return Jyyz.cellFunction("JY_AGE", arguments);
}

/**
 * 整本台账一次认定（按家庭编号识别同户人员），溢出为表格：认定类别、认定结论、是否符合、可享受政策、补贴期限截止、时限提醒、认定依据、数据问题。
 * @customfunction
 * @param {any} policy - 政策代码：JS-2002、SX-2008、GS-2003、LYG-2003、AH-2011
 * @param {any[][]} table - 整个台账区域，第一行为表头（如 A1:T5000）；空行输出空行，与台账逐行对齐
 * @param {any} [as_of] - 认定基准日期（可省略，省略为今天）
 * @param {any[][]} [param_table] - 参数表区域（名称、数值、生效日期、依据[、政策]），可省略，省略时用政策包的示例默认值
 * @returns {any} - 结果（出错时为“错误：……”）
 */
function JY_ASSESS(policy, table, as_of, param_table) {
    return Jyyz.cellFunction("JY_ASSESS", arguments);
}

/**
 * 本人可享受的扶持政策（如公益性岗位补贴、社会保险补贴），多个用“、”连接。
 * @customfunction
 * @param {any} policy - 政策代码：JS-2002、SX-2008、GS-2003、LYG-2003、AH-2011
 * @param {any[][]} headers - 台账的表头行（如 $A$1:$T$1），按表头名称识别各列，列的顺序不限
 * @param {any[][]} row - 本人所在的数据行（如 A2:T2）；也可选多行（如 A2:T500），一次算出整列
 * @param {any} [as_of] - 认定基准日期（可省略，省略为今天）
 * @param {any[][]} [param_table] - 参数表区域（名称、数值、生效日期、依据[、政策]），可省略，省略时用政策包的示例默认值
 * @returns {any} - 结果（出错时为“错误：……”）
 */
function JY_BENEFITS(policy, headers, row, as_of, param_table) {
    return Jyyz.cellFunction("JY_BENEFITS", arguments);
}

/**
 * 认定类别（如“4050”人员、零就业家庭成员），多个用“、”连接；不属于任何类别时为空。
 * @customfunction
 * @param {any} policy - 政策代码：JS-2002、SX-2008、GS-2003、LYG-2003、AH-2011
 * @param {any[][]} headers - 台账的表头行（如 $A$1:$T$1），按表头名称识别各列，列的顺序不限
 * @param {any[][]} row - 本人所在的数据行（如 A2:T2）；也可选多行（如 A2:T500），一次算出整列
 * @param {any} [as_of] - 认定基准日期（可省略，省略为今天）
 * @param {any[][]} [param_table] - 参数表区域（名称、数值、生效日期、依据[、政策]），可省略，省略时用政策包的示例默认值
 * @returns {any} - 结果（出错时为“错误：……”）
 */
function JY_CATEGORY(policy, headers, row, as_of, param_table) {
    return Jyyz.cellFunction("JY_CATEGORY", arguments);
}

/**
 * 公文格式日期（GB/T 9704-2012：年份写全，月、日不编虚位），如“2026年11月22日”。
 * @customfunction
 * @param {any[][]} day - 日期（单元格或整列区域）：日期、Excel序列号或文本日期
 * @returns {any} - 结果（出错时为“错误：……”）
 */
function JY_DATE_CN(day) {
    return Jyyz.cellFunction("JY_DATE_CN", arguments);
}

/**
 * 政策规定的时限日期：如零就业家庭实现就业的目标日期、下次年审日期、资格失效日期。
 * @customfunction
 * @param {any} policy - 政策代码：JS-2002、SX-2008、GS-2003、LYG-2003、AH-2011
 * @param {any} item - 时限事项名称，如“零就业家庭援助时限”“年审”（可用事项见错误提示）
 * @param {any[][]} start_date - 起算日期（单元格或整列区域）
 * @param {any[][]} [param_table] - 参数表区域（名称、数值、生效日期、依据[、政策]），可省略，省略时用政策包的示例默认值；用于条款中的天数、月数（如“7日”“一个月”）
 * @returns {any} - 结果（出错时为“错误：……”）
 */
function JY_DEADLINE(policy, item, start_date, param_table) {
    return Jyyz.cellFunction("JY_DEADLINE", arguments);
}

/**
 * 是否符合就业援助对象认定条件：TRUE 或 FALSE（待核实、资格终止均为 FALSE，原因见 JY_WHY）。
 * @customfunction
 * @param {any} policy - 政策代码：JS-2002、SX-2008、GS-2003、LYG-2003、AH-2011
 * @param {any[][]} headers - 台账的表头行（如 $A$1:$T$1），按表头名称识别各列，列的顺序不限
 * @param {any[][]} row - 本人所在的数据行（如 A2:T2）；也可选多行（如 A2:T500），一次算出整列
 * @param {any} [as_of] - 认定基准日期（可省略，省略为今天）
 * @param {any[][]} [param_table] - 参数表区域（名称、数值、生效日期、依据[、政策]），可省略，省略时用政策包的示例默认值
 * @returns {any} - 结果（出错时为“错误：……”）
 */
function JY_ELIGIBLE(policy, headers, row, as_of, param_table) {
    return Jyyz.cellFunction("JY_ELIGIBLE", arguments);
}

/**
 * 规范化公民身份号码：去掉空格和连字符、全角转半角、15位转18位，返回18位号码；号码有误时返回“错误：原因”。
 * @customfunction
 * @param {any[][]} id - 公民身份号码（单元格或整列区域），18位或15位
 * @returns {any} - 结果（出错时为“错误：……”）
 */
function JY_ID(id) {
    return Jyyz.cellFunction("JY_ID", arguments);
}

/**
 * 从公民身份号码取出生日期（第7–14位），返回日期。
 * @customfunction
 * @param {any[][]} id - 公民身份号码（单元格或整列区域），18位或15位
 * @returns {any} - 结果（出错时为“错误：……”）
 */
function JY_ID_BIRTH(id) {
    return Jyyz.cellFunction("JY_ID_BIRTH", arguments);
}

/**
 * 校验公民身份号码（GB 11643-1999：位数、字符、省份代码、出生日期、第18位校验码）：正确返回空文本，错误返回原因。
 * @customfunction
 * @param {any[][]} id - 公民身份号码（单元格或整列区域），18位或15位
 * @returns {any} - 结果（出错时为“错误：……”）
 */
function JY_ID_CHECK(id) {
    return Jyyz.cellFunction("JY_ID_CHECK", arguments);
}

/**
 * 从公民身份号码取性别（第17位奇数为男、偶数为女），返回“男”或“女”。
 * @customfunction
 * @param {any[][]} id - 公民身份号码（单元格或整列区域），18位或15位
 * @returns {any} - 结果（出错时为“错误：……”）
 */
function JY_ID_SEX(id) {
    return Jyyz.cellFunction("JY_ID_SEX", arguments);
}

/**
 * 公示用的遮蔽身份证号码（依据《个人信息保护法》），默认隐藏出生日期：110105********002X。
 * @customfunction
 * @param {any[][]} id - 公民身份号码（单元格或整列区域），18位或15位
 * @param {any} [pattern] - 遮蔽格式（可省略）：18个字符，“#”保留该位，其他字符代替该位；默认 ######********####
 * @returns {any} - 结果（出错时为“错误：……”）
 */
function JY_MASK_ID(id, pattern) {
    return Jyyz.cellFunction("JY_MASK_ID", arguments);
}

/**
 * 某政策在某日有效的参数值：参数表中有该参数时以参数表为准（取生效日期不晚于该日的最新一行），否则用政策包的示例默认值。
 * @customfunction
 * @param {any} policy - 政策代码：JS-2002、SX-2008、GS-2003、LYG-2003、AH-2011
 * @param {any} name - 参数名称，如“公益性岗位补贴标准”“补贴期限（年）”
 * @param {any} [on_date] - 在哪一天有效（可省略，省略为今天）
 * @param {any[][]} [param_table] - 参数表区域（名称、数值、生效日期、依据[、政策]），可省略，省略时用政策包的示例默认值
 * @returns {any} - 结果（出错时为“错误：……”）
 */
function JY_PARAM(policy, name, on_date, param_table) {
    return Jyyz.cellFunction("JY_PARAM", arguments);
}

/**
 * 补贴享受期限的最后一天：按政策条款（如 SX-2008 三(四)、AH-2011 (八) 距退休不足5年延长至退休）或当地参数“补贴期限（年）”。
 * @customfunction
 * @param {any} policy - 政策代码：JS-2002、SX-2008、GS-2003、LYG-2003、AH-2011
 * @param {any} benefit - 待遇名称，如“公益性岗位补贴”“社会保险补贴”
 * @param {any[][]} first_approved - 初次核定日期（单元格或整列区域）
 * @param {any[][]} birth_or_id - 出生日期或公民身份号码（单元格或整列区域）
 * @param {any[][]} [sex] - 性别（填身份证号码时可省略）
 * @param {any[][]} [original_age] - 原法定退休年龄（可省略）：男60；女50或55
 * @param {any[][]} [param_table] - 参数表区域（名称、数值、生效日期、依据[、政策]），可省略，省略时用政策包的示例默认值；用于“补贴期限（年）”
 * @returns {any} - 结果（出错时为“错误：……”）
 */
function JY_PERIOD_END(policy, benefit, first_approved, birth_or_id, sex, original_age, param_table) {
    return Jyyz.cellFunction("JY_PERIOD_END", arguments);
}

/**
 * 列出可用的政策文件（溢出为表格）：政策代码、文件名称、文号、发布日期。
 * @customfunction
 * @returns {any} - 结果（出错时为“错误：……”）
 */
function JY_POLICIES() {
    return Jyyz.cellFunction("JY_POLICIES", arguments);
}

/**
 * 法定退休年龄（2025年渐进式延迟退休办法），如“60岁3个月”。
 * @customfunction
 * @param {any[][]} birth_or_id - 出生日期或公民身份号码（单元格或整列区域）
 * @param {any[][]} [sex] - 性别“男”或“女”（填身份证号码时可省略）
 * @param {any[][]} [original_age] - 原法定退休年龄（可省略）：男60；女50（工人，默认）或55（干部）
 * @returns {any} - 结果（出错时为“错误：……”）
 */
function JY_RETIRE_AGE(birth_or_id, sex, original_age) {
    return Jyyz.cellFunction("JY_RETIRE_AGE", arguments);
}

/**
 * 法定退休日期：按2025年起施行的渐进式延迟法定退休年龄办法（对照表1–3）计算。
 * @customfunction
 * @param {any[][]} birth_or_id - 出生日期或公民身份号码（单元格或整列区域）
 * @param {any[][]} [sex] - 性别“男”或“女”（填身份证号码时可省略）
 * @param {any[][]} [original_age] - 原法定退休年龄（可省略）：男60；女50（工人，默认）或55（干部）
 * @returns {any} - 结果（出错时为“错误：……”）
 */
function JY_RETIRE_DATE(birth_or_id, sex, original_age) {
    return Jyyz.cellFunction("JY_RETIRE_DATE", arguments);
}

/**
 * 人民币大写金额（《会计基础工作规范》第五十二条），如“人民币壹仟元整”。
 * @customfunction
 * @param {any[][]} amount - 金额（元），数字或“1,000.00”之类的文本；单元格或整列区域
 * @returns {any} - 结果（出错时为“错误：……”）
 */
function JY_RMB(amount) {
    return Jyyz.cellFunction("JY_RMB", arguments);
}

/**
 * [起始日期, 截止日期] 内、在享受期内的各自然月应发补贴金额（元），按每月有效的参数标准计算；不享受时为0。
 * @customfunction
 * @param {any} policy - 政策代码：JS-2002、SX-2008、GS-2003、LYG-2003、AH-2011
 * @param {any} benefit - 待遇名称，如“公益性岗位补贴”“社会保险补贴”
 * @param {any[][]} headers - 台账的表头行（如 $A$1:$T$1），按表头名称识别各列，列的顺序不限
 * @param {any[][]} row - 本人所在的数据行（如 A2:T2）；也可选多行（如 A2:T500），一次算出整列
 * @param {any[][]} from_date - 所查区间的起始日期（含）
 * @param {any[][]} to_date - 所查区间的截止日期（含）
 * @param {any[][]} [param_table] - 参数表区域（名称、数值、生效日期、依据[、政策]），可省略，省略时用政策包的示例默认值
 * @returns {any} - 结果（出错时为“错误：……”）
 */
function JY_SUBSIDY(policy, benefit, headers, row, from_date, to_date, param_table) {
    return Jyyz.cellFunction("JY_SUBSIDY", arguments);
}

/**
 * 认定依据：结论及所依据的政策条款和数值（如“符合 SX-2008 一(一)“4050”人员：女，45周岁…”），有数据问题时一并列出。
 * @customfunction
 * @param {any} policy - 政策代码：JS-2002、SX-2008、GS-2003、LYG-2003、AH-2011
 * @param {any[][]} headers - 台账的表头行（如 $A$1:$T$1），按表头名称识别各列，列的顺序不限
 * @param {any[][]} row - 本人所在的数据行（如 A2:T2）；也可选多行（如 A2:T500），一次算出整列
 * @param {any} [as_of] - 认定基准日期（可省略，省略为今天）
 * @param {any[][]} [param_table] - 参数表区域（名称、数值、生效日期、依据[、政策]），可省略，省略时用政策包的示例默认值
 * @returns {any} - 结果（出错时为“错误：……”）
 */
function JY_WHY(policy, headers, row, as_of, param_table) {
    return Jyyz.cellFunction("JY_WHY", arguments);
}

/**
 * 与 Excel 的 WORKDAY 相同，但按国务院办公厅节假日安排计算法定节假日和调休上班日。
 * @customfunction
 * @param {any[][]} start - 起始日期（单元格或整列区域），起始日不计入
 * @param {any[][]} days - 工作日天数，可为负数（向前推算）；单个数或与起始日期同样大小的区域
 * @param {any[][]} [holiday_table] - 工作日调整表（可省略）：两列“日期、是否工作日（上班/休息）”，覆盖国家放假安排
 * @returns {any} - 结果（出错时为“错误：……”）
 */
function JY_WORKDAY(start, days, holiday_table) {
    return Jyyz.cellFunction("JY_WORKDAY", arguments);
}

if (typeof wps !== "undefined" && wps && wps.AddCustomFunction) {
    wps.AddCustomFunction("JYYZ", "JY_AGE", JY_AGE);
    wps.AddCustomFunction("JYYZ", "JY_ASSESS", JY_ASSESS);
    wps.AddCustomFunction("JYYZ", "JY_BENEFITS", JY_BENEFITS);
    wps.AddCustomFunction("JYYZ", "JY_CATEGORY", JY_CATEGORY);
    wps.AddCustomFunction("JYYZ", "JY_DATE_CN", JY_DATE_CN);
    wps.AddCustomFunction("JYYZ", "JY_DEADLINE", JY_DEADLINE);
    wps.AddCustomFunction("JYYZ", "JY_ELIGIBLE", JY_ELIGIBLE);
    wps.AddCustomFunction("JYYZ", "JY_ID", JY_ID);
    wps.AddCustomFunction("JYYZ", "JY_ID_BIRTH", JY_ID_BIRTH);
    wps.AddCustomFunction("JYYZ", "JY_ID_CHECK", JY_ID_CHECK);
    wps.AddCustomFunction("JYYZ", "JY_ID_SEX", JY_ID_SEX);
    wps.AddCustomFunction("JYYZ", "JY_MASK_ID", JY_MASK_ID);
    wps.AddCustomFunction("JYYZ", "JY_PARAM", JY_PARAM);
    wps.AddCustomFunction("JYYZ", "JY_PERIOD_END", JY_PERIOD_END);
    wps.AddCustomFunction("JYYZ", "JY_POLICIES", JY_POLICIES);
    wps.AddCustomFunction("JYYZ", "JY_RETIRE_AGE", JY_RETIRE_AGE);
    wps.AddCustomFunction("JYYZ", "JY_RETIRE_DATE", JY_RETIRE_DATE);
    wps.AddCustomFunction("JYYZ", "JY_RMB", JY_RMB);
    wps.AddCustomFunction("JYYZ", "JY_SUBSIDY", JY_SUBSIDY);
    wps.AddCustomFunction("JYYZ", "JY_WHY", JY_WHY);
    wps.AddCustomFunction("JYYZ", "JY_WORKDAY", JY_WORKDAY);
}
