"""The help of each command-line option (`clerk … --help` in Chinese; English keeps the
text written beside the option). `cli.opt.<command path>.<parameter>` for one command's
option, `cli.opt.<parameter>` for one several commands share in the same words."""

from __future__ import annotations

# The `--db` of every command names the same thing: a file or a hall's server.
_DB_ZH = "数据库：文件路径，或大厅服务器 postgresql://用户@主机/库名（优先于 $CLERK_TUI_DB 和配置文件）。"
_CENTRE_DB_ZH = "中心数据库：文件，或 postgresql://用户@主机/库名。"

STRINGS: dict[str, tuple[str, str]] = {
    # shared by several commands
    "cli.opt.window": ("以此窗口号操作（默认：配置文件中的窗口号）。", "Act as this window (default: the config's)."),
    "cli.opt.staff_no": (
        "记入事件的工号（默认：配置文件中的工号）。",
        "Staff number recorded on the events (default: the config's).",
    ),
    "cli.opt.into": (_CENTRE_DB_ZH, "The centre database: a file or postgresql://user@host/dbname."),
    "cli.opt.yes": ("不再询问确认。", "Do not ask for confirmation."),
    "cli.opt.tsv": ("以制表符分隔输出，供脚本使用。", "Tab-separated, for scripts."),
    # clerk
    "cli.opt.clerk.db": (_DB_ZH, "Database file, or a hall server (overrides $CLERK_TUI_DB and the config)."),
    "cli.opt.clerk.config": ("配置文件（优先于 $CLERK_TUI_CONFIG）。", "Config file (overrides $CLERK_TUI_CONFIG)."),
    "cli.opt.clerk.lang": ("界面语言：zh（中文）或 en（英文）。", "Interface language: zh or en."),
    "cli.opt.clerk.version": ("显示版本号。", "Show the version."),
    # maintenance
    "cli.opt.backup.to": (
        "备份到此文件或文件夹（默认：备份文件夹）。",
        "File or folder (default: the backups folder).",
    ),
    "cli.opt.restore.file": ("由 clerk backup 生成的备份。", "A backup made by clerk backup."),
    "cli.opt.pin.reset": (
        "忘记 PIN：不输入旧 PIN 直接设置新 PIN（记入审计记录，下次启动时提示）。",
        "Forgot the PIN: set a new one without it (written to the audit trail, shown at the next start).",
    ),
    "cli.opt.init.force": ("覆盖已有的配置文件。", "Overwrite an existing config file."),
    "cli.opt.init.station_id": (
        "站点编号（默认：询问，或行政区划代码加随机后缀）。",
        "Default: asked, or the area code plus a random suffix.",
    ),
    "cli.opt.init.area_code": (
        "站点编号所用的 6 位行政区划代码（默认：事项目录的）。",
        "6-digit area code for the station id (default: the catalog's).",
    ),
    "cli.opt.init.db": (
        "要创建或加入的数据库：文件，或大厅的 postgresql://用户@主机/库名。",
        "The database to make or join: a file, or a hall's postgresql://user@host/dbname.",
    ),
    # sync
    "cli.opt.export.to": ("数据包写入的文件夹（会记住）。", "Folder to write the bundle to (remembered)."),
    "cli.opt.export.all_": ("重新导出全部记录，而不只是变化的。", "Export every record again, not only changes."),
    "cli.opt.export.csv_": (
        "同时在数据包中放入 CSV 副本：U盘上是明文（中心会自行生成）。",
        "Also put CSV copies in the bundle: clear text on the stick (the centre writes its own).",
    ),
    "cli.opt.merge.bundles": ("各站点的数据包文件。", "Bundle files from stations."),
    "cli.opt.merge.into": (
        "中心数据库：文件（不存在则新建），或 postgresql://用户@主机/库名。",
        "The centre database: a file (created if new) or postgresql://user@host/dbname.",
    ),
    "cli.opt.merge.receipts": (
        "回执写入的文件夹（默认：各数据包旁边）。",
        "Folder for receipts (default: beside each bundle).",
    ),
    "cli.opt.merge.csv_folder": (
        "同时把每个已合并数据包的记录写成 CSV 文件，放入此文件夹。",
        "Also write each merged bundle's records as CSV files into this folder.",
    ),
    "cli.opt.import.receipt.file": ("clerk merge 生成的回执。", "A receipt from clerk merge."),
    "cli.opt.import.catalog.file": (
        "事项目录文件（clerk-tui-catalog JSON）。",
        "Catalog file (clerk-tui-catalog JSON).",
    ),
    "cli.opt.import.calendar.file": (
        "工作日历更新（clerk-tui-calendar JSON）。",
        "Calendar update (clerk-tui-calendar JSON).",
    ),
    "cli.opt.import.calendar.force": (
        "即使某年没有一个工作日也导入。",
        "Import even a year that has no working day at all.",
    ),
    "cli.opt.import.appointments.file": (
        "预约（clerk-tui-appointments JSON）。",
        "Appointments (clerk-tui-appointments JSON).",
    ),
    "cli.opt.import.ratings.file": (
        "好差评平台的评价（clerk-tui-ratings JSON）。",
        "Ratings from the 好差评 platform (clerk-tui-ratings JSON).",
    ),
    "cli.opt.import.centre-key.file": (
        "中心的公钥文件（clerk centre export-key 生成）。",
        "The centre's public key file (clerk centre export-key).",
    ),
    "cli.opt.import.centre-key.yes": ("不再询问核对指纹。", "Do not ask to confirm the fingerprint."),
    # keys
    "cli.opt.key.export.file": ("公钥文件写到哪里。", "Where to write the public key file."),
    "cli.opt.centre.export-key.file": ("中心公钥文件写到哪里。", "Where to write the centre's public key file."),
    "cli.opt.centre.enrol.file": (
        "站点的公钥文件（clerk key export 生成）。",
        "A station's public key file (clerk key export).",
    ),
    "cli.opt.centre.revoke.who": (
        "站点编号（吊销其全部密钥），或某一密钥的指纹。",
        "A station id (all its keys) or one key's fingerprint.",
    ),
    "cli.opt.centre.sign.files": ("事项目录、工作日历或预约文件。", "Catalog, calendar or appointment files."),
    # reports
    "cli.opt.report.kind": (
        "daily（日报）、monthly（月报）、annual（年报）、catalog（事项目录）或 years（历年汇总）。",
        "daily, monthly, annual, catalog or years.",
    ),
    "cli.opt.report.first": ("历年汇总的起始年份，如 2020。", "First year of the years summary, 2020."),
    "cli.opt.report.last": ("历年汇总的截止年份（默认今年）。", "Last year of the years summary (default: this year)."),
    "cli.opt.report.on_date": ("日报的日期，如 2026-11-24。", "Day of a daily report, 2026-11-24."),
    "cli.opt.report.month": ("月报的月份，如 2026-11。", "Month of a monthly report, 2026-11."),
    "cli.opt.report.year": ("年报的年份，如 2026。", "Year of an annual report, 2026."),
    "cli.opt.report.fmt": ("格式：table、csv、xlsx 或 json。", "table, csv, xlsx or json."),
    "cli.opt.report.out": ("写入此文件，而不是显示在终端。", "Write to this file instead of the terminal."),
    "cli.opt.report.station_id": (
        "只统计此站点（中心合并后的数据库）。",
        "Only this station (a centre's merged database).",
    ),
    # catalog, notices, papers
    "cli.opt.catalog.import.file": (
        "事项目录文件（clerk-tui-catalog JSON）。",
        "Catalog file (clerk-tui-catalog JSON).",
    ),
    "cli.opt.catalog.list.limit": ("最多显示多少个事项（0 = 全部）。", "Show at most this many matters (0 = all)."),
    "cli.opt.catalog.list.tsv": ("以制表符分隔，输出全部列，供脚本使用。", "Tab-separated, every column, for scripts."),
    "cli.opt.notice.list.day": ("只列出这一天的告知书（YYYY-MM-DD）。", "Only notices of this day (YYYY-MM-DD)."),
    "cli.opt.notice.show.number": ("告知书编号，如 BZ-20261124-01-001。", "Notice number, e.g. BZ-20261124-01-001."),
    "cli.opt.notice.reprint.number": ("告知书编号，如 BZ-20261124-01-001。", "Notice number, e.g. BZ-20261124-01-001."),
    "cli.opt.papers.list.case": (
        "只列出此办件的文书（办件编号），已出具或未出具。",
        "Only this case's papers (case number), issued or not.",
    ),
    "cli.opt.papers.list.unprinted": (
        "只列出从未打印的文书：待重印清单。",
        "Only papers never printed: the reprint list.",
    ),
    "cli.opt.papers.issue.case": ("办件编号，如 20261124-01-0001。", "Case number, e.g. 20261124-01-0001."),
    "cli.opt.papers.issue.kind": (
        "acceptance（受理通知书）、pledge（容缺承诺书）、refusal（不予受理通知书）、"
        "collection（领取通知）或 materials（材料接收清单）。",
        "acceptance, pledge, refusal, collection or materials.",
    ),
    "cli.opt.papers.issue.print_it": ("保存后打印一份。", "Print it once saved."),
    "cli.opt.papers.reprint.number": ("文书编号，如 SL-20261124-01-001。", "Paper number, e.g. SL-20261124-01-001."),
    # tickets
    "cli.opt.ticket.issue.queue": ("队列字母，如 A。", "Queue letter, e.g. A."),
    "cli.opt.ticket.issue.green": ("绿色通道。", "Green channel (绿色通道)."),
    "cli.opt.ticket.issue.appointment": ("今天的预约时段，HH:MM。", "Appointment slot today, HH:MM."),
    "cli.opt.ticket.issue.plain": ("只输出号码。", "Print only the number."),
    "cli.opt.ticket.list.everything": (
        "今天的全部号，而不只是等候中的。",
        "Every ticket of today, not only the waiting ones.",
    ),
    "cli.opt.ticket.call.number": ("不按顺序，叫这个等候中的号。", "Call this waiting ticket out of order."),
    "cli.opt.ticket.call.reason": ("原因（与 --ticket 一起时必填）。", "Why (required with --ticket)."),
    "cli.opt.ticket.reinstate.number": ("过号的号码，如 A007。", "The no-show ticket, e.g. A007."),
}
