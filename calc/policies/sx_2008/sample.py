"""The sample ledger of SX-2008 (workbooks/台账样例_SX-2008.xlsx): where it is set and how
its columns are laid out.  ``python -m workbooks.generate`` builds it; the people are invented."""

from calc.policies.base import SampleArea, SampleColumn, SampleLedger

FAM = "家庭情况"
UNEMP = "失业情况"
HAS = ("有", "无")

SAMPLE = SampleLedger(
    province="山西省",
    city="太原市",
    areas=(
        SampleArea("140106", "迎泽区", "柳巷街道", ("桥头社区", "新民社区", "柳溪社区")),
        SampleArea("140105", "小店区", "坞城街道", ("坞城社区", "双塔社区")),
        SampleArea("140107", "杏花岭区", "巨轮街道", ("巨轮社区",)),
    ),
    columns=(
        SampleColumn("序号", None, width=5),
        SampleColumn("姓名", "name", width=8),
        SampleColumn("性别", "sex", width=5),
        SampleColumn("身份证号码", "id_number", width=20),
        SampleColumn("出生日期", "birth_date", width=11),
        SampleColumn("户口性质", "household_registration", width=8),
        SampleColumn("户籍地", "registered_place", width=16),
        SampleColumn("家庭编号", "household_id", width=9),
        SampleColumn("与户主关系", "relation", width=7),
        SampleColumn("婚姻状况", "marital_status", width=7),
        SampleColumn("所属街道", "street"),
        SampleColumn("所属社区", "community"),
        SampleColumn("现住址", "address", width=22),
        SampleColumn("联系电话", "phone", width=12),
        SampleColumn("原单位性质", "former_employer_type", width=8),
        SampleColumn("人员身份", "separation_type", width=8),
        SampleColumn("失业日期", "unemployment_date", group=UNEMP, width=11),
        SampleColumn("失业登记日期", "unemployment_registration_date", group=UNEMP, width=11),
        SampleColumn("是否享受低保", "minimum_allowance", width=7),
        SampleColumn("家庭人口", "household_size", group=FAM, width=6),
        SampleColumn("家庭月收入", "household_income", group=FAM, width=8),
        SampleColumn("就业状态", "employment_status", width=8),
        SampleColumn("就业形式", "employment_type", width=9),
        SampleColumn("就业日期", "employment_date", width=11),
        SampleColumn("就业单位", "employer", width=18),
        SampleColumn("技能特长", "skills", width=8),
        SampleColumn("就业意愿", "wishes", width=9),
        SampleColumn("认定日期", "first_approval_date", width=11),
        SampleColumn("最近申报日期", "last_report_date", width=11),
        SampleColumn("推荐未上岗次数", "refused_posts", width=6),
        SampleColumn("自愿放弃", "gave_up", width=6),
        SampleColumn("其他就业困难人员", "locally_designated", width=8),
        SampleColumn("援助责任人", "officer", width=8),
        SampleColumn("责任人电话", "officer_phone", width=13),
        SampleColumn("享受政策情况", "policies_enjoyed", width=14),
        SampleColumn("备注", None, width=12),
    ),
    seed=2008,
    households=150,
    allowance_standard=720,
    office="太原市迎泽区柳巷街道劳动保障事务所",
    bureau="太原市迎泽区人力资源和社会保障局",
    basis="样例：太原市人民政府公布标准（示例数据，请按当地文件修改）",
    title="太原市迎泽区柳巷街道就业困难人员基础台账",
)
