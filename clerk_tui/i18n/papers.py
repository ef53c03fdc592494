"""The papers a window hands over (services.papers), their screen and the hall's printers."""

STRINGS = {
    # --- paper titles (`notice.title.<kind>`: `clerk notice list` names every kind this way) ---
    "notice.title.acceptance": ("受理通知书", "Acceptance receipt"),
    "notice.title.pledge": ("容缺受理承诺书", "容缺 pledge"),
    "notice.title.refusal": ("不予受理通知书", "Notice of refusal"),
    "notice.title.collection": ("办结领取通知书", "Ready for collection"),
    "notice.title.materials": ("材料接收清单", "Materials received"),
    # --- fields ---
    "papers.limit_working_days": ("{n}个工作日", "{n} working day(s)"),
    "papers.limit_days": ("{n}日", "{n} day(s)"),
    "papers.by_e_licence": ("电子证照", "e-licence"),
    "papers.fee_yes": ("按规定收费", "charged as the rules provide"),
    # --- errors ---
    "papers.case_not_found": ("找不到该办件", "Case not found"),
    "papers.unknown_kind": ("没有这种文书：{kind}", "No such paper: {kind}"),
    "papers.case_voided": ("办件 {case_no} 已作废，不再出具文书", "Case {case_no} is void: no new papers"),
    "papers.not_for_case": ("办件 {case_no} 不出具{paper}", "Case {case_no} has no {paper}"),
    "papers.pledge_needs_rongque": ("只有容缺受理才有承诺书", "Only a 容缺 acceptance has a pledge"),
    "papers.template_error": (
        "文书模板 {template} 第 {line} 行有误：{reason}",
        "Paper template {template}, line {line}: {reason}",
    ),
    "papers.template_error_noline": ("文书模板 {template} 有误：{reason}", "Paper template {template}: {reason}"),
    "papers.template_unreadable": (
        "无法读取文书模板 {template}：{reason}",
        "Cannot read paper template {template}: {reason}",
    ),
    # --- printers ---
    "papers.a4_failed": (
        "A4 打印失败：{reason}（文书已保存，可重新打印）",
        "A4 printing failed: {reason} (the paper is saved; reprint it later)",
    ),
    "papers.a4_timeout": (
        "A4 打印 {seconds} 秒未完成，已停止（文书已保存，可重新打印）",
        "A4 printing did not finish in {seconds} s and was stopped (the paper is saved; reprint it later)",
    ),
    "papers.no_receipt_printer": (
        "未配置小票打印机（papers.receipt_printer），文书已保存，可重新打印",
        "No receipt printer configured (papers.receipt_printer); the paper is saved for a reprint",
    ),
    "papers.receipt_missing": (
        "找不到小票打印机 {printer}：请检查电源和连线（文书已保存，可重新打印）",
        "Receipt printer {printer} not found: check its power and cable (the paper is saved; reprint it later)",
    ),
    "papers.receipt_offline": (
        "小票打印机 {printer} 离线：请检查纸仓盖和电源（文书已保存，可重新打印）",
        "Receipt printer {printer} is offline: check its cover and power (the paper is saved; reprint it later)",
    ),
    "papers.receipt_no_paper": (
        "小票打印机 {printer} 缺纸：请装纸后重新打印（文书已保存）",
        "Receipt printer {printer} is out of paper: load paper and reprint (the paper is saved)",
    ),
    "papers.receipt_timeout": (
        "小票打印机 {printer} {seconds} 秒无响应（文书已保存，可重新打印）",
        "Receipt printer {printer} did not answer in {seconds} s (the paper is saved; reprint it later)",
    ),
    "papers.receipt_failed": (
        "小票打印机 {printer} 打印失败：{reason}（文书已保存，可重新打印）",
        "Receipt printer {printer} failed: {reason} (the paper is saved; reprint it later)",
    ),
    # --- the case's papers screen ---
    "detail.papers": ("文书", "Print"),
    "papers.screen_title": ("办件文书 {case_no}", "Papers of case {case_no}"),
    "papers.col_paper": ("文书", "Paper"),
    "papers.col_number": ("编号", "Number"),
    "papers.col_printed": ("已打印", "Printed"),
    "papers.not_issued": ("未出具", "not issued"),
    "papers.printed_times": ("{n} 次", "{n}×"),
    "papers.none": ("该办件没有需要出具的文书", "This case has no papers to hand over"),
    "papers.key.issue": ("出具并打印", "Issue and print"),
    "papers.key.reprint": ("重新打印", "Reprint"),
    "papers.issued_msg": ("{paper} {number} 已保存：{path}", "{paper} {number} saved: {path}"),
    "papers.already_issued": (
        "{paper} {number} 已出具（Ctrl+R 重新打印）",
        "{paper} {number} was issued (Ctrl+R reprints)",
    ),
    "papers.printed": ("{paper} {number} 已打印（第 {count} 次）", "{paper} {number} printed (time {count})"),
    "papers.no_printer": (
        "本机无可用打印机：请打印文件 {path}",
        "No printer on this machine: print {path}",
    ),
    "papers.hint": (
        "↑↓ 选择文书 · Enter 出具并打印 · Ctrl+R 重新打印 · Esc 返回",
        "↑↓ choose · Enter issue and print · Ctrl+R reprint · Esc back",
    ),
    # help of the papers commands (clerk --help in Chinese)
    "cli.cmd.papers": (
        "各种结果交给申请人的文书（受理通知书、不予受理通知书……）：列出、出具、重印。",
        "Papers handed over at each outcome (受理通知书, 不予受理通知书 ...): list, issue, reprint.",
    ),
    "cli.cmd.papers.list": (
        "列出文书：编号、文书、事项、打印次数、文件。",
        "List papers: number, paper, matter, times printed, file.",
    ),
    "cli.cmd.papers.issue": (
        "为办件出具（编号并保存）一份文书，然后打印。",
        "Issue (number and save) one of a case's papers, then print it.",
    ),
    "cli.cmd.papers.reprint": (
        "重新打印已保存的文书（同 clerk notice reprint）。",
        "Print a stored paper again (as `clerk notice reprint`).",
    ),
    "cli.cmd.papers.templates": (
        "检查每个文书模板（本站点的和内置的），并指出正在使用的那个。",
        "Check every paper template (the station's and the bundled) and name the one in use.",
    ),
}
