"""The sample ledger of AH-2011 (workbooks/台账样例_AH-2011.xlsx): where it is set and how
its columns are laid out.  ``python -m workbooks.generate`` builds it; the people are invented."""

from calc.policies.base import SampleArea, SampleColumn, SampleLedger

FAM = "家庭情况"
UNEMP = "失业情况"
HAS = ("有", "无")

SAMPLE = SampleLedger(
    province="安徽省",
    city="合肥市",
    areas=(
        SampleArea("340102", "瑶海区", "明光路街道", ("东七里站社区", "胜利社区")),
        SampleArea("340103", "庐阳区", "逍遥津街道", ("桐城路社区", "安庆路社区")),
        SampleArea("340111", "包河区", "芜湖路街道", ("龙河路社区",)),
    ),
    columns=(
        SampleColumn("序号", None, width=5),
        SampleColumn("姓名", "name", width=8),
        SampleColumn("性别", "sex", width=5),
        SampleColumn("公民身份证号码", "id_number", width=20),
        SampleColumn("出生日期", "birth_date", width=11),
        SampleColumn("户口类型", "household_registration", width=8),
        SampleColumn("家庭编号", "household_id", width=9),
        SampleColumn("与户主关系", "relation", width=7),
        SampleColumn("街道（乡镇）", "street"),
        SampleColumn("社区（居委会）", "community"),
        SampleColumn("现居住地址", "address", width=22),
        SampleColumn("联系方式", "phone", width=12),
        SampleColumn("原单位性质", "former_employer_type", width=8),
        SampleColumn("人员身份", "separation_type"),
        SampleColumn("失业日期", "unemployment_date", group=UNEMP, width=11),
        SampleColumn("就业失业登记日期", "unemployment_registration_date", group=UNEMP, width=11),
        SampleColumn("享受城市低保", "minimum_allowance", width=6),
        SampleColumn("残疾人", "disabled", width=6),
        SampleColumn("失地人员", "landless", width=6),
        SampleColumn("困难家庭高校毕业生", "poor_graduate", width=8),
        SampleColumn("毕业年度高校毕业生", "graduate_this_year", width=8),
        SampleColumn("零转移就业农户", "rural_zero_transfer", width=7),
        SampleColumn("享受农村低保", "rural_allowance", width=6),
        SampleColumn("其他就业困难人员", "locally_designated", width=8),
        SampleColumn("家庭人口", "household_size", group=FAM, width=6),
        SampleColumn("家庭月收入", "household_income", group=FAM, width=8),
        SampleColumn("就业状态", "employment_status", width=8),
        SampleColumn("就业形式", "employment_type", width=9),
        SampleColumn("就业日期", "employment_date", width=11),
        SampleColumn("劳动合同期限", "contract_years", width=7),
        SampleColumn("子女就读技工院校", "child_in_technical_school", width=8),
        SampleColumn("初次核定日期", "first_approval_date", width=11),
        SampleColumn("最近年审日期", "annual_review_date", width=11),
        SampleColumn("自愿放弃", "gave_up", width=6),
        SampleColumn("包保责任人", "officer", width=8),
        SampleColumn("责任人电话", "officer_phone", width=13),
        SampleColumn("备注", None, width=12),
    ),
    seed=2011,
    households=150,
    allowance_standard=800,
    office="合肥市庐阳区逍遥津街道劳动保障事务所",
    bureau="合肥市庐阳区人力资源和社会保障局",
    basis="样例：合肥市人民政府公布标准（示例数据，请按当地文件修改）",
    title="合肥市庐阳区逍遥津街道就业援助对象台账",
)
