"""The sample ledger of LYG-2003 (workbooks/台账样例_LYG-2003.xlsx): where it is set and how
its columns are laid out.  ``python -m workbooks.generate`` builds it; the people are invented."""

from calc.policies.base import SampleArea, SampleColumn, SampleLedger
from calc.policies.js_2002.sample import SAMPLE as JS_SAMPLE

SAMPLE = SampleLedger(
    province="江苏省",
    city="连云港市",
    areas=(
        SampleArea("320706", "海州区", "海州街道", ("幸福社区", "鼓楼社区")),
        SampleArea("320703", "连云区", "墟沟街道", ("海滨社区", "港城社区")),
        SampleArea("320707", "赣榆区", "青口镇", ("城南社区",)),
    ),
    # JS-2002's ledger with the columns that LYG-2003's own measures read
    # before the officer and the remarks
    columns=(
        *JS_SAMPLE.columns[:-3],
        SampleColumn("特困群体", "special_hardship", width=6),
        SampleColumn("社区新项目安置", "community_project", width=7),
        SampleColumn("劳动合同期限", "contract_years", width=7),
        SampleColumn("按时缴纳社保", "si_paid_on_time", width=7),
        *JS_SAMPLE.columns[-3:],
    ),
    seed=200397,
    households=140,
    allowance_standard=850,
    office="连云港市海州区海州街道劳动保障所",
    bureau="连云港市海州区人力资源和社会保障局",
    basis="样例：连云港市民政局公布标准（示例数据，请按当地文件修改）",
    title="连云港市海州区海州街道社区就业再就业援助对象台账",
)
