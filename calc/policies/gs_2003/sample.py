"""The sample ledger of GS-2003 (workbooks/台账样例_GS-2003.xlsx): where it is set and how
its columns are laid out.  ``python -m workbooks.generate`` builds it; the people are invented."""

from calc.policies.base import SampleArea, SampleColumn, SampleLedger

FAM = "家庭情况"
UNEMP = "失业情况"
HAS = ("有", "无")

SAMPLE = SampleLedger(
    province="甘肃省",
    city="兰州市",
    areas=(
        SampleArea("620102", "城关区", "张掖路街道", ("金塔巷社区", "永昌路社区")),
        SampleArea("620103", "七里河区", "西园街道", ("西站社区", "五里铺社区")),
        SampleArea("620105", "安宁区", "培黎街道", ("万新路社区",)),
    ),
    columns=(
        SampleColumn("序号", None, width=5),
        SampleColumn("姓名", "name", width=8),
        SampleColumn("性别", "sex", width=5),
        SampleColumn("身份证号", "id_number", width=20),
        SampleColumn("出生日期", "birth_date", width=11),
        SampleColumn("户籍类别", "household_registration", width=8),
        SampleColumn("家庭号", "household_id", width=9),
        SampleColumn("家庭关系", "relation", width=7),
        SampleColumn("街道办事处", "street"),
        SampleColumn("社区名称", "community"),
        SampleColumn("居住地址", "address", width=22),
        SampleColumn("手机", "phone", width=12),
        SampleColumn("原单位所有制", "former_employer_type", width=8),
        SampleColumn("人员类别", "separation_type", width=8),
        SampleColumn("失业时间", "unemployment_date", group=UNEMP, width=11),
        SampleColumn("登记失业日期", "unemployment_registration_date", group=UNEMP, width=11),
        SampleColumn("城市低保", "minimum_allowance", width=6),
        SampleColumn("有劳动能力", "able_to_work", width=6),
        SampleColumn("有就业愿望", "wants_work", width=6),
        SampleColumn("家庭人数", "household_size", group=FAM, width=6),
        SampleColumn("家庭月总收入", "household_income", group=FAM, width=8),
        SampleColumn("就业状况", "employment_status", width=8),
        SampleColumn("就业方式", "employment_type", width=9),
        SampleColumn("上岗日期", "employment_date", width=11),
        SampleColumn("再就业优惠证", "holds_reemployment_card", width=7, bool_words=HAS),
        SampleColumn("首次认定日期", "first_approval_date", width=11),
        SampleColumn("责任人", "officer", width=8),
        SampleColumn("援助责任人电话", "officer_phone", width=13),
        SampleColumn("备注", None, width=12),
    ),
    seed=2003,
    households=140,
    allowance_standard=780,
    office="兰州市城关区张掖路街道劳动保障服务站",
    bureau="兰州市城关区人力资源和社会保障局",
    basis="样例：兰州市人民政府公布标准（示例数据，请按当地文件修改）",
    title="兰州市城关区张掖路街道“4050”及低保人员再就业台账",
)
