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
    # a server (PostgreSQL) database: clerk check, clerk backup, clerk restore
    "check.server_empty": (
        "服务器数据库 {path} 中还没有 clerk-tui 的数据表：请先运行 clerk --db 该地址 init",
        "The server database {path} holds no clerk-tui tables yet: run clerk --db ADDRESS init first",
    ),
    "check.server_not_clerk": (
        "服务器数据库 {path} 中有别的数据表，但不是 clerk-tui 的数据库：--db 是否指错了数据库？",
        "The server database {path} holds other tables but is not a clerk-tui database: does --db name the right one?",
    ),
    "check.schema_behind": (
        "数据库结构版本 {found} 比本程序的 {latest} 旧：启动一次 clerk（或运行 clerk init）即可升级",
        "The database schema {found} is older than this program's {latest}: starting clerk once (or clerk init) "
        "upgrades it",
    ),
    "check.server_schema": (
        "数据库结构缺少：{what}。请从备份恢复（clerk restore 备份文件），或请管理员查明是谁改动了数据库",
        "The database schema lacks: {what}. Restore a backup (clerk restore FILE), or ask the administrator "
        "who changed the database",
    ),
    "check.duplicates": (
        "有 {count} 个本应唯一的键被多条记录共用（{tables}）",
        "{count} key(s) that must be unique are held by more than one record ({tables})",
    ),
    "backup.pg_failed": (
        "{tool} 失败：{reason}。数据库未受影响。",
        "{tool} failed: {reason}. The database is unaffected.",
    ),
    "restore.pg_failed": (
        "{tool} 失败：{reason}。恢复已整体撤销，数据库保持原样。",
        "{tool} failed: {reason}. The restore was undone as a whole; the database is as it was.",
    ),
    "restore.confirm_server": (
        "用 {backup} 替换服务器数据库 {db} 的全部内容？请先关闭连着它的所有窗口、取号机和叫号屏；当前内容会先另存一份。",
        "Replace everything in the server database {db} with {backup}? Close every window, kiosk and board on it "
        "first; the current content is saved aside first.",
    ),
}
