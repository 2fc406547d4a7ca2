"""The parameters the packs declare: names for validating a 参数 sheet, and docs/parameters.md.

Two kinds, both dated and cited:

- numbers written into the clauses themselves (3次, 半年, 3年, 不足5年, 2年,
  20,000元, 500元, 1,000元, 2008-12-31, 7日, 一个月): the pack's value is the
  text, the source is the clause (``calc.policies.local_parameters.written``);
- amounts the texts leave to local government: example defaults, marked as
  such (``calc.params.example``).

An office whose province amended a clause, or whose city set its own amount,
adds a row to the workbook's 参数 sheet (名称, 数值, 生效日期, 依据[, 政策]).
``docs/parameters.md`` is generated from the packs: ``python -m calc.policies.catalogue``.
"""

from __future__ import annotations

from calc.policies import list_policies


def known_parameter_names(policy: str | None = None) -> frozenset[str]:
    """Every parameter name a pack reads (one pack, with the packs it extends, or all)."""
    from calc.policies import get_policy

    packs = [get_policy(policy)] if policy else list_policies()
    names: set[str] = set()
    for pack in packs:
        names.update(pack.parameters)
    return frozenset(names)


def _value(value: object) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def parameters_markdown() -> str:
    lines = [
        "# 参数（政策包声明的参数）",
        "",
        "由 `python -m calc.policies.catalogue` 生成，请勿手改。",
        "",
        "“文件规定”的数值是条款本身写明的数字（如“超过3次”“半年”“最长不超过3年”），"
        "依据栏注明条款；“示例默认值”是文件留给地方确定的金额、比例等，须按当地文件修改。"
        "省里修订了条款或地方另有规定的，在工作簿“参数”表中增加一行"
        "（名称、数值、生效日期、依据[、政策]），无需改程序。"
        "期限类参数按初次核定之日有效的数值计算；初次核定早于文件发布的，按文件发布时的数值。",
        "",
    ]
    for pack in list_policies():
        own = [p for p in pack.own_parameters]
        lines += [f"## {pack.code} {pack.citation}", ""]
        if pack.extends is not None:
            lines += [f"另适用 {pack.extends} 的全部参数；下列参数以本文件为准。", ""]
        lines += ["| 名称 | 数值 | 单位 | 生效日期 | 类别 | 依据 |", "|---|---|---|---|---|---|"]
        for p in sorted(own, key=lambda p: (p.example, p.name)):
            kind = "示例默认值" if p.example else "文件规定"
            source = p.source.replace("|", "｜")
            lines.append(
                f"| {p.name} | {_value(p.value)} | {p.unit} | {p.effective_from.isoformat()} "
                f"| {kind} | {source} |"
            )
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    print(parameters_markdown(), end="")
