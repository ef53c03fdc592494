"""Strings of the app shell, the CLI, configuration and storage."""

STRINGS = {
    # app shell
    "app.title": ("政务服务窗口", "Service window"),
    "header.window": ("{n}号窗口", "Window {n}"),
    "header.clerk": ("工号 {no}", "Staff {no}"),
    "weekday.0": ("周一", "Mon"),
    "weekday.1": ("周二", "Tue"),
    "weekday.2": ("周三", "Wed"),
    "weekday.3": ("周四", "Thu"),
    "weekday.4": ("周五", "Fri"),
    "weekday.5": ("周六", "Sat"),
    "weekday.6": ("周日", "Sun"),
    "key.help": ("帮助", "Help"),
    "key.quit": ("退出", "Quit"),
    "key.back": ("返回", "Back"),
    "key.palette": ("命令面板", "Commands"),
    "key.close": ("关闭", "Close"),
    # short labels of the main screen's key bar (navigation.DESTINATIONS)
    "nav.catalog": ("事项目录", "Catalog"),
    "nav.check": ("材料核对", "Check"),
    "nav.history": ("办件查询", "History"),
    "nav.pending": ("承诺件", "Pending"),
    "nav.follow_ups": ("差评回访", "Follow-ups"),
    "nav.sync": ("同步", "Sync"),
    "nav.reports": ("统计报表", "Reports"),
    "help.title": ("按键说明", "Keys"),
    "help.key": ("按键", "Key"),
    "help.action": ("功能", "Action"),
    "help.where": ("位置", "Where"),
    "help.everywhere": ("全局", "Everywhere"),
    "help.this_screen": ("本屏", "This screen"),
    "help.footer": ("按 Esc 或 F1 关闭", "Esc or F1 closes"),
    "palette.help": ("帮助：显示按键说明", "Help: show keys"),
    "palette.quit": ("应用：退出", "App: quit"),
    "palette.placeholder": ("搜索功能…", "Search actions…"),
    "palette.open": ("打开：{title}", "Open: {title}"),
    # one-key questions (screens/confirm.py) and kept drafts (screens/drafts.py)
    "confirm.hint": ("{keys} 确认 · 其他任意键取消", "{keys} confirms · any other key cancels"),
    "confirm.quit_serving": ("正在办理 {number}，确定退出程序？", "Serving {number}: quit the program anyway?"),
    "confirm.quit_unsaved": (
        "有未保存的内容，退出将丢失。确定退出？",
        "There is unsaved work; quitting loses it. Quit anyway?",
    ),
    "confirm.leave_check": ("本次核对尚未保存，确定放弃？", "This check is not saved. Leave it?"),
    "confirm.leave_unsaved": ("有未保存的内容，确定离开？", "There is unsaved work here. Leave anyway?"),
    "draft.kept": ("已保留草稿：再次打开本表即可继续填写", "Draft kept: open this form again to go on"),
    "draft.restored": ("已恢复上次未保存的草稿", "Your unsaved draft is back"),
    "error.title": ("出错了", "Something went wrong"),
    "error.unexpected": (
        "意外错误：{reason}。数据未丢失，请重试或联系管理员。",
        "Unexpected error: {reason}. No data was lost; try again or call support.",
    ),
    # main screen
    "main.title": ("今日叫号", "Today's queue"),
    "main.queue": ("队列", "Queue"),
    "main.waiting": ("等候", "Waiting"),
    "main.served": ("已办", "Served"),
    "main.no_show": ("过号", "No-show"),
    "main.longest_wait": ("最长等候", "Longest wait"),
    "main.minutes": ("{n}分钟", "{n} min"),
    "main.total": ("合计", "Total"),
    "main.loading": ("正在读取…", "Loading…"),
    "main.catalog_info": ("事项目录：{version}，{count}项", "Catalog: {version}, {count} matters"),
    "main.no_catalog": ("尚未导入事项目录（clerk catalog import 文件）", "No catalog yet (clerk catalog import FILE)"),
    # storage
    "db.locked": (
        "数据库正被其他程序占用，请稍后再试。本次操作未保存任何内容。",
        "The database is busy in another program; try again shortly. Nothing was saved.",
    ),
    "db.too_new": (
        "数据库版本 {found} 比本程序支持的 {supported} 新：请升级 clerk-tui。数据库未被修改。",
        "Database schema {found} is newer than this program supports ({supported}): "
        "upgrade clerk-tui. The database was not modified.",
    ),
    "db.corrupt": (
        "数据库文件 {path} 已损坏或不是数据库。请运行 clerk check，或从备份恢复。",
        "Database file {path} is damaged or not a database. Run clerk check or restore a backup.",
    ),
    "db.cannot_open": ("无法打开数据库 {path}：{reason}", "Cannot open database {path}: {reason}"),
    # configuration
    "config.unreadable": ("配置文件 {path} 无法读取：{reason}", "Config file {path} cannot be read: {reason}"),
    "config.bad_value": ("配置项 {where} 应为 {expected}", "Config entry {where} must be {expected}"),
    "config.bad_language": ("界面语言 {value} 不支持（可选 zh、en）", "Language {value} is not supported (zh, en)"),
    "config.bad_queue_letter": (
        "配置 {where} 的队列字母 {value} 应为一个大写字母",
        "Queue letter {value} in {where} must be one capital letter",
    ),
    "config.duplicate_queue": ("队列字母重复：{letters}", "Queue letters repeat: {letters}"),
    "config.first_start_written": (
        "首次启动：已写入默认配置 {path}，请按本窗口实际情况修改（站点、窗口号、工号）。",
        "First start: wrote default settings to {path}; set your station, window and staff number there.",
    ),
    # CLI
    "cli.init_done": ("已写入配置 {config}，数据库 {db}", "Wrote config {config} and database {db}"),
    "cli.init_exists": (
        "配置文件 {path} 已存在（加 --force 覆盖）",
        "Config file {path} exists (use --force to overwrite)",
    ),
    "cli.error": ("错误：{message}", "Error: {message}"),
    "cli.demo_ready": ("演示数据库：{path}", "Demo database: {path}"),
    "cli.no_file": ("文件不存在：{path}", "No such file: {path}"),
    "cli.init_station": (
        "本站点编号：{station}（写在每个导出包上，中心据此区分站点）",
        "Station id: {station} (printed on every export; the centre tells stations apart by it)",
    ),
    "cli.init_db_only": (
        "配置 {config} 已存在，未改动；已按它创建数据库 {db}",
        "Config {config} exists and was left as it is; created the database {db} from it",
    ),
    "cli.init_ask_station": ("站点编号（每个站点唯一）", "Station id (unique per station)"),
    "cli.demo_toast": (
        "演示站点 {station}：叫号屏和取号机的启动命令在退出时显示",
        "Demo station {station}: the board and kiosk commands are shown when you quit",
    ),
    "cli.demo_config": (
        "演示站点 {station} 的配置：{config}。叫号屏：clerk --config {config} board；取号机：clerk --config {config} kiosk",
        "Demo station {station}, config {config}. Board: clerk --config {config} board; kiosk: clerk --config {config} kiosk",
    ),
    # the command line's own messages (typer/click), in the clerk's language
    "cli.usage": ("用法：", "Usage: "),
    "cli.try_help": ("运行 '{command} {option}' 查看帮助。", "Try '{command} {option}' for help."),
    "cli.help_arguments": ("参数", "Arguments"),
    "cli.help_options": ("选项", "Options"),
    "cli.help_commands": ("命令", "Commands"),
    "cli.help_error": ("错误", "Error"),
    "cli.help_default": ("[默认：{}]", "[default: {}]"),
    "cli.help_required": ("[必填]", "[required]"),
    "cli.help_envvar": ("[环境变量：{}]", "[env var: {}]"),
    "cli.help_option_help": ("显示本帮助并退出。", "Show this message and exit."),
    "cli.aborted": ("已取消。", "Aborted."),
    "cli.missing_argument": ("缺少参数 {name}。", "Missing argument {name}."),
    "cli.missing_option": ("缺少选项 {name}。", "Missing option {name}."),
    "cli.missing_command": ("缺少命令。", "Missing command."),
    "cli.no_such_option": ("没有选项 {name}。", "No such option: {name}."),
    "cli.no_such_option_maybe": (
        "没有选项 {name}，是否应为 {suggestion}？",
        "No such option: {name}. Did you mean {suggestion}?",
    ),
    "cli.no_such_command": ("没有命令 {name}。", "No such command {name}."),
    "cli.no_such_command_maybe": (
        "没有命令 {name}，是否应为 {suggestion}？",
        "No such command {name}. Did you mean {suggestion}?",
    ),
    "cli.bad_value_plain": ("{name} 的值不对：{message}", "Invalid value for {name}: {message}"),
    "cli.needs_value": ("选项 {name} 后面要跟一个值。", "Option {name} requires a value."),
    "cli.extra_argument": ("多余的参数：{value}", "Got unexpected extra argument: {value}"),
    "cli.expected_int": ("应为整数", "a whole number"),
    "cli.expected_float": ("应为数字", "a number"),
    "cli.expected_choice": ("{value} 不在可选范围内（{choices}）", "{value} is not one of {choices}"),
    "cli.expected_min": ("不小于 {min}", "at least {min}"),
    # help of each command (clerk --help in Chinese; English keeps the docstring)
    "cli.cmd.clerk": (
        "clerk-tui：政务服务大厅窗口工作人员的终端。",
        "clerk-tui: the window clerk's terminal for government service halls.",
    ),
    "cli.cmd.backup": (
        "备份数据库（应用运行时也能得到一致的副本）。",
        "Make a consistent copy of the database, even while the app is running.",
    ),
    "cli.cmd.restore": (
        "用备份替换数据库（当前数据库先另存一份）。",
        "Replace the database with a backup (the current one is kept aside first).",
    ),
    "cli.cmd.pin": (
        "设置或修改空闲锁屏的解锁 PIN（先输入当前 PIN，新 PIN 输入两次，均不显示）；"
        "忘记 PIN 时用 --reset（记入审计记录，下次启动时提示）。",
        "Set or change the PIN that unlocks the idle lock (the current one first; never shown).",
    ),
    "cli.cmd.check": (
        "检查数据库：完整性、记录间引用、结构版本。",
        "Check the database: integrity, references between records, schema version.",
    ),
    "cli.cmd.board": (
        "在本数据库上运行大厅叫号屏（单独一个屏幕）。",
        "Run the hall's calling board on this database (a separate screen).",
    ),
    "cli.cmd.kiosk": ("在本数据库上运行自助取号机。", "Run the self-service ticket kiosk on this database."),
    "cli.cmd.export": (
        "导出上次以来变化的数据，写成经过校验的同步包。",
        "Write a verified sync bundle of what changed since the last export.",
    ),
    "cli.cmd.merge": (
        "中心：校验并合并各站点的数据包（每包一个事务），打印报告，写回执。",
        "Centre: verify bundles, merge them (one transaction each), print a report, write receipts.",
    ),
    "cli.cmd.report": (
        "日报、月报、年报或事项目录指标（作废件不计）。",
        "Daily, monthly, annual figures or catalog indicators (voided cases left out).",
    ),
    "cli.cmd.demo": (
        "在全新的演示站点上启动（含事项目录和等候中的号）。",
        "Start on a fresh throwaway demo station (catalog and waiting tickets included).",
    ),
    "cli.cmd.init": (
        "写入带注释的配置文件，创建数据库并导入内置事项目录。",
        "Write a commented config file and create the database with the bundled catalog.",
    ),
    "cli.cmd.catalog": ("事项目录（实施清单）。", "The matter catalog (实施清单)."),
    "cli.cmd.catalog.import": (
        "校验事项目录文件，再在一个事务中导入。",
        "Validate a catalog file, then import it in one transaction.",
    ),
    "cli.cmd.catalog.list": ("列出目录中的在用事项。", "List the active matters of the catalog."),
    "cli.cmd.notice": ("一次性告知书：列出、查看、重印。", "One-time notices (一次性告知书): list, show, reprint."),
    "cli.cmd.notice.list": (
        "列出已开具的告知书（编号、类别、事项、打印次数、文件）。",
        "List the notices issued (number, kind, matter, times printed, file).",
    ),
    "cli.cmd.notice.show": (
        "在终端显示一份告知书的小票文本。",
        "Print a stored notice's receipt text to the terminal.",
    ),
    "cli.cmd.notice.reprint": (
        "把一份告知书再次发送到配置的打印命令。",
        "Send a stored notice to the configured print command again.",
    ),
    "cli.cmd.ticket": ("叫号：取号、列出，以及以窗口身份操作。", "Tickets (叫号): issue, list, and act as a window."),
    "cli.cmd.ticket.issue": (
        "取一个号；显示号码、队列和前面等候的人数。",
        "Issue a ticket; prints its number, queue and how many wait ahead.",
    ),
    "cli.cmd.ticket.list": (
        "今天等候中的号，按叫号顺序（加 --all 显示今天全部）。",
        "Today's waiting tickets in call order (or all of today's with --all).",
    ),
    "cli.cmd.ticket.call": (
        "为窗口叫下一个号（或指定的号）；显示号码和窗口。",
        "Call the next ticket for the window (or a given one); prints number and window.",
    ),
    "cli.cmd.ticket.recall": ("重呼窗口当前的号。", "Call the window's current ticket again."),
    "cli.cmd.ticket.start": ("开始办理窗口已叫的号。", "Start serving the window's called ticket."),
    "cli.cmd.ticket.finish": ("办结窗口当前的号。", "Finish the window's current ticket."),
    "cli.cmd.ticket.no-show": ("把窗口已叫的号标为过号。", "Mark the window's called ticket as no-show (过号)."),
    "cli.cmd.ticket.reinstate": (
        "把过号的号重新排入队列（按配置 queue.reinstate）。",
        "Put a no-show ticket back in the queue (per the config's queue.reinstate).",
    ),
    "cli.cmd.import": (
        "中心下发的文件：回执、事项目录、工作日历、预约。",
        "Files from the centre: receipts, catalog, calendar, appointments.",
    ),
    "cli.cmd.import.receipt": (
        "按中心回执标记中心已确认收到的记录。",
        "Mark the records the centre confirmed (from its receipt).",
    ),
    "cli.cmd.import.catalog": (
        "校验事项目录文件，再在一个事务中导入（同 clerk catalog import）。",
        "Validate a catalog file, then import it in one transaction (same as clerk catalog import).",
    ),
    "cli.cmd.import.calendar": (
        "校验工作日历更新，再在一个事务中保存。",
        "Validate a working-day calendar update, then store it in one transaction.",
    ),
    "cli.cmd.import.appointments": (
        "校验预约文件并在一个事务中保存；今天的预约到时段自动排队。",
        "Validate an appointments file, store it in one transaction; today's join the queue at their slot.",
    ),
    "cli.cmd.import.ratings": (
        "整体校验好差评平台的评价文件，再在一个事务中保存（一次一评；差评自动开回访）。",
        "Check a platform ratings file whole, then store it in one transaction (one per visit; bad ones open follow-ups).",
    ),
    # station identity
    "station.mismatch": (
        "配置 {config} 的站点编号 {config_id} 与数据库 {db} 的站点 {db_id} 不一致："
        "把配置 [station] id 改为 {db_id}，或用 --db 指定站点 {config_id} 自己的数据库",
        "The config {config} is for station {config_id} but the database {db} belongs to station {db_id}: "
        'set [station] id = "{db_id}" in the config, or give --db the database of station {config_id}',
    ),
    "station.centre_database": (
        "{path} 是中心汇总库，不是站点数据库：请用 --db 指定本站点的数据库",
        "{path} is a centre's merged database, not a station's: give --db this station's own database",
    ),
    "station.not_centre": (
        "{path} 是站点 {station} 自己的数据库，不能作中心汇总库：--into 请指定中心的数据库",
        "{path} is station {station}'s own database, not a centre's: give --into the centre's database",
    ),
    "station.bad_area_code": (
        "地区代码 {value} 应为 6 位（或 12 位）数字，如 510199",
        "Area code {value} must be 6 (or 12) digits, e.g. 510199",
    ),
    "station.area_code_zero": (
        "地区代码 {value} 不是实际的行政区划：请填本县（区）的代码，如 510199",
        "Area code {value} is not a real area: give your county's code, e.g. 510199",
    ),
    # wrong paths and unknown settings
    "db.missing": (
        "找不到数据库 {path}：请检查 --db 或配置 [paths] database；新站点先运行 clerk init",
        "There is no database {path}: check --db or [paths] database in the config; a new station runs clerk init first",
    ),
    "config.missing": (
        "找不到配置文件 {path}（--config 或 CLERK_TUI_CONFIG 指定的）：请检查路径，或运行 clerk init 创建",
        "There is no config file {path} (named by --config or CLERK_TUI_CONFIG): check the path, or run clerk init to create it",
    ),
    "config.unknown_section": (
        "配置文件 {path}：没有 [{section}] 这一节，是否应为 {suggestion}？",
        "Config file {path}: there is no section [{section}]; did you mean {suggestion}?",
    ),
    "config.unknown_key": (
        "配置文件 {path}：[{section}] 中没有 {name} 这一项，是否应为 {suggestion}？",
        "Config file {path}: section [{section}] has no key {name}; did you mean {suggestion}?",
    ),
}
