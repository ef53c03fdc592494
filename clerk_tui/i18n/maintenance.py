"""Strings of backups, restores and database checks."""

STRINGS = {
    "backup.done": ("已备份到 {path}", "Backed up to {path}"),
    "backup.write_failed": (
        "无法写入备份 {path}：{reason}。数据库未受影响。",
        "Cannot write the backup {path}: {reason}. The database is unaffected.",
    ),
    "backup.verify_failed": ("备份 {path} 校验失败：{problem}", "Backup {path} failed its check: {problem}"),
    "backup.source_unreadable": ("无法读取数据库 {path}：{reason}", "Cannot read the database {path}: {reason}"),
    "restore.bad_backup": ("{path} 不能用于恢复：{problem}", "{path} cannot be restored: {problem}"),
    "restore.confirm": (
        "用 {backup} 替换当前数据库 {db}？当前数据库会先另存一份。",
        "Replace the database {db} with {backup}? The current one is saved aside first.",
    ),
    "restore.done": ("已恢复。原数据库另存为 {kept}", "Restored. The previous database was kept as {kept}"),
    "restore.cancelled": ("已取消，未作任何更改", "Cancelled; nothing changed"),
    "check.ok": ("数据库 {path} 完好（结构版本 {version}）", "Database {path} is healthy (schema {version})"),
    "check.missing": ("找不到数据库文件 {path}", "There is no database file {path}"),
    "check.corrupt": (
        "数据库已损坏：{detail}。请从最近的备份恢复（clerk restore 备份文件）。",
        "The database is damaged: {detail}. Restore the latest backup (clerk restore FILE).",
    ),
    "check.foreign_keys": (
        "有 {count} 条记录引用了不存在的记录（{tables}）",
        "{count} record(s) refer to records that do not exist ({tables})",
    ),
    "check.not_clerk_db": ("这不是 clerk-tui 的数据库", "This is not a clerk-tui database"),
    "db.damaged": (
        "数据库 {path} 已损坏（{detail}）：请运行 clerk restore {backup}",
        "The database {path} is damaged ({detail}): run clerk restore {backup}",
    ),
    "db.damaged_no_backup": (
        "数据库 {path} 已损坏（{detail}），且 {folder} 中没有备份：请联系技术支持，勿再写入",
        "The database {path} is damaged ({detail}) and {folder} holds no backup: call support and do not write to it",
    ),
    "check.wal_lost": (
        "数据库的日志文件 {wal} 在程序运行时被删除或截短，最近保存的记录已丢失（数据库文件本身查不出来）："
        "请关闭所有 clerk 程序，再从最近的备份恢复（clerk restore 备份文件）",
        "The database's log file {wal} was deleted or cut short while a program was using it, so the latest "
        "saved records are lost (the database file itself looks sound): close every clerk program, then restore "
        "the latest backup (clerk restore FILE)",
    ),
    "db.wal_lost": (
        "数据库的日志文件 {wal} 在程序运行时被删除或截短，最近保存的记录已丢失：请关闭所有 clerk 程序，再运行 clerk restore {backup}",
        "The database's log file {wal} was deleted or cut short while a program was using it, so the latest "
        "saved records are lost: close every clerk program, then run clerk restore {backup}",
    ),
    "db.wal_lost_no_backup": (
        "数据库的日志文件 {wal} 在程序运行时被删除或截短，最近保存的记录已丢失，且 {folder} 中没有备份："
        "请关闭所有 clerk 程序并联系技术支持，勿再写入",
        "The database's log file {wal} was deleted or cut short while a program was using it, so the latest "
        "saved records are lost, and {folder} holds no backup: close every clerk program and call support; "
        "do not write to it",
    ),
}
