"""Strings of the per-department, per-window and per-clerk tables, the period comparison
(同比 / 环比) and `clerk report years` (docs/REPORTS.md)."""

STRINGS = {
    "report.kind.years": ("历年汇总", "Years summary"),
    "report.generated_years": ("统计时间 {at}（不含已作废办件）", "As of {at} (voided cases left out)"),
    "report.bad_years": (
        "年份范围 {first}–{last} 无效（起始不晚于结束，最多 {most} 年）",
        "Years {first}–{last} are not a range (from ≤ to, at most {most} years)",
    ),
    "report.not_recorded": ("未登记", "Not recorded"),
    "report.points": ("{value}个百分点", "{value} pp"),
    # tables
    "report.t.by_department": ("分部门办件", "Cases by department"),
    "report.t.by_window": ("分窗口", "By window"),
    "report.t.by_window_count": ("{title}（窗口数 {count}）", "{title} ({count} windows served)"),
    "report.t.by_clerk": ("分人员", "By clerk"),
    "report.t.compare_previous": ("环比（{now} 与上月 {before}）", "Month on month ({now} vs {before})"),
    "report.t.compare_year": ("同比（{now} 与上年同期 {before}）", "Year on year ({now} vs {before})"),
    "report.t.years": ("历年汇总", "Year by year"),
    # columns
    "report.c.window": ("窗口", "Window"),
    "report.c.clerk_no": ("工号", "Clerk"),
    "report.c.on_time": ("按时办结", "On time"),
    "report.c.late": ("超期办结", "Late"),
    "report.c.on_time_rate": ("按时办结率", "On-time rate"),
    "report.c.overdue": ("逾期未办结(当前)", "Overdue now"),
    "report.c.rated": ("评价数", "Rated"),
    "report.c.satisfied": ("满意数", "Satisfied"),
    "report.c.satisfaction": ("满意率", "Satisfaction"),
    "report.c.current": ("本期", "This period"),
    "report.c.previous": ("对比期", "Compared with"),
    "report.c.change": ("增减", "Change"),
    "report.c.growth": ("增长率", "Growth"),
    "report.c.year": ("年份", "Year"),
    "report.c.on_the_spot_share": ("即办件占比", "On-the-spot share"),
    "report.c.tickets_issued": ("取号数", "Tickets issued"),
    "report.c.tickets_served": ("叫号办结", "Tickets served"),
    # headline figures (comparison rows)
    "report.h.cases": ("办件总数", "Cases"),
    "report.h.on_the_spot": ("即办件", "On the spot"),
    "report.h.promised": ("承诺件", "Promised"),
    "report.h.on_the_spot_share": ("即办件占比", "On-the-spot share"),
    "report.h.on_time": ("按时办结", "Completed on time"),
    "report.h.late": ("超期办结", "Completed late"),
    "report.h.on_time_rate": ("按时办结率", "On-time rate"),
    "report.h.rated": ("评价数", "Ratings"),
    "report.h.satisfaction": ("满意率", "Satisfaction"),
    "report.h.tickets_issued": ("取号数", "Tickets issued"),
    "report.h.tickets_served": ("办结（叫号）", "Tickets served"),
    # summary
    "report.s.breakdown": ("窗口", "Windows"),
    "report.f.windows_served": ("窗口数（本期办理过）", "Windows that served"),
    "report.f.clerks_served": ("人员数（本期办理过）", "Clerks who served"),
    # screen
    "reports.tab.groups": ("分组", "Groups"),
    "reports.tab.compare": ("同比", "Change"),
    "reports.compare_none": ("日报不作同比、环比", "A daily report has no comparison"),
}
