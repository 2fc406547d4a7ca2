"""The sample ledger of JS-2002 (workbooks/台账样例_JS-2002.xlsx): where it is set and how
its columns are laid out.  ``python -m workbooks.generate`` builds it; the people are invented."""

from calc.policies.base import SampleArea, SampleColumn, SampleLedger

FAM = "家庭情况"
UNEMP = "失业情况"
HAS = ("有", "无")

SAMPLE = SampleLedger(
    province="江苏省",
    city="南京市",
    areas=(
        SampleArea("320102", "玄武区", "玄武门街道", ("百子亭社区", "台城社区")),
        SampleArea("320104", "秦淮区", "夫子庙街道", ("钞库街社区", "贡院社区")),
        SampleArea("320106", "鼓楼区", "湖南路街道", ("马台街社区", "高云岭社区")),
    ),
    columns=(
        SampleColumn("序号", None, width=5),
        SampleColumn("姓名", "name", width=8),
        SampleColumn("性别", "sex", width=5),
        SampleColumn("公民身份号码", "id_number", width=20),
        SampleColumn("出生年月日", "birth_date", width=11),
        SampleColumn("户籍性质", "household_registration", width=8),
        SampleColumn("户号", "household_id", width=9),
        SampleColumn("与户主关系", "relation", width=7),
        SampleColumn("婚姻状况", "marital_status", width=7),
        SampleColumn("抚养未成年子女或赡养老人", "supports_dependants"),
        SampleColumn("街道", "street"),
        SampleColumn("社区", "community"),
        SampleColumn("家庭住址", "address", width=22),
        SampleColumn("联系电话", "phone", width=12),
        SampleColumn("原单位性质", "former_employer_type", width=8),
        SampleColumn("下岗失业类型", "separation_type", width=8),
        SampleColumn("下岗日期", "unemployment_date", group=UNEMP, width=11),
        SampleColumn("失业登记日期", "unemployment_registration_date", group=UNEMP, width=11),
        SampleColumn("求职登记日期", "jobseeking_date", width=11),
        SampleColumn("家庭人口", "household_size", group=FAM, width=6),
        SampleColumn("家庭月收入", "household_income", group=FAM, width=8),
        SampleColumn("有无其他稳定收入", "other_stable_income", width=8, bool_words=HAS),
        SampleColumn("技能偏低", "low_skill", width=6),
        SampleColumn("有无劳动能力", "able_to_work", width=6, bool_words=HAS),
        SampleColumn("就业愿望", "wants_work", width=6, bool_words=HAS),
        SampleColumn("不挑剔岗位", "accepts_any_post", width=6),
        SampleColumn("就业情况", "employment_status", width=8),
        SampleColumn("就业形式", "employment_type", width=9),
        SampleColumn("就业日期", "employment_date", width=11),
        SampleColumn("初次核定日期", "first_approval_date", width=11),
        SampleColumn("最近年审日期", "annual_review_date", width=11),
        SampleColumn("帮扶责任人", "officer", width=8),
        SampleColumn("帮扶责任人电话", "officer_phone", width=13),
        SampleColumn("备注", None, width=12),
    ),
    seed=2002,
    households=150,
    allowance_standard=900,
    office="南京市秦淮区夫子庙街道劳动保障所",
    bureau="南京市秦淮区人力资源和社会保障局",
    basis="样例：南京市民政局、人社局公布标准（示例数据，请按当地文件修改）",
    title="南京市秦淮区夫子庙街道再就业援助重点对象登记台账",
)
